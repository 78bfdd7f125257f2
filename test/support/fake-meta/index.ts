export {
  startFakeWhatsApp,
  type FakeWhatsApp,
  type FakeWhatsAppOptions,
  type AcceptedWhatsApp,
} from './whatsapp-server.js';
export {
  startFakeMessenger,
  type FakeMessenger,
  type FakeMessengerOptions,
  type AcceptedMessenger,
} from './messenger-server.js';
export {
  statusWebhook,
  flatStatusWebhook,
  inboundWebhook,
  accountErrorWebhook,
  FIXTURE_PHONE_NUMBER_ID,
  FIXTURE_WA_ID,
  type FakeStatus,
  type FakeAccountError,
  type InboundKind,
} from './whatsapp-webhooks.js';
export { pageWebhook, messengerEvents, FAKE_PAGE_ID, type MessagingEvent } from './messenger-webhooks.js';
export { deliverWebhook, signWebhook, type DeliveryOptions, type SignedWebhook } from './deliver.js';
export { graphErrorBody } from './http.js';
export { startWebhookReceiver, type ReceivedWebhook } from './receiver.js';
export { whatsappAccountFor, messengerAccountFor } from './accounts.js';

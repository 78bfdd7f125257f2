/**
 * What Storewire tells a store's own webhooks about. docs/webhooks.md shows an example of each
 * payload; the engine builds them, this module only names them.
 */

export const WEBHOOK_EVENT_TYPES = [
  'message.status',
  'message.inbound',
  'message.reply',
  'order.created',
  'channel.error',
  'contact.consent_changed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A subscription's `events`: the types it wants, or "*" for every type (also those added later). */
export const ALL_EVENTS = '*';

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** Does a subscription listening to `events` want an event of `type`? */
export const subscribedTo = (events: readonly string[], type: string): boolean =>
  events.includes(ALL_EVENTS) || events.includes(type);

/** Times in payloads are ISO 8601 strings (UTC). Payloads are type aliases, so they fit Record<string, unknown>. */
type Iso = string;

/** A message moved: queued, sent, delivered, read or failed. */
export type MessageStatusPayload = {
  messageId: string;
  status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
  at: Iso;
  contactId: string | null;
  channel: 'whatsapp' | 'messenger' | 'sandbox';
  templateName: string | null;
  campaign: string | null;
  /** Only when status is failed: the provider's (or Storewire's) code and reason. */
  error?: { code: string; reason: string };
};

/** What every payload about a shopper's message carries. */
type ShopperMessageBase = {
  /** The event Storewire recorded for it (e.g. `whatsapp:in:<wamid>`): replays carry the same id. */
  eventId: string;
  contactId: string | null;
  channel: 'whatsapp' | 'messenger' | 'sandbox';
  at: Iso;
};

/** A shopper wrote: text, or a question about a catalog product. */
export type MessageInboundPayload = ShopperMessageBase & {
  /** The shopper's phone number (E.164) or page-scoped id. */
  from: string | null;
  text: string | null;
  /** When the shopper asked about a product of a single- or multi-product message. */
  product?: { catalogId: string; productRetailerId: string };
  /** Storewire's id of the message the shopper answered with a quote (null otherwise). */
  replyTo: string | null;
};

/**
 * A shopper pressed a quick-reply button or picked a list row of a message Storewire sent; or
 * (channel "tracking_page") chose a failed-delivery resolution on the order's tracking page.
 */
export type MessageReplyPayload = Omit<ShopperMessageBase, 'channel'> & {
  channel: ShopperMessageBase['channel'] | 'tracking_page';
  /** Storewire's id of the message answered (null when it is not one Storewire sent). */
  replyTo: string | null;
  /** The button's or row's id and title (null when the provider sent neither); on the tracking page the resolution's code and words. */
  reply: { id: string; title: string } | null;
  /** Only from the tracking page: the order and shipment the choice is about. */
  orderId?: string;
  shipmentId?: string;
};

/** An order from a cart a shopper sent on WhatsApp; Storewire created it as INITIALIZED. */
export type OrderCreatedPayload = ShopperMessageBase & {
  orderId: string;
  source: string;
  /** Null when the cart carried no prices. */
  total: number | null;
  currency: string | null;
  items: { productRetailerId: string; name: string; quantity: number; price: number | null }[];
  /** The text the shopper sent with the cart. */
  note: string | null;
};

/**
 * Meta reported a problem with a connected account itself rather than one message: a system
 * error, or the whole number rate-limited (130429). GET /v1/channels shows the latest.
 */
export type ChannelErrorPayload = {
  channel: 'whatsapp' | 'messenger';
  /** The account's id at Meta: the WhatsApp phone number id or the page id. */
  accountId: string;
  /** Meta's error code, e.g. "130429". */
  code: string;
  title: string;
  detail: string | null;
  /** Meta's page about the code, when it gave one. */
  href: string | null;
  /** When Storewire received it (Meta's error webhooks carry no time of their own). */
  at: Iso;
};

/**
 * A shopper's marketing consent on a channel changed (or was stated for the first time): they
 * wrote STOP or START, tapped an opt-out button, stopped or resumed marketing inside WhatsApp,
 * Meta refused a marketing message with 131050, or the store synced it.
 */
export type ContactConsentChangedPayload = {
  /** The consent_changed event recorded on the contact. */
  eventId: string;
  contactId: string;
  channel: 'whatsapp' | 'messenger';
  status: 'ACTIVE' | 'INACTIVE';
  previousStatus: 'ACTIVE' | 'INACTIVE' | null;
  /** keyword, opt_out_button, whatsapp_user_preferences, whatsapp_131050, order_portal, or a sync's own source */
  source: string;
  /** What the shopper wrote or tapped, or the provider's words. */
  detail: string | null;
  at: Iso;
};

export interface WebhookPayloads {
  'message.status': MessageStatusPayload;
  'message.inbound': MessageInboundPayload;
  'message.reply': MessageReplyPayload;
  'order.created': OrderCreatedPayload;
  'channel.error': ChannelErrorPayload;
  'contact.consent_changed': ContactConsentChangedPayload;
}

/** One event for enqueueWebhookDeliveries, with its payload checked against its type. */
export const webhookEvent = <T extends WebhookEventType>(
  type: T,
  payload: WebhookPayloads[T],
): { type: T; payload: Record<string, unknown> } => ({ type, payload });

import { fixture } from '../fixtures.js';

/** WhatsApp webhook payloads built from the fixtures in test/fixtures/whatsapp, with values swapped in. */

export const FIXTURE_PHONE_NUMBER_ID = '106540352242922';
export const FIXTURE_WA_ID = '16505551234';

export interface FakeStatus {
  /** the wamid the send answered with */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipientId?: string | null;
  /** epoch ms (sent as epoch seconds, as Meta does); default now */
  at?: number;
  /** for failed: Meta's error objects */
  errors?: { code: number; title: string; message?: string; details?: string }[];
}

const seconds = (at: number | undefined) => String(Math.floor((at ?? Date.now()) / 1000));

function statusObject(s: FakeStatus): Record<string, unknown> {
  const [template] = fixture('whatsapp/webhook_status_sent_marketing_pmp.json').entry[0].changes[0].value.statuses;
  const out: Record<string, unknown> = { ...template, id: s.id, status: s.status, timestamp: seconds(s.at) };
  if (s.recipientId === null) delete out.recipient_id;
  else out.recipient_id = s.recipientId ?? FIXTURE_WA_ID;
  if (s.status === 'read' || s.status === 'failed') {
    delete out.conversation;
    delete out.pricing;
  }
  if (s.errors) {
    out.errors = s.errors.map((e) => ({
      code: e.code,
      title: e.title,
      message: e.message ?? e.title,
      error_data: { details: e.details ?? e.title },
    }));
  }
  return out;
}

/** A Cloud API status webhook (the fixture's shape) holding these statuses, in this order. */
export function statusWebhook(
  statuses: FakeStatus[],
  phoneNumberId = FIXTURE_PHONE_NUMBER_ID,
): Record<string, unknown> {
  const body = fixture('whatsapp/webhook_status_sent_marketing_pmp.json');
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = phoneNumberId;
  value.statuses = statuses.map(statusObject);
  return body;
}

/** Seed 000's On-Premises flat shape: `{"statuses": [{"id", "recipient_id", "status", "timestamp"}]}`. */
export function flatStatusWebhook(statuses: FakeStatus[]): Record<string, unknown> {
  return {
    statuses: statuses.map((s) => ({
      id: s.id,
      recipient_id: s.recipientId ?? FIXTURE_WA_ID,
      status: s.status,
      timestamp: seconds(s.at),
    })),
  };
}

export type InboundKind = 'text' | 'product_inquiry' | 'order' | 'button_reply' | 'list_reply' | 'button' | 'image';

export interface InboundOptions {
  phoneNumberId?: string;
  /** wa_id of the shopper (digits); null sends a message without `from`/`wa_id` (a username-only user) */
  from?: string | null;
  name?: string;
  id?: string;
  at?: number;
  text?: string;
  /** the wamid the shopper answers (button/list replies, product inquiries) */
  contextId?: string;
  reply?: { id: string; title: string };
  items?: { product_retailer_id: string; quantity: number; item_price: number; currency: string }[];
}

const FIXTURE_OF: Record<InboundKind, string> = {
  text: 'webhook_text.json',
  product_inquiry: 'webhook_text_product_inquiry.json',
  order: 'webhook_order.json',
  button_reply: 'webhook_interactive_button_reply.json',
  list_reply: 'webhook_interactive_button_reply.json',
  button: 'webhook_interactive_button_reply.json',
  image: 'webhook_text.json',
};

/** An inbound message webhook of this kind, from the fixture of that kind (list/button/image derived from them). */
export function inboundWebhook(kind: InboundKind, o: InboundOptions = {}): Record<string, unknown> {
  const body = fixture(`whatsapp/${FIXTURE_OF[kind]}`);
  const value = body.entry[0].changes[0].value;
  const message = value.messages[0];
  value.metadata.phone_number_id = o.phoneNumberId ?? FIXTURE_PHONE_NUMBER_ID;
  if (o.id) message.id = o.id;
  if (o.at !== undefined) message.timestamp = seconds(o.at);
  if (o.from === null) {
    delete message.from;
    delete value.contacts[0].wa_id;
  } else if (o.from) {
    message.from = o.from;
    value.contacts[0].wa_id = o.from;
  }
  if (o.name) value.contacts[0].profile.name = o.name;
  if (o.contextId && message.context) message.context.id = o.contextId;
  if (o.text !== undefined && message.text) message.text.body = o.text;
  if (o.text !== undefined && message.order) message.order.text = o.text;
  if (o.items && message.order) message.order.product_items = o.items;
  const reply = o.reply ?? message.interactive?.button_reply;
  if (kind === 'button_reply') message.interactive.button_reply = reply;
  if (kind === 'list_reply')
    message.interactive = { type: 'list_reply', list_reply: { ...reply, description: 'picked from a list' } };
  if (kind === 'button') {
    delete message.interactive;
    message.type = 'button';
    message.button = { payload: reply.id, text: reply.title };
  }
  if (kind === 'image') {
    delete message.text;
    message.type = 'image';
    message.image = { caption: o.text ?? 'this one', mime_type: 'image/jpeg', sha256: 'abc', id: '1234567890' };
  }
  return body;
}

/** An error Meta reports about the account itself (`value.errors`), e.g. 130429 for the whole number. */
export interface FakeAccountError {
  code: number;
  title: string;
  message?: string;
  details?: string;
  href?: string;
}

/**
 * Meta's error webhook (messages field, errors reference): the status fixture's envelope with
 * `value.errors` instead of statuses. It names the number but no message, and carries no time.
 */
export function accountErrorWebhook(
  errors: FakeAccountError[],
  phoneNumberId = FIXTURE_PHONE_NUMBER_ID,
): Record<string, unknown> {
  const body = fixture('whatsapp/webhook_status_sent_marketing_pmp.json');
  const value = body.entry[0].changes[0].value;
  value.metadata.phone_number_id = phoneNumberId;
  delete value.statuses;
  value.errors = errors.map((e) => ({
    code: e.code,
    title: e.title,
    message: e.message ?? e.title,
    error_data: { details: e.details ?? e.title },
    href: e.href ?? '/docs/whatsapp/cloud-api/support/error-codes/',
  }));
  return body;
}

import type { ChannelAccount } from '../channels/channel.js';
import type { MessageCategory, MessageKind, MessageRecord } from '../domain/messages.js';
import type { CartRecord, ContactRecord, EventRecord, OrderRecord } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import { capWindowStart } from '../domain/frequency-cap.js';
import { getCart } from '../storage/carts.js';
import { getChannelAccount } from '../storage/channel-accounts.js';
import { identitiesOfContact } from '../storage/contacts.js';
import type { Db } from '../storage/database.js';
import { findEvent } from '../storage/events.js';
import { countMarketingSince } from '../storage/messages.js';
import { getOrder } from '../storage/orders.js';
import type { NewMessage } from './outbox.js';
import { checkSendRules } from './send-rules.js';
import {
  findTemplate,
  mergeData,
  renderFromParams,
  renderTemplate,
  type RenderResult,
  type ResolvedTemplate,
} from './templates/index.js';

export type Content =
  | { template: string; params?: Record<string, unknown>; orderId?: string; eventId?: string }
  | { text: string }
  | { interactive: Record<string, unknown> };

export interface ComposeInput {
  store: Store;
  contact: ContactRecord;
  /** whatsapp goes out through the store's number, or its sandbox when it has no number. */
  channel: 'whatsapp' | 'messenger';
  content: Content;
  source: MessageRecord['source'];
  idempotencyKey: string;
  campaign?: string | null;
  notBefore?: number;
  /** Use this account rather than the store's default for the channel (seed 002's page_id). */
  account?: ChannelAccount;
  /** PUBLIC_URL, for links merge fields make (order.tracking_url). */
  publicUrl?: string;
  now: number;
}

export type ComposeError =
  | 'CHANNEL_NOT_CONFIGURED'
  | 'RECIPIENT_UNREACHABLE'
  | 'TEMPLATE_NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'ORDER_NOT_FOUND'
  | 'EVENT_NOT_FOUND'
  | 'MISSING_PARAMETER'
  | 'INVALID_PARAMETER'
  | 'NO_CONSENT'
  | 'OUTSIDE_WINDOW'
  | 'FREQUENCY_CAP';

export type Composed =
  | { ok: true; message: NewMessage; account: ChannelAccount }
  | { ok: false; code: ComposeError; message: string; details?: Record<string, unknown> };

const refuse = (code: ComposeError, message: string, details?: Record<string, unknown>): Composed => ({
  ok: false,
  code,
  message,
  ...(details ? { details } : {}),
});

/** The account a store sends with on a channel: a WhatsApp number, else its sandbox. */
export async function sendingAccount(
  db: Db,
  storeId: string,
  channel: 'whatsapp' | 'messenger',
): Promise<ChannelAccount | null> {
  if (channel === 'messenger') return getChannelAccount(db, storeId, 'messenger');
  return (await getChannelAccount(db, storeId, 'whatsapp')) ?? (await getChannelAccount(db, storeId, 'sandbox'));
}

/**
 * What composing reads. One message reads the database as it goes (`readsFrom`); the journey
 * worker hands in what it loaded for a whole batch of runs at once.
 */
export interface ComposeReads {
  account(storeId: string, channel: 'whatsapp' | 'messenger'): Promise<ChannelAccount | null>;
  psid(storeId: string, contactId: string): Promise<string | null>;
  template(storeId: string, name: string): Promise<ResolvedTemplate | null>;
  order(storeId: string, orderId: string): Promise<OrderRecord | null>;
  event(storeId: string, eventId: string): Promise<EventRecord | null>;
  cart(storeId: string, contactId: string): Promise<CartRecord | null>;
  /** Marketing messages to the shopper since `since`, queued ones included. */
  recentMarketing(storeId: string, contactId: string, since: number): Promise<number>;
}

export const readsFrom = (db: Db): ComposeReads => ({
  account: (storeId, channel) => sendingAccount(db, storeId, channel),
  psid: (storeId, contactId) => psidOf(db, storeId, contactId),
  template: (storeId, name) => findTemplate(db, storeId, name),
  order: (storeId, orderId) => getOrder(db, storeId, orderId),
  event: (storeId, eventId) => findEvent(db, storeId, eventId),
  cart: (storeId, contactId) => getCart(db, storeId, contactId),
  recentMarketing: async (storeId, contactId, since) =>
    (await countMarketingSince(db, storeId, [contactId], since, true)).get(contactId) ?? 0,
});

/**
 * Turns "send this to that shopper" into a message ready for the outbox, or says why it cannot
 * go: no account, no way to reach the shopper, an unknown template, a parameter without a
 * value, or a send rule (consent, the 24-hour window, the frequency cap). Nothing is stored.
 */
export async function composeMessage(
  db: Db,
  input: ComposeInput,
  reads: ComposeReads = readsFrom(db),
): Promise<Composed> {
  const { store, contact, content } = input;
  const account = input.account ?? (await reads.account(store.id, input.channel));
  if (!account)
    return refuse(
      'CHANNEL_NOT_CONFIGURED',
      `the store has no ${input.channel} account: connect one with PUT /v1/channels/${input.channel}`,
    );
  if (account.status === 'conflict')
    return refuse(
      'CHANNEL_NOT_CONFIGURED',
      `the store's ${account.channel} account ${account.externalId} is in conflict: another store holds that id (GET /v1/channels)`,
    );

  const recipient = account.channel === 'messenger' ? await reads.psid(store.id, contact.id) : contact.phone;
  if (!recipient) {
    return refuse(
      'RECIPIENT_UNREACHABLE',
      account.channel === 'messenger'
        ? 'the shopper has not written to the Messenger page (no PSID)'
        : 'the shopper has no phone number',
    );
  }

  let kind: MessageKind;
  let category: MessageCategory;
  let payload: Record<string, unknown>;
  let templateName: string | null = null;
  if ('template' in content) {
    const template = await reads.template(store.id, content.template);
    if (!template) return refuse('TEMPLATE_NOT_FOUND', `no template "${content.template}" in this store`);
    const wanted = account.channel === 'messenger' ? 'messenger' : account.channel === 'whatsapp' ? 'whatsapp' : null;
    if (wanted && template.definition.channel !== wanted) {
      return refuse(
        'VALIDATION_FAILED',
        `template "${content.template}" is a ${template.definition.channel} template; this message goes by ${wanted}`,
      );
    }
    const rendered = await render(reads, store, contact, template.name, template.definition, content, input.publicUrl);
    if ('refusal' in rendered) return rendered.refusal;
    if (!rendered.ok)
      return refuse(rendered.error.code, rendered.error.message, { parameter: rendered.error.parameter });
    ({ kind, category, payload } = rendered);
    templateName = template.name;
  } else if ('text' in content) {
    kind = 'text';
    category = 'service';
    payload =
      account.channel === 'messenger'
        ? { messaging_type: 'RESPONSE', message: { text: content.text } }
        : { type: 'text', text: { body: content.text } };
  } else {
    kind = 'interactive';
    category = 'service';
    payload = { type: 'interactive', interactive: content.interactive };
  }

  const cap = store.settings.marketingFrequencyCap;
  const recent =
    category === 'marketing' ? await reads.recentMarketing(store.id, contact.id, capWindowStart(cap, input.now)) : 0;
  const violation = checkSendRules({
    channel: account.channel,
    kind,
    category,
    contact,
    recentMarketing: recent,
    cap,
    now: input.now,
  });
  if (violation)
    return refuse(violation.code === 'UNKNOWN_RECIPIENT' ? 'RECIPIENT_UNREACHABLE' : violation.code, violation.message);

  return {
    ok: true,
    account,
    message: {
      storeId: store.id,
      contactId: contact.id,
      channel: account.channel,
      sender: account.externalId,
      recipient,
      kind,
      category,
      templateName,
      campaign: input.campaign ?? null,
      source: input.source,
      idempotencyKey: input.idempotencyKey,
      payload,
      ...(input.notBefore !== undefined ? { notBefore: input.notBefore } : {}),
    },
  };
}

async function psidOf(db: Db, storeId: string, contactId: string): Promise<string | null> {
  return (await identitiesOfContact(db, storeId, contactId)).find((k) => k.kind === 'psid')?.value ?? null;
}

async function render(
  reads: ComposeReads,
  store: Store,
  contact: ContactRecord,
  name: string,
  definition: Parameters<typeof renderTemplate>[0],
  content: Extract<Content, { template: string }>,
  publicUrl: string | undefined,
): Promise<RenderResult | { refusal: Composed }> {
  if (definition.channel === 'messenger') return renderFromParams(definition, content.params ?? {});
  const order = content.orderId ? await reads.order(store.id, content.orderId) : null;
  if (content.orderId && !order)
    return { refusal: refuse('ORDER_NOT_FOUND', `no order ${content.orderId} in this store`) };
  const event = content.eventId ? await reads.event(store.id, content.eventId) : null;
  if (content.eventId && !event)
    return { refusal: refuse('EVENT_NOT_FOUND', `no event ${content.eventId} in this store`) };
  const cart = await reads.cart(store.id, contact.id);
  return renderTemplate(
    definition,
    name,
    mergeData({ contact, order, event, cart, store, params: content.params ?? null, publicUrl }),
  );
}

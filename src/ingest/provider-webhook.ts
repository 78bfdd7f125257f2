import { createHash } from 'node:crypto';
import type { MarketingPreference, ParsedWebhook, WebhookInbound, WebhookStatus } from '../channels/channel.js';
import { MARKETING_STOPPED_CODE } from '../channels/graph-errors.js';
import { type ConsentIntent, type ConsentKeywords, keywordIntent, tapIntent } from '../domain/consent.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import { toMinor } from '../domain/money.js';
import { normalizePhone } from '../domain/phone.js';
import type { ConsentChange, Identity, OrderItemInput, StoreContext, StoreEvent } from '../domain/store-event.js';
import { formatIsoUtc } from '../domain/time.js';

/**
 * Provider webhooks (WhatsApp, Messenger, the sandbox) -> StoreEvents. Statuses are system
 * events on the message's shopper; a shopper's message is activity: it opens the 24-hour
 * window, may answer one of our messages, ask about a product, or send a cart (an order).
 * Ids are the provider's, so a webhook delivered twice is one event.
 */

/** Every stop withdraws marketing on every channel; a start gives it back where it was said. */
function consentFor(intent: ConsentIntent, channel: ChannelName, source: string, detail?: string): ConsentChange {
  const given = detail ? { source, detail } : { source };
  if (intent === 'opt_out') return { whatsappStatus: 'INACTIVE', messengerStatus: 'INACTIVE', ...given };
  return channel === 'messenger' ? { messengerStatus: 'ACTIVE', ...given } : { whatsappStatus: 'ACTIVE', ...given };
}

export function statusEvent(channel: ChannelName, status: WebhookStatus): StoreEvent {
  const stopped = status.status === 'failed' && status.errors.some((e) => e.code === MARKETING_STOPPED_CODE);
  return {
    eventId: `${channel}:status:${status.providerMessageId}:${status.status}`,
    name: 'message_status',
    subName: status.status,
    kind: 'system',
    source: channel,
    occurredAt: status.at,
    timestamp: formatIsoUtc(status.at),
    data: {
      providerMessageId: status.providerMessageId,
      status: status.status,
      recipientId: status.recipientId,
      errors: status.errors,
    },
    identity: {},
    products: [],
    messageStatus: {
      channel,
      providerMessageId: status.providerMessageId,
      status: status.status,
      at: status.at,
      errors: status.errors,
    },
    // Meta refused a marketing message: the shopper stopped marketing, whatever Storewire thought.
    ...(stopped ? { consent: consentFor('opt_out', channel, 'whatsapp_131050') } : {}),
    warnings: [],
  };
}

/** The shopper stopped or resumed marketing messages inside WhatsApp (Meta's user_preferences webhook). */
export function preferenceEvent(channel: ChannelName, pref: MarketingPreference, ctx: StoreContext): StoreEvent | null {
  const phone = normalizePhone(`+${pref.from.replace(/^\+/, '')}`, ctx.defaultCountry);
  if (!phone) return null;
  return {
    eventId: `${channel}:preference:${pref.accountExternalId}:${pref.from}:${pref.value}:${pref.at}`,
    name: 'whatsapp_marketing_preference',
    subName: pref.value,
    kind: 'system',
    source: channel,
    occurredAt: pref.at,
    timestamp: formatIsoUtc(pref.at),
    data: { value: pref.value, detail: pref.detail, phoneNumberId: pref.accountExternalId },
    identity: { phone },
    products: [],
    consent: consentFor(
      pref.value === 'stop' ? 'opt_out' : 'opt_in',
      channel,
      'whatsapp_user_preferences',
      pref.detail ?? undefined,
    ),
    warnings: [],
  };
}

/**
 * Meta answered a marketing send with 131050 (the shopper stopped marketing messages): the
 * same news as the webhook, for the message's shopper. Only a contact that exists is changed.
 */
export function marketingRefusedEvent(message: MessageRecord, at: number): StoreEvent {
  return {
    eventId: `${message.channel}:refused:${message.id}`,
    name: 'whatsapp_marketing_refused',
    subName: null,
    kind: 'system',
    source: message.channel === 'messenger' ? 'messenger' : 'whatsapp',
    occurredAt: at,
    timestamp: formatIsoUtc(at),
    data: { messageId: message.id, code: MARKETING_STOPPED_CODE },
    identity: { phone: message.recipient },
    products: [],
    consent: consentFor('opt_out', message.channel, 'whatsapp_131050'),
    matchExistingOnly: true,
    warnings: [],
  };
}

/** What a shopper's message says about marketing: their words (keyword) or a tapped button. */
export function inboundConsent(
  channel: ChannelName,
  message: WebhookInbound,
  keywords: ConsentKeywords,
): ConsentChange | null {
  const tapped = tapIntent(message.reply, keywords);
  if (tapped) return consentFor(tapped, channel, 'button', message.reply!.title || message.reply!.id);
  const said = message.reply ? null : keywordIntent(message.text, keywords);
  return said ? consentFor(said, channel, 'keyword', message.text!) : null;
}

/** The order id Storewire gives a cart sent from WhatsApp: short, and the same for a redelivery. */
export const whatsappOrderId = (providerMessageId: string) =>
  `WA-${createHash('sha256').update(providerMessageId).digest('hex').slice(0, 12).toUpperCase()}`;

export function inboundEvent(
  channel: ChannelName,
  message: WebhookInbound,
  ctx: StoreContext,
  keywords?: ConsentKeywords,
): StoreEvent | null {
  const identity: Identity = {};
  if (channel === 'messenger') identity.psid = message.from;
  else {
    const phone = normalizePhone(`+${message.from.replace(/^\+/, '')}`, ctx.defaultCountry);
    if (!phone) return null;
    identity.phone = phone;
  }
  // The shopper's own WhatsApp name goes beside the store's name for them, never over it.
  if (message.profileName && channel !== 'messenger') identity.whatsappProfileName = message.profileName;

  const product = message.context?.referredProduct ?? null;
  const subName = message.order ? 'order' : message.reply ? 'reply' : product ? 'product_inquiry' : message.type;
  const event: StoreEvent = {
    eventId: `${channel}:in:${message.providerMessageId}`,
    name: `${channel === 'messenger' ? 'messenger' : 'whatsapp'}_message_received`,
    subName,
    kind: 'activity',
    source: channel,
    occurredAt: message.at,
    timestamp: formatIsoUtc(message.at),
    data: {
      providerMessageId: message.providerMessageId,
      type: message.type,
      text: message.text,
      ...(product ? { product } : {}),
      ...(message.reply ? { reply: message.reply } : {}),
      ...(message.order ? { order: message.order } : {}),
      ...(message.context?.messageId ? { replyTo: message.context.messageId } : {}),
    },
    identity,
    products: [],
    inbound: {
      channel,
      providerMessageId: message.providerMessageId,
      replyTo: message.context?.messageId ?? null,
      notify: message.order ? 'order.created' : message.reply ? 'message.reply' : 'message.inbound',
      text: message.text,
      reply: message.reply,
      product,
      fillItemsFromCatalog: !!message.order,
    },
    warnings: [],
  };
  const consent = keywords ? inboundConsent(channel, message, keywords) : null;
  if (consent) event.consent = consent;
  if (message.order) addOrder(event, message.order, message.providerMessageId);
  return event;
}

function addOrder(event: StoreEvent, order: NonNullable<WebhookInbound['order']>, providerMessageId: string): void {
  const currency = order.items[0]?.currency ?? null;
  const items: OrderItemInput[] = order.items.map((item) => ({
    externalItemId: item.productRetailerId,
    name: item.productRetailerId,
    quantity: item.quantity,
    cost: item.itemPrice,
    url: '',
    imageUrl: '',
    extra: { catalogId: order.catalogId },
  }));
  const total = order.items.reduce((sum, item) => sum + item.itemPrice * item.quantity, 0);
  event.order = {
    kind: 'upsert',
    orderId: whatsappOrderId(providerMessageId),
    fields: {
      status: 'INITIALIZED',
      // Decimal text, so the total is exact in the currency's minor unit.
      totalCost: Number(total.toFixed(6)),
      ...(currency ? { currency: currency.toUpperCase() } : {}),
      orderedAt: event.occurredAt,
      items,
      attributes: {
        catalogId: order.catalogId,
        ...(order.text ? { note: order.text } : {}),
        whatsappMessageId: providerMessageId,
      },
    },
    missingForCreate: [],
  };
  event.products = order.items.map((item) => ({
    productId: item.productRetailerId,
    variantId: '',
    title: null,
    priceMinor: toMinor(item.itemPrice, item.currency),
    currency: item.currency?.toUpperCase() ?? null,
    url: null,
    imageUrl: null,
  }));
}

/** Every item of a parsed webhook as events; inbound messages that name no usable sender are skipped. */
export function webhookEvents(
  channel: ChannelName,
  parsed: Pick<ParsedWebhook, 'statuses' | 'inbound' | 'preferences'>,
  ctx: StoreContext,
  keywords?: ConsentKeywords,
): StoreEvent[] {
  const events: StoreEvent[] = parsed.statuses.map((s) => statusEvent(channel, s));
  for (const message of parsed.inbound) {
    const event = inboundEvent(channel, message, ctx, keywords);
    if (event) events.push(event);
  }
  for (const pref of parsed.preferences ?? []) {
    const event = preferenceEvent(channel, pref, ctx);
    if (event) events.push(event);
  }
  return events;
}

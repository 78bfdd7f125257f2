import type {
  AccountError,
  MarketingPreference,
  ParsedWebhook,
  ProviderError,
  WebhookInbound,
  WebhookStatus,
} from '../channel.js';
import { isEpochMs } from '../../domain/time.js';
import { arr, isObject, obj, str } from '../json-read.js';

/**
 * Reads a WhatsApp webhook: the Cloud API shape
 * `{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {...}}]}]}`
 * and the On-Premises flat `{"statuses": [...]}` (seed 000). Statuses and messages that cannot be
 * used (no id, no sender, e.g. a user known only by username) are skipped; a body that is not a
 * webhook at all is a TypeError.
 */
export function parseWhatsAppWebhook(body: unknown): ParsedWebhook {
  if (!isObject(body)) throw new TypeError('a WhatsApp webhook must be a JSON object');
  if (body.object === undefined && Array.isArray(body.statuses)) return parseFlat(body.statuses);
  if (body.object !== 'whatsapp_business_account') {
    throw new TypeError(
      body.object === undefined
        ? 'not a WhatsApp webhook: expected "object": "whatsapp_business_account" with "entry", or an On-Premises "statuses" list'
        : `not a WhatsApp webhook: "object" is ${JSON.stringify(body.object)}, expected "whatsapp_business_account"`,
    );
  }
  if (!Array.isArray(body.entry)) throw new TypeError('not a WhatsApp webhook: "entry" must be an array');
  const parsed: ParsedWebhook = { statuses: [], inbound: [], accountExternalIds: [] };
  body.entry.forEach((entry, i) => {
    if (!isObject(entry)) throw new TypeError(`not a WhatsApp webhook: entry[${i}] must be an object`);
    if (entry.changes === undefined) return;
    if (!Array.isArray(entry.changes))
      throw new TypeError(`not a WhatsApp webhook: entry[${i}].changes must be an array`);
    for (const change of entry.changes) {
      if (!isObject(change) || !isObject(change.value)) continue;
      if (change.field === 'messages') readValue(change.value, parsed);
      else if (change.field === 'user_preferences') readPreferences(change.value, parsed);
    }
  });
  return parsed;
}

function readValue(value: Record<string, unknown>, parsed: ParsedWebhook): void {
  const account = str(obj(value.metadata)?.phone_number_id);
  if (account && !parsed.accountExternalIds.includes(account)) parsed.accountExternalIds.push(account);
  for (const s of arr(value.statuses)) {
    const status = readStatus(s, account);
    if (status) parsed.statuses.push(status);
  }
  if (!account) return;
  // Errors of the account itself (a system error, the whole number rate-limited): no message names them.
  const errors = arr(value.errors).map((e): AccountError => {
    const href = str(obj(e)?.href);
    return { ...readError(e), accountExternalId: account, ...(href ? { href } : {}) };
  });
  if (errors.length > 0) parsed.accountErrors = [...(parsed.accountErrors ?? []), ...errors];
  const contacts = arr(value.contacts).filter(isObject);
  for (const m of arr(value.messages)) {
    const preference = systemPreference(m, account);
    if (preference) addPreference(parsed, preference);
    const inbound = preference ? null : readInbound(m, account, contacts);
    if (inbound) parsed.inbound.push(inbound);
  }
}

/**
 * `{"user_preferences": [{"wa_id", "detail", "category": "marketing_messages", "value": "stop"
 * | "resume", "timestamp"}]}`: the shopper stopped or resumed marketing messages in WhatsApp.
 * Other categories and values are not Storewire's business and are skipped.
 */
function readPreferences(value: Record<string, unknown>, parsed: ParsedWebhook): void {
  const account = str(obj(value.metadata)?.phone_number_id);
  if (!account) return;
  if (!parsed.accountExternalIds.includes(account)) parsed.accountExternalIds.push(account);
  for (const raw of arr(value.user_preferences)) {
    const p = obj(raw);
    const from = str(p?.wa_id);
    const at = epochSeconds(p?.timestamp);
    if (!p || !from || at === null || p.category !== 'marketing_messages') continue;
    if (p.value !== 'stop' && p.value !== 'resume') continue;
    addPreference(parsed, { accountExternalId: account, from, value: p.value, at, detail: str(p.detail) });
  }
}

function addPreference(parsed: ParsedWebhook, preference: MarketingPreference): void {
  if (!parsed.preferences) parsed.preferences = [];
  parsed.preferences.push(preference);
}

/** The same news as a system message, as Meta also sends it: `{"type": "system", "system": {"type": "user_preference_changed", "marketing": "stop"}}`. */
function systemPreference(raw: unknown, account: string): MarketingPreference | null {
  const m = obj(raw);
  const system = obj(m?.system);
  if (m?.type !== 'system' || system?.type !== 'user_preference_changed') return null;
  const from = str(m.from);
  const at = epochSeconds(m.timestamp);
  const value = system.marketing;
  if (!from || at === null || (value !== 'stop' && value !== 'resume')) return null;
  return { accountExternalId: account, from, value, at, detail: str(system.body) };
}

function parseFlat(statuses: unknown[]): ParsedWebhook {
  return {
    statuses: statuses.map((s) => readStatus(s, null)).filter((s): s is WebhookStatus => s !== null),
    inbound: [],
    accountExternalIds: [],
  };
}

const STATUSES = new Set<WebhookStatus['status']>(['sent', 'delivered', 'read', 'failed']);

function readStatus(raw: unknown, account: string | null): WebhookStatus | null {
  if (!isObject(raw)) return null;
  const id = str(raw.id);
  const status = raw.status as WebhookStatus['status'];
  const at = epochSeconds(raw.timestamp);
  if (!id || !STATUSES.has(status) || at === null) return null;
  return {
    providerMessageId: id,
    status,
    at,
    recipientId: str(raw.recipient_id),
    errors: arr(raw.errors).map(readError),
    accountExternalId: account,
  };
}

/** `{"code": 131050, "title": "...", "message": "...", "error_data": {"details": "..."}}` */
function readError(raw: unknown): ProviderError {
  const e = obj(raw) ?? {};
  const code = typeof e.code === 'number' || typeof e.code === 'string' ? String(e.code) : 'unknown';
  const title = str(e.title) ?? str(e.message) ?? 'unknown error';
  const detail = str(obj(e.error_data)?.details) ?? (str(e.message) !== title ? str(e.message) : null);
  return detail ? { code, title, detail } : { code, title };
}

function readInbound(raw: unknown, account: string, contacts: Record<string, unknown>[]): WebhookInbound | null {
  if (!isObject(raw)) return null;
  const id = str(raw.id);
  const from = str(raw.from);
  const at = epochSeconds(raw.timestamp);
  if (!id || !from || at === null) return null;
  const type = str(raw.type) ?? 'unknown';
  const contact = contacts.find((c) => c.wa_id === from);
  const inbound: WebhookInbound = {
    providerMessageId: id,
    accountExternalId: account,
    from,
    profileName: str(obj(contact?.profile)?.name),
    at,
    type,
    text: null,
    context: readContext(raw.context),
    reply: null,
    order: null,
    raw,
  };
  const part = obj(raw[type]);
  switch (type) {
    case 'text':
      inbound.text = str(part?.body);
      break;
    case 'interactive': {
      // button_reply, list_reply (and others, e.g. nfm_reply, kept in raw)
      const reply = obj(part?.[str(part?.type) ?? '']);
      const replyId = str(reply?.id);
      if (replyId) inbound.reply = { id: replyId, title: str(reply?.title) ?? '' };
      inbound.text = inbound.reply?.title ?? null;
      break;
    }
    case 'button': {
      // a quick-reply button of a template: {"payload", "text"}
      const payload = str(part?.payload);
      inbound.text = str(part?.text);
      if (payload) inbound.reply = { id: payload, title: inbound.text ?? '' };
      break;
    }
    case 'order':
      inbound.text = str(part?.text);
      inbound.order = {
        catalogId: str(part?.catalog_id) ?? '',
        text: inbound.text,
        items: arr(part?.product_items)
          .filter(isObject)
          .map((item) => ({
            productRetailerId: str(item.product_retailer_id) ?? '',
            quantity: Number(item.quantity),
            itemPrice: Number(item.item_price),
            currency: str(item.currency) ?? '',
          })),
      };
      break;
    case 'reaction':
      inbound.text = str(part?.emoji);
      if (str(part?.message_id)) inbound.context = { messageId: str(part?.message_id), referredProduct: null };
      break;
    default:
      // image, video, document, audio, sticker, location, contacts, system, unsupported ...
      inbound.text = str(part?.caption);
  }
  return inbound;
}

function readContext(raw: unknown): WebhookInbound['context'] {
  const context = obj(raw);
  if (!context) return null;
  const product = obj(context.referred_product);
  const catalogId = str(product?.catalog_id);
  const productRetailerId = str(product?.product_retailer_id);
  return {
    messageId: str(context.id),
    referredProduct: catalogId && productRetailerId ? { catalogId, productRetailerId } : null,
  };
}

/** Meta's timestamps are epoch seconds, as strings; one no Date can hold (1e308) is no time. */
function epochSeconds(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && n >= 0 && isEpochMs(n * 1000) ? Math.round(n * 1000) : null;
}

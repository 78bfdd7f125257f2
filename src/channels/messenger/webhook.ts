import type { ParsedWebhook, WebhookInbound, WebhookStatus } from '../channel.js';
import { isEpochMs } from '../../domain/time.js';
import { arr, isObject, obj, str } from '../json-read.js';

/**
 * Reads a Messenger page webhook:
 * `{"object": "page", "entry": [{"id": pageId, "time", "messaging": [{sender, recipient, timestamp, message | postback | delivery | read}]}]}`.
 * Messages and quick replies, postbacks become inbound; a delivery becomes a `delivered` status
 * for each mid it lists. Echoes of the page's own messages are skipped. Read receipts carry only
 * a watermark (every message up to that time is read), not message ids: they are reported as
 * `readUpTo`, for the engine to apply to the messages it sent that shopper.
 */
export function parseMessengerWebhook(body: unknown): ParsedWebhook {
  if (!isObject(body)) throw new TypeError('a Messenger webhook must be a JSON object');
  if (body.object !== 'page') {
    throw new TypeError(
      `not a Messenger webhook: "object" is ${body.object === undefined ? 'missing' : JSON.stringify(body.object)}, expected "page"`,
    );
  }
  if (!Array.isArray(body.entry)) throw new TypeError('not a Messenger webhook: "entry" must be an array');
  const parsed: ParsedWebhook = { statuses: [], inbound: [], accountExternalIds: [] };
  body.entry.forEach((entry, i) => {
    if (!isObject(entry)) throw new TypeError(`not a Messenger webhook: entry[${i}] must be an object`);
    const pageId = str(entry.id);
    if (pageId && !parsed.accountExternalIds.includes(pageId)) parsed.accountExternalIds.push(pageId);
    for (const event of arr(entry.messaging)) {
      if (isObject(event)) readEvent(event, pageId, parsed);
    }
  });
  return parsed;
}

function readEvent(event: Record<string, unknown>, entryPageId: string | null, parsed: ParsedWebhook): void {
  const psid = str(obj(event.sender)?.id);
  const pageId = str(obj(event.recipient)?.id) ?? entryPageId;
  const at = epochMs(event.timestamp);
  if (!psid || !pageId) return;

  const delivery = obj(event.delivery);
  if (delivery) {
    const watermark = epochMs(delivery.watermark);
    const when = at ?? watermark;
    if (when === null) return;
    for (const mid of arr(delivery.mids)) {
      const id = str(mid);
      if (id) parsed.statuses.push(status(id, when, psid, pageId));
    }
    return;
  }
  if (at === null) return;

  const message = obj(event.message);
  if (message) {
    if (message.is_echo === true) return;
    const mid = str(message.mid);
    if (!mid) return;
    const quick = obj(message.quick_reply);
    const payload = str(quick?.payload);
    const text = str(message.text);
    const attachment = obj(arr(message.attachments)[0]);
    const replyTo = str(obj(message.reply_to)?.mid);
    parsed.inbound.push({
      ...inbound(mid, pageId, psid, at, event),
      type: payload ? 'quick_reply' : text !== null ? 'text' : (str(attachment?.type) ?? 'unknown'),
      text,
      context: replyTo ? { messageId: replyTo, referredProduct: null } : null,
      reply: payload ? { id: payload, title: text ?? '' } : null,
    });
    return;
  }

  const postback = obj(event.postback);
  if (postback) {
    const title = str(postback.title) ?? '';
    const payload = str(postback.payload) ?? title;
    // Older postbacks carry no mid: one tap is one (sender, time) pair.
    const mid = str(postback.mid) ?? `postback:${psid}:${at}`;
    parsed.inbound.push({
      ...inbound(mid, pageId, psid, at, event),
      type: 'postback',
      text: title || null,
      reply: { id: payload, title },
    });
  }
  const read = obj(event.read);
  const readUpTo = epochMs(read?.watermark);
  if (read && readUpTo !== null) {
    parsed.readUpTo ??= [];
    parsed.readUpTo.push({ accountExternalId: pageId, recipientId: psid, at: readUpTo });
  }
  // reaction, referral, optin, account_linking, ...: not reported.
}

/** Messenger's times are epoch milliseconds; one no Date can hold (1e308) is no time. */
function epochMs(value: unknown): number | null {
  return typeof value === 'number' && value >= 0 && isEpochMs(value) ? value : null;
}

function status(mid: string, at: number, psid: string, pageId: string): WebhookStatus {
  return { providerMessageId: mid, status: 'delivered', at, recipientId: psid, errors: [], accountExternalId: pageId };
}

function inbound(mid: string, pageId: string, psid: string, at: number, raw: Record<string, unknown>): WebhookInbound {
  return {
    providerMessageId: mid,
    accountExternalId: pageId,
    from: psid,
    profileName: null,
    at,
    type: 'unknown',
    text: null,
    context: null,
    reply: null,
    order: null,
    raw,
  };
}

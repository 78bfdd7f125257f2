import { DoNotRetryError, RetryAfterError, SenderError } from './channel.js';
import type { GraphResponse } from './graph-http.js';

/**
 * What a Graph API error answer means for the message: try later (RetryAfterError), give up on
 * it (DoNotRetryError) or stop the sender (SenderError). Meta's error body is
 * `{"error": {"message", "type", "code", "error_subcode", "error_data": {"details"}, "fbtrace_id"}}`.
 */

/** Meta's error for a marketing message to a shopper who stopped marketing messages from the business. */
export const MARKETING_STOPPED_CODE = '131050';

export interface GraphError {
  code: number | null;
  subcode: number | null;
  message: string;
  details: string | null;
  type: string | null;
}

/** Reads Meta's error body; null when the body is not one. */
export function readGraphError(body: unknown): GraphError | null {
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return null;
  const e = error as Record<string, unknown>;
  const data = e.error_data as Record<string, unknown> | string | undefined;
  const details = typeof data === 'string' ? data : typeof data?.details === 'string' ? data.details : null;
  return {
    code: toInt(e.code),
    subcode: toInt(e.error_subcode),
    message: typeof e.message === 'string' && e.message !== '' ? e.message : 'unknown provider error',
    details,
    type: typeof e.type === 'string' ? e.type : null,
  };
}

function toInt(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** Codes meaning "later": how long to wait when the answer carries no Retry-After. */
export const WHATSAPP_RETRY_CODES: ReadonlyMap<number, number> = new Map([
  [1, 5 * SECOND], // API unknown: possible server error
  [2, 5 * SECOND], // API service temporarily unavailable
  [4, 60 * SECOND], // app-level API call rate limit
  [80007, 60 * SECOND], // WABA rate limit
  [130429, 1 * SECOND], // throughput reached
  [131000, 5 * SECOND], // something went wrong
  [131016, 5 * SECOND], // service unavailable
  [131048, 60 * SECOND], // spam rate limit hit
  [131049, 24 * HOUR], // per-user marketing limit: not within 24 h
  [131056, 6 * SECOND], // pair rate limit: about one message per 6 s to one user
  [133004, 5 * SECOND], // server temporarily unavailable
]);

/**
 * Codes that say the sender cannot send at all (token, account, registration): stop the sender,
 * keep the message. 190 is Meta's token error; the others are account-level blocks.
 */
export const WHATSAPP_SENDER_CODES: ReadonlySet<number> = new Set([0, 190, 131031, 131042, 133010]);

export const MESSENGER_RETRY_CODES: ReadonlyMap<number, number> = new Map([
  [1, 5 * SECOND],
  [2, 5 * SECOND],
  [4, 60 * SECOND], // app-level rate limit
  [613, 60 * SECOND], // calls to this API exceeded the rate limit
  [80006, 60 * SECOND], // Messenger rate limit
  [1200, 5 * SECOND], // temporary send message failure
]);

export const MESSENGER_SENDER_CODES: ReadonlySet<number> = new Set([190]);

/** The reason a Messenger send fails with when the PSID is not a person this page can reach. */
export const RECIPIENT_NOT_FOUND = 'Recipient not found';

export function isMessengerRecipientNotFound(error: GraphError): boolean {
  return (error.code === 100 && error.subcode === 2018001) || error.code === 551 || error.subcode === 1545041;
}

interface ErrorRules {
  retry: ReadonlyMap<number, number>;
  sender: ReadonlySet<number>;
  /** A Meta error with a special meaning for this channel, checked first. */
  special?: (error: GraphError) => Error | null;
}

const WHATSAPP_RULES: ErrorRules = { retry: WHATSAPP_RETRY_CODES, sender: WHATSAPP_SENDER_CODES };

const MESSENGER_RULES: ErrorRules = {
  retry: MESSENGER_RETRY_CODES,
  sender: MESSENGER_SENDER_CODES,
  special: (error) =>
    isMessengerRecipientNotFound(error) ? new DoNotRetryError(String(error.code), RECIPIENT_NOT_FOUND) : null,
};

/** The error a non-2xx WhatsApp Cloud API answer stands for. */
export function whatsappError(res: GraphResponse, now?: number): Error {
  return mapGraphError(res, WHATSAPP_RULES, now);
}

/** The error a non-2xx Messenger Send API answer stands for. */
export function messengerError(res: GraphResponse, now?: number): Error {
  return mapGraphError(res, MESSENGER_RULES, now);
}

function mapGraphError(res: GraphResponse, rules: ErrorRules, now?: number): Error {
  const error = readGraphError(res.body);
  const wait = retryAfterMs(res.headers['retry-after'], now);
  const status = res.status;
  if (error) {
    const code = error.code === null ? `HTTP_${status}` : String(error.code);
    const reason = describe(error);
    const special = rules.special?.(error);
    if (special) return special;
    if (status === 401 || (error.code !== null && rules.sender.has(error.code))) return new SenderError(code, reason);
    const retry = error.code === null ? undefined : rules.retry.get(error.code);
    if (retry !== undefined) return new RetryAfterError(wait ?? retry, code, reason);
    if (status === 429) return new RetryAfterError(wait ?? SECOND, code, reason);
    if (status >= 500 || status === 408) return new RetryAfterError(wait ?? 5 * SECOND, code, reason);
    return new DoNotRetryError(code, reason);
  }
  const text = typeof res.body === 'string' ? res.body.slice(0, 200) : '';
  const reason = `HTTP ${status} from the provider${text ? `: ${text}` : ''}`;
  if (status === 401) return new SenderError('HTTP_401', reason);
  if (status === 429) return new RetryAfterError(wait ?? SECOND, 'HTTP_429', reason);
  if (status >= 500 || status === 408) return new RetryAfterError(wait ?? 5 * SECOND, `HTTP_${status}`, reason);
  return new DoNotRetryError(`HTTP_${status}`, reason);
}

/** Meta's message, with its details when they add something. */
function describe(error: GraphError): string {
  if (!error.details || error.message.includes(error.details)) return error.message;
  return `${error.message}: ${error.details}`;
}

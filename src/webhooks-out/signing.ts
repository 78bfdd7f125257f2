import { signatureMatches, signBody } from '../channels/signature.js';

/**
 * Storewire's signature on a delivery: `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"),
 * the timestamp being X-Storewire-Timestamp (epoch seconds). Signing the time with the body lets
 * a receiver refuse an old delivery replayed by someone who captured it.
 */
export const SIGNATURE_HEADER = 'x-storewire-signature';
export const TIMESTAMP_HEADER = 'x-storewire-timestamp';
export const EVENT_HEADER = 'x-storewire-event';
export const DELIVERY_HEADER = 'x-storewire-delivery';

/** How far a receiver should let the timestamp be from its own clock (docs/webhooks.md). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return signBody(
    secret,
    Buffer.concat([Buffer.from(`${timestampSeconds}.`), typeof body === 'string' ? Buffer.from(body) : body]),
  );
}

export interface VerifyInput {
  secret: string;
  /** The raw body bytes, exactly as received (not re-serialized JSON). */
  body: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}

/** What a receiver does (docs/webhooks.md has the same in plain Node): true when the delivery is ours and fresh. */
export function verifyWebhook(input: VerifyInput): boolean {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowSeconds - timestamp) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  return signatureMatches(input.secret, Buffer.concat([Buffer.from(`${input.timestamp}.`), body]), input.signature);
}

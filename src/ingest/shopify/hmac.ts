import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body bytes, keyed with the app secret. */
export function shopifyHmac(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Constant-time check of the header against the body. The body must be the bytes as they
 * arrived: re-serialized JSON differs (key order, spacing, escapes) and never matches.
 */
export function shopifyHmacMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(shopifyHmac(secret, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

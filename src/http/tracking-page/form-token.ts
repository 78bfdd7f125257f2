import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The token each form of the tracking page carries: when it was served, a nonce, and a MAC keyed
 * with the page's own secret (the tracking token), so that only someone who could open the page
 * can submit its forms (CSRF), only for two hours, and — the nonce becoming the event id — only
 * once (replay). "issued.nonce.mac", all URL-safe.
 */
export const FORM_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;

export type FormAction = 'whatsapp' | 'delivery';

const mac = (trackingToken: string, action: FormAction, issued: string, nonce: string) =>
  createHmac('sha256', trackingToken).update(`${action}|${issued}|${nonce}`).digest('base64url');

export function issueFormToken(trackingToken: string, action: FormAction, now: number): string {
  const issued = now.toString(36);
  const nonce = randomBytes(12).toString('base64url');
  return `${issued}.${nonce}.${mac(trackingToken, action, issued, nonce)}`;
}

/** The form's nonce when the token is this page's, for this form, and fresh; else null. */
export function checkFormToken(
  trackingToken: string,
  action: FormAction,
  formToken: unknown,
  now: number,
): { nonce: string } | null {
  if (typeof formToken !== 'string' || formToken.length > 200) return null;
  const [issued, nonce, given] = formToken.split('.');
  if (!issued || !nonce || !given) return null;
  const at = Number.parseInt(issued, 36);
  if (!Number.isSafeInteger(at) || at > now + 60_000 || now - at > FORM_TOKEN_TTL_MS) return null;
  const expected = Buffer.from(mac(trackingToken, action, issued, nonce));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { nonce } : null;
}

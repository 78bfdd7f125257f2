import { resolveIdentity, type IdentityResult } from '../../domain/identity.js';
import type { Rejection, StoreContext, StoreEvent } from '../../domain/store-event.js';
import { parseTimestamp } from '../../domain/time.js';

export type Raw = Record<string, unknown>;

/** What one Shopify webhook delivery becomes. */
export type ShopifyAdapted =
  | { kind: 'events'; events: StoreEvent[] }
  /** Answered 200 and not applied (Shopify must not retry it), with why. */
  | { kind: 'ignored'; reason: { code: string; message: string } }
  /** The payload is not what the topic says: answered 400 with the reason. */
  | { kind: 'mismatch'; error: Rejection };

export interface ShopifyDelivery {
  topic: string;
  /** X-Shopify-Webhook-Id: the same for every retry of one delivery. */
  eventId: string;
  payload: Raw;
}

export const text = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : null;

export const mismatch = (topic: string, message: string, path: string): ShopifyAdapted => ({
  kind: 'mismatch',
  error: { code: 'WEBHOOK_TOPIC_MISMATCH', message: `not a ${topic} payload: ${message}`, path },
});

/** Shopify's times carry their offset; the zone is only a fallback for one that does not. */
export function shopifyTime(value: unknown): number | null {
  return parseTimestamp(value, 'UTC');
}

/** "John Smith" from a customer's first and last names. */
export function fullName(customer: Raw | null): string | null {
  if (!customer) return null;
  const name = [text(customer.first_name), text(customer.last_name)].filter(Boolean).join(' ');
  return name === '' ? null : name;
}

/**
 * The shopper a checkout or order names: the Shopify customer id (plain, as Shopify writes it,
 * so events that use the same id — a storefront pixel, Segment — land on the same contact),
 * the email and phone given on the checkout or order (else the customer account's), and the
 * customer's name. Address phones are not used: a shipping address may be someone else's.
 */
export function shopperIdentity(payload: Raw, ctx: StoreContext): IdentityResult {
  const customer = (payload.customer as Raw | null | undefined) ?? null;
  return resolveIdentity(
    {
      customerId: customer ? text(customer.id) : null,
      email: text(payload.email) ?? text(payload.contact_email) ?? (customer ? text(customer.email) : null),
      phone: text(payload.phone) ?? (customer ? text(customer.phone) : null),
      name: fullName(customer),
    },
    ctx.defaultCountry,
  );
}

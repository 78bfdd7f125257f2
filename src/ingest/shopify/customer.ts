import { resolveIdentity } from '../../domain/identity.js';
import type { StoreContext } from '../../domain/store-event.js';
import { formatIsoUtc } from '../../domain/time.js';
import { checker } from '../validate.js';
import {
  fullName,
  mismatch,
  shopifyTime,
  text,
  type Raw,
  type ShopifyAdapted,
  type ShopifyDelivery,
} from './common.js';
import { ShopifyCustomer } from './schemas.js';

const customerChecker = checker(ShopifyCustomer);

/** The contact attribute that keeps the customer's updated_at, which orders the deliveries. */
export const SHOPIFY_UPDATED_AT_ATTRIBUTE = 'shopifyUpdatedAt';

/**
 * customers/create and customers/update: the contact's identifiers (the Shopify customer id,
 * email, phone), name and marketing consent. The consent states are kept as contact
 * attributes; SMS consent does NOT opt the shopper in to WhatsApp — consent is per channel, and
 * Meta requires an opt-in that names WhatsApp. A delivery older than the one applied (by the
 * customer's updated_at) changes nothing.
 */
export function adaptCustomer(delivery: ShopifyDelivery, ctx: StoreContext, receivedAt: number): ShopifyAdapted {
  const { topic, payload } = delivery;
  // An order or a checkout also has an id and an email: what no customer has is line items.
  if ('line_items' in payload)
    return mismatch(topic, 'a customer has no line_items (is this an order or a checkout?)', '/line_items');
  const problem = customerChecker.check(payload);
  if (problem) return mismatch(topic, problem.message, problem.path ?? 'body');
  const updatedAt = payload.updated_at ? shopifyTime(payload.updated_at) : null;
  if (payload.updated_at && updatedAt === null)
    return mismatch(topic, `/updated_at "${String(payload.updated_at)}" is not a time`, '/updated_at');

  const who = resolveIdentity(
    { customerId: text(payload.id), email: text(payload.email), phone: text(payload.phone) },
    ctx.defaultCountry,
  );
  // The customer id is always there, so only a malformed one can fail here.
  if (!who.ok) return mismatch(topic, who.message, '/id');

  const name = fullName(payload);
  const at = updatedAt ?? shopifyTime(payload.created_at) ?? receivedAt;
  return {
    kind: 'events',
    events: [
      {
        eventId: delivery.eventId,
        name: 'contact_synced',
        subName: null,
        kind: 'system',
        source: 'shopify',
        occurredAt: at,
        timestamp: text(payload.updated_at) ?? formatIsoUtc(at),
        data: { topic, ...payload },
        identity: who.identity,
        products: [],
        profile: {
          ...(name ? { name } : {}),
          attributes: attributesOf(payload),
          ...(updatedAt !== null
            ? { sourceUpdatedAt: { attribute: SHOPIFY_UPDATED_AT_ATTRIBUTE, at: updatedAt } }
            : {}),
        },
        warnings: who.warnings,
      },
    ],
  };
}

function attributesOf(customer: Raw): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [field, name] of [
    ['email_marketing_consent', 'emailMarketingConsent'],
    ['sms_marketing_consent', 'smsMarketingConsent'],
  ] as const) {
    const consent = customer[field] as Raw | null | undefined;
    if (consent === undefined) continue;
    attributes[name] = consent ? text(consent.state) : null;
    attributes[`${name}UpdatedAt`] = consent ? text(consent.consent_updated_at) : null;
  }
  if (customer.tags !== undefined) attributes.shopifyTags = text(customer.tags);
  if (customer.state !== undefined) attributes.shopifyAccountState = text(customer.state);
  return attributes;
}

import Type from 'typebox';
import { normalizeEmail } from '../domain/identity.js';
import { newId } from '../domain/ids.js';
import { normalizePhone } from '../domain/phone.js';
import type { StoreContext, StoreEvent } from '../domain/store-event.js';
import { formatIsoUtc } from '../domain/time.js';

/** Seed 004's opt-in request, from the order-tracking page's "notify me on WhatsApp" box. */
export const WhatsAppSubscriptionBody = Type.Object({
  contactPhone: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()]),
  customerName: Type.Optional(Type.String({ maxLength: 256 })),
  email: Type.String({ minLength: 1, maxLength: 320 }),
  accountId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()], {
    description: 'The Storewire store id.',
  }),
  whatsAppStatus: Type.Union([Type.Literal('ACTIVE'), Type.Literal('INACTIVE')]),
});
export type WhatsAppSubscriptionBody = Type.Static<typeof WhatsAppSubscriptionBody>;

/**
 * The opt-in as a system event that may only touch an existing contact holding both the phone
 * and the email (seed 004: UPDATE customers ... WHERE phone AND email AND account). Returns
 * null when the phone or email cannot be read, which can match no one.
 */
export function adaptWhatsAppSubscription(
  body: WhatsAppSubscriptionBody,
  orderId: string,
  ctx: StoreContext,
  receivedAt: number,
): StoreEvent | null {
  const phone = normalizePhone(body.contactPhone, ctx.defaultCountry);
  const email = normalizeEmail(body.email);
  if (!phone || !email) return null;
  return {
    eventId: newId('ws', receivedAt),
    name: 'whatsapp_subscription_updated',
    subName: body.whatsAppStatus,
    kind: 'system',
    source: 'order_portal',
    occurredAt: receivedAt,
    timestamp: formatIsoUtc(receivedAt),
    data: { orderId, ...body },
    identity: { phone, email },
    products: [],
    consent: { whatsappStatus: body.whatsAppStatus, source: 'order_portal' },
    matchExistingOnly: true,
    warnings: [],
  };
}

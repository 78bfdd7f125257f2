import { NDR_CHOICE_EVENT_NAME } from '../domain/ndr.js';
import type { StoreEvent } from '../domain/store-event.js';
import { formatIsoUtc } from '../domain/time.js';

/**
 * What a shopper does on the hosted order-tracking page, as events. Their ids come from the form
 * the page served (one nonce per form), so a form submitted twice — a double tap, a replay — is
 * one event.
 */

const base = (eventId: string, now: number) => ({
  eventId,
  occurredAt: now,
  timestamp: formatIsoUtc(now),
  products: [],
  warnings: [],
});

/**
 * "Send me updates on WhatsApp": what POST /v1/orders/{orderId}/whatsapp-subscription does —
 * only the existing contact holding both the phone and the email (when the order's shopper has
 * one) becomes ACTIVE — with the consent source "tracking_page".
 */
export function trackingPageOptIn(input: {
  orderId: string;
  phone: string;
  email: string | null;
  nonce: string;
  now: number;
}): StoreEvent {
  return {
    ...base(`tracking_page:whatsapp:${input.nonce}`, input.now),
    name: 'whatsapp_subscription_updated',
    subName: 'ACTIVE',
    kind: 'system',
    source: 'tracking_page',
    data: { orderId: input.orderId, whatsAppStatus: 'ACTIVE' },
    identity: { phone: input.phone, ...(input.email ? { email: input.email } : {}) },
    consent: { whatsappStatus: 'ACTIVE', source: 'tracking_page' },
    matchExistingOnly: true,
  };
}

/** A failed-delivery resolution the shopper picked (one the courier offered). */
export function trackingPageNdrChoice(input: {
  orderId: string;
  shipmentId: string;
  resolutionCode: string;
  action: string;
  nonce: string;
  now: number;
}): StoreEvent {
  return {
    ...base(`tracking_page:ndr:${input.nonce}`, input.now),
    name: NDR_CHOICE_EVENT_NAME,
    subName: input.resolutionCode,
    kind: 'activity',
    source: 'tracking_page',
    data: {
      orderId: input.orderId,
      shipmentId: input.shipmentId,
      reply: { id: input.resolutionCode, title: input.action },
    },
    identity: {},
    ndrChoice: {
      orderId: input.orderId,
      shipmentId: input.shipmentId,
      channel: 'tracking_page',
      resolutionCode: input.resolutionCode,
      action: input.action,
    },
  };
}

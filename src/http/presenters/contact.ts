import type { IdentityKey } from '../../domain/identity.js';
import { fromMinor } from '../../domain/money.js';
import type { CartRecord, ContactView, EventRecord, OrderRecord } from '../../domain/records.js';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

export function presentContactSummary(contact: ContactView) {
  return {
    id: contact.id,
    customerId: contact.customerId,
    email: contact.email,
    phone: contact.phone,
    name: contact.name,
    attributes: contact.attributes,
    whatsapp: {
      status: contact.whatsappStatus,
      source: contact.whatsappStatusSource,
      updatedAt: iso(contact.whatsappStatusAt),
      profileName: contact.whatsappProfileName,
    },
    // null: the shopper never said; marketing on Messenger goes unless it is INACTIVE.
    messenger: {
      status: contact.messengerStatus,
      source: contact.messengerStatusSource,
      updatedAt: iso(contact.messengerStatusAt),
    },
    createdAt: iso(contact.createdAt),
    lastSeenAt: iso(contact.lastSeenAt),
  };
}

export function presentCart(cart: CartRecord | null) {
  if (!cart) return null;
  return {
    status: cart.status,
    total: fromMinor(cart.totalMinor, cart.currency),
    currency: cart.currency,
    cartLink: cart.cartLink,
    recentProductImage: cart.recentProductImage,
    lines: cart.lines.map((line) => ({
      productId: line.productId,
      variantId: line.variantId || null,
      title: line.title,
      quantity: line.quantity,
      linePrice: fromMinor(line.linePriceMinor, cart.currency),
      productUrl: line.url,
      imageUrl: line.imageUrl,
    })),
    updatedAt: iso(cart.updatedAt),
  };
}

export function presentEvent(event: EventRecord) {
  return {
    eventId: event.eventId,
    name: event.name,
    subName: event.subName,
    kind: event.kind,
    source: event.source,
    timestamp: event.timestamp,
    occurredAt: iso(event.occurredAt),
    data: event.data,
  };
}

export function presentOrderSummary(order: OrderRecord) {
  return {
    orderId: order.orderId,
    status: order.state.status,
    total: fromMinor(order.state.totalMinor, order.state.currency),
    currency: order.state.currency,
    orderedAt: iso(order.state.orderedAt),
    items: order.state.items.length,
  };
}

export interface ContactDetail {
  contact: ContactView;
  identities: IdentityKey[];
  cart: CartRecord | null;
  events: EventRecord[];
  orders: OrderRecord[];
  /** consent_changed events, newest first */
  consent: EventRecord[];
}

/** One change of marketing consent, as the contact's consentHistory lists it. */
export function presentConsentChange(event: EventRecord) {
  const data = event.data as { channel?: string; status?: string; previousStatus?: string | null; source?: string };
  return {
    channel: data.channel ?? event.subName,
    status: data.status ?? null,
    previousStatus: data.previousStatus ?? null,
    source: data.source ?? null,
    detail: (event.data.detail as string | undefined) ?? null,
    at: iso(event.occurredAt),
    eventId: event.eventId,
  };
}

export function presentContact(detail: ContactDetail) {
  return {
    ...presentContactSummary(detail.contact),
    identities: detail.identities,
    cart: presentCart(detail.cart),
    recentEvents: detail.events.map(presentEvent),
    orders: detail.orders.map(presentOrderSummary),
    consentHistory: detail.consent.map(presentConsentChange),
  };
}

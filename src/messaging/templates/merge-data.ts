import { trackingUrl } from '../../domain/links.js';
import { fromMinor } from '../../domain/money.js';
import { itemsTotalMinor } from '../../domain/order-rules.js';
import type { CartRecord, ContactRecord, EventRecord, OrderRecord } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import { formatLocal } from '../../domain/time.js';

/**
 * What a template's Liquid expressions can read, in words a template writer knows:
 * snake_case names, decimal money, dates in the store's time zone. Only what the message
 * is about is there: a template that reads `order` fails with MISSING_PARAMETER when the
 * message has no order, instead of sending an empty value.
 */
export interface MergeData {
  contact: MergeContact;
  event?: MergeEvent;
  order?: MergeOrder;
  cart?: MergeCart;
  store: MergeStore;
  /** Values the send request gave, as it gave them. */
  params?: Record<string, unknown>;
}

export interface MergeContact {
  id: string;
  /** The first word of the name. */
  first_name: string | null;
  /** The name the store gave the shopper, else the one they gave themselves on WhatsApp. */
  name: string | null;
  /** The name the shopper gave themselves on WhatsApp. */
  whatsapp_profile_name: string | null;
  email: string | null;
  /** E.164, e.g. +919876543210 */
  phone: string | null;
  customer_id: string | null;
  whatsapp_status: string;
  attributes: Record<string, unknown>;
}

export interface MergeEvent {
  id: string;
  name: string;
  sub_name: string | null;
  /** As the client sent it. */
  timestamp: string;
  /** ISO 8601, UTC. */
  occurred_at: string;
  source: string;
  data: Record<string, unknown>;
}

export interface MergeOrderItem {
  /** Anything else the store sent for the item (category, sku...), then the fields below. */
  [extra: string]: unknown;
  id: string;
  name: string;
  quantity: number;
  /** Unit price, decimal. */
  price: number | null;
  /** price x quantity */
  line_total: number | null;
  url: string;
  image_url: string;
}

export interface MergeOrder {
  /** The parameters the store sent with the order (paymentType, shippingAddress...), then the fields below. */
  [attribute: string]: unknown;
  id: string;
  /** customerOrderNumber when the store gave one, else the id. */
  number: string;
  status: string;
  /** Decimal, e.g. 258 or 11.99 (format with `| money: order.currency`). */
  total: number | null;
  subtotal: number | null;
  currency: string | null;
  /** "YYYY-MM-DD HH:mm:ss" in the store's time zone. */
  order_date: string;
  /** ISO 8601, UTC. */
  ordered_at: string;
  source: string;
  items: MergeOrderItem[];
  item_count: number;
  attributes: Record<string, unknown>;
  /** The order's hosted tracking page (PUBLIC_URL/t/<token>), when the sender knows PUBLIC_URL. */
  tracking_url?: string;
}

export interface MergeCartItem {
  product_id: string;
  variant_id: string | null;
  title: string | null;
  quantity: number;
  /** The line's price (all units), decimal. */
  price: number | null;
  url: string | null;
  image_url: string | null;
}

export interface MergeCart {
  status: string;
  total: number | null;
  currency: string | null;
  link: string | null;
  /** The image of the product added last. */
  image_url: string | null;
  item_count: number;
  items: MergeCartItem[];
}

export interface MergeStore {
  id: string;
  name: string;
}

export interface MergeInput {
  contact: ContactRecord;
  event?: EventRecord | null;
  order?: OrderRecord | null;
  cart?: CartRecord | null;
  store: Pick<Store, 'id' | 'name' | 'timeZone'>;
  params?: Record<string, unknown> | null;
  /** PUBLIC_URL: the base of links the message may carry (order.tracking_url). */
  publicUrl?: string;
}

export function mergeData(input: MergeInput): MergeData {
  const data: MergeData = {
    contact: mergeContact(input.contact),
    store: { id: input.store.id, name: input.store.name },
  };
  if (input.event) data.event = mergeEvent(input.event);
  if (input.order) data.order = mergeOrder(input.order, input.store.timeZone, input.publicUrl);
  if (input.cart) data.cart = mergeCart(input.cart);
  if (input.params) data.params = input.params;
  return data;
}

export function mergeContact(contact: ContactRecord): MergeContact {
  const name = contact.name?.trim() || contact.whatsappProfileName?.trim() || null;
  return {
    id: contact.id,
    first_name: name ? name.split(/\s+/)[0]! : null,
    name,
    whatsapp_profile_name: contact.whatsappProfileName,
    email: contact.email,
    phone: contact.phone,
    customer_id: contact.customerId,
    whatsapp_status: contact.whatsappStatus,
    attributes: contact.attributes,
  };
}

function mergeEvent(event: EventRecord): MergeEvent {
  return {
    id: event.eventId,
    name: event.name,
    sub_name: event.subName,
    timestamp: event.timestamp,
    occurred_at: new Date(event.occurredAt).toISOString(),
    source: event.source,
    data: event.data,
  };
}

function mergeOrder(order: OrderRecord, timeZone: string, publicUrl: string | undefined): MergeOrder {
  const { state } = order;
  const tracking = publicUrl ? trackingUrl(publicUrl, order.trackingToken) : null;
  const money = (minor: number) => fromMinor(minor, state.currency);
  const number = state.attributes.customerOrderNumber;
  return {
    ...state.attributes,
    id: order.orderId,
    number: typeof number === 'string' || typeof number === 'number' ? String(number) : order.orderId,
    status: state.status,
    total: money(state.totalMinor),
    subtotal: money(itemsTotalMinor(state.items)),
    currency: state.currency,
    order_date: formatLocal(state.orderedAt, timeZone),
    ordered_at: new Date(state.orderedAt).toISOString(),
    source: order.source,
    items: state.items.map((item) => ({
      ...item.extra,
      id: item.externalItemId,
      name: item.name,
      quantity: item.quantity,
      price: money(item.costMinor),
      line_total: money(item.costMinor * item.quantity),
      url: item.url,
      image_url: item.imageUrl,
    })),
    item_count: state.items.length,
    attributes: state.attributes,
    ...(tracking ? { tracking_url: tracking } : {}),
  };
}

function mergeCart(cart: CartRecord): MergeCart {
  return {
    status: cart.status,
    total: fromMinor(cart.totalMinor, cart.currency),
    currency: cart.currency,
    link: cart.cartLink,
    image_url: cart.recentProductImage,
    item_count: cart.lines.length,
    items: cart.lines.map((line) => ({
      product_id: line.productId,
      variant_id: line.variantId || null,
      title: line.title,
      quantity: line.quantity,
      price: fromMinor(line.linePriceMinor, cart.currency),
      url: line.url,
      image_url: line.imageUrl,
    })),
  };
}

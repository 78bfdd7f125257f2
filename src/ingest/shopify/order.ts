import type {
  OrderFields,
  OrderItemInput,
  OrderStatus,
  ProductSighting,
  StoreContext,
  StoreEvent,
} from '../../domain/store-event.js';
import { decimalAmount, deduction, fromMinor, toMinor } from '../../domain/money.js';
import { checker } from '../validate.js';
import {
  mismatch,
  shopifyTime,
  shopperIdentity,
  text,
  type Raw,
  type ShopifyAdapted,
  type ShopifyDelivery,
} from './common.js';
import { ShopifyOrder } from './schemas.js';

const orderChecker = checker(ShopifyOrder);

/** Stored event name per topic. */
const EVENT_NAMES: Record<string, string> = {
  'orders/create': 'order_created',
  'orders/updated': 'order_updated',
  'orders/paid': 'order_paid',
  'orders/cancelled': 'order_cancelled',
  'orders/fulfilled': 'order_fulfilled',
};

const PAID = new Set(['paid', 'partially_paid', 'partially_refunded', 'refunded']);

/**
 * Shopify's order state -> Storewire's status (docs/connectors-shopify.md has the table).
 * Shopify has no "delivered" on the order: that comes from its fulfillments.
 */
export function orderStatusOf(order: Raw): OrderStatus {
  if (text(order.cancelled_at)) return 'CANCELLED';
  const fulfillment = text(order.fulfillment_status);
  if (fulfillment === 'fulfilled' || fulfillment === 'partial') return 'IN_PROGRESS';
  return PAID.has(text(order.financial_status) ?? '') ? 'IN_PROGRESS' : 'INITIALIZED';
}

/** Cash on delivery, as Shopify's manual payment method is usually named. */
const isCod = (gateways: unknown) =>
  Array.isArray(gateways) && gateways.some((g) => /cash on delivery|\bcod\b/i.test(String(g)));

/**
 * Every orders/* topic carries the whole order: each delivery creates the order or brings it
 * up to date. Its updated_at is the order's source time, so a delivery older than one already
 * applied changes nothing (STALE_UPDATE) — Shopify sends no order of its own.
 */
export function adaptOrder(delivery: ShopifyDelivery, ctx: StoreContext): ShopifyAdapted {
  const { topic, payload } = delivery;
  const problem = orderChecker.check(payload);
  if (problem) return mismatch(topic, problem.message, problem.path ?? 'body');
  const createdAt = shopifyTime(payload.created_at);
  if (createdAt === null)
    return mismatch(topic, `/created_at "${String(payload.created_at)}" is not a time`, '/created_at');
  const updatedAt = shopifyTime(payload.updated_at);
  if (updatedAt === null)
    return mismatch(topic, `/updated_at "${String(payload.updated_at)}" is not a time`, '/updated_at');

  const who = shopperIdentity(payload, ctx);
  const orderId = text(payload.id)!;
  const currency = text(payload.currency);
  const items = (payload.line_items as Raw[]).map((line) => itemOf(line, currency));
  const fields: OrderFields = {
    status: orderStatusOf(payload),
    totalCost: payload.total_price as string | number,
    currency: currency ?? undefined,
    orderedAt: createdAt,
    items,
    attributes: attributesOf(payload, currency),
    sourceUpdatedAt: updatedAt,
  };
  const created = topic === 'orders/create';
  const event: StoreEvent = {
    eventId: delivery.eventId,
    name: EVENT_NAMES[topic] ?? 'order_updated',
    subName: null,
    kind: 'activity',
    source: 'shopify',
    occurredAt: created ? createdAt : updatedAt,
    timestamp: String(created ? payload.created_at : payload.updated_at),
    data: { topic, ...payload },
    identity: who.ok ? who.identity : {},
    products: productsOf(payload.line_items as Raw[], currency),
    order: {
      kind: 'upsert',
      orderId,
      fields,
      // An order nobody can be found for is not created (the engine says why); an update of a
      // known order still applies to the shopper it has.
      missingForCreate: who.ok ? [] : ['customer id, email or phone'],
      totalIncludesCharges: true,
    },
    warnings: who.ok ? who.warnings : [],
  };
  return { kind: 'events', events: [event] };
}

function itemOf(line: Raw, currency: string | null): OrderItemInput {
  const extra: Record<string, unknown> = {};
  for (const [key, name] of [
    ['product_id', 'productId'],
    ['variant_id', 'variantId'],
    ['sku', 'sku'],
    ['variant_title', 'variantTitle'],
  ] as const) {
    const value = text(line[key]);
    if (value !== null) extra[name] = value;
  }
  // Seed 004's names for the same facts: the line's discount (a deduction) and its tax.
  const discount = deduction(sumAmounts(line.discount_allocations, currency) ?? line.total_discount, currency);
  if (discount !== null) extra.discount = discount;
  const tax = sumAmounts(line.tax_lines, currency);
  if (tax !== null) extra.taxAmount = tax;
  return {
    externalItemId: text(line.id)!,
    name: text(line.title) ?? text(line.name) ?? '',
    quantity: line.quantity as number,
    cost: line.price as string | number,
    // Shopify's order lines carry no product link or image; the catalog may know them.
    url: '',
    imageUrl: '',
    extra,
  };
}

/** The sum of a list's `amount` (discount allocations) or `price` (tax lines); null for no list. */
function sumAmounts(list: unknown, currency: string | null): number | null {
  if (!Array.isArray(list)) return null;
  let minor = 0;
  for (const entry of list as Raw[]) minor += toMinor(entry?.amount ?? entry?.price, currency) ?? 0;
  return fromMinor(minor, currency);
}

/** The shipping method the shopper chose: the titles of the order's shipping lines (not removed ones). */
function shipMethodOf(order: Raw): string | null {
  if (!Array.isArray(order.shipping_lines)) return null;
  const titles = (order.shipping_lines as Raw[])
    .filter((line) => line?.is_removed !== true)
    .map((line) => text(line?.title) ?? text(line?.code))
    .filter((title): title is string => title !== null);
  return titles.length > 0 ? titles.join(', ') : null;
}

function attributesOf(order: Raw, currency: string | null): Record<string, unknown> {
  const money = (set: unknown) => text(((set as Raw | null)?.shop_money as Raw | undefined)?.amount);
  const attributes: Record<string, unknown> = {
    customerOrderNumber: text(order.name) ?? text(order.order_number),
    financialStatus: text(order.financial_status),
    fulfillmentStatus: text(order.fulfillment_status),
    cancelReason: text(order.cancel_reason),
    cancelledAt: text(order.cancelled_at),
    paymentType: isCod(order.payment_gateway_names) ? 'COD' : 'PREPAID',
    paymentGateways: order.payment_gateway_names ?? [],
    subtotal: text(order.subtotal_price),
    totalTax: text(order.total_tax),
    totalDiscounts: text(order.total_discounts),
    totalShipping: money(order.total_shipping_price_set),
    orderStatusUrl: text(order.order_status_url),
    shippingAddress: order.shipping_address ?? null,
    billingAddress: order.billing_address ?? null,
    tags: text(order.tags),
    checkoutToken: text(order.checkout_token),
    test: order.test === true,
    // The same facts under seed 004's names, so GET /v1/orders/{id} reads alike whatever the source.
    taxAmount: decimalAmount(order.total_tax, currency),
    shipMethod: shipMethodOf(order),
    balanceDue: decimalAmount(order.total_outstanding, currency),
  };
  // Nulls are kept: a field Shopify cleared must clear what an earlier delivery set.
  return attributes;
}

function productsOf(lines: Raw[], currency: string | null): ProductSighting[] {
  return lines
    .filter((line) => text(line.product_id) !== null)
    .map((line) => ({
      productId: text(line.product_id)!,
      variantId: text(line.variant_id) ?? '',
      title: text(line.title),
      priceMinor: currency ? toMinor(line.price, currency) : null,
      currency,
      url: null,
      imageUrl: null,
    }));
}

import { decimalAmount, deduction, fromMinor, toMinor } from '../domain/money.js';
import {
  ORDER_STATUSES,
  type Amount,
  type CartLine,
  type OrderFields,
  type OrderItemInput,
  type OrderStatus,
  type ProductSighting,
  type Rejection,
  type StoreEvent,
  type Warning,
} from '../domain/store-event.js';
import { formatIsoUtc } from '../domain/time.js';

/**
 * Segment's E-commerce Spec v2, mapped onto Storewire's events: products seen, the cart (one
 * product at a time, or the whole cart), and orders. Every other track event stays a custom
 * event under its own name.
 */

type Raw = Record<string, unknown>;
type Mapper = (props: Raw, event: StoreEvent) => Rejection | null;

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : null;
const isRaw = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const amount = (value: unknown): Amount | null =>
  (typeof value === 'number' || typeof value === 'string') && toMinor(value) !== null ? value : null;

/** "Product Viewed", "product_viewed" and "product viewed" are one event. */
export const specKey = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

interface Product {
  productId: string;
  variantId: string;
  title: string | null;
  quantity: number | null;
  price: Amount | null;
  url: string | null;
  imageUrl: string | null;
  /** Everything else the product carried (sku, brand, category...). */
  extra: Raw;
}

const PRODUCT_FIELDS = new Set(['product_id', 'id', 'variant_id', 'name', 'quantity', 'price', 'url', 'image_url']);

function readProduct(p: Raw): Product | null {
  const productId = text(p.product_id) ?? text(p.sku) ?? text(p.id);
  if (!productId) return null;
  const quantity =
    typeof p.quantity === 'number' ? p.quantity : typeof p.quantity === 'string' ? Number(p.quantity) : NaN;
  const extra: Raw = {};
  for (const [key, value] of Object.entries(p)) if (!PRODUCT_FIELDS.has(key)) extra[key] = value;
  return {
    productId,
    // Segment's `variant` is the variant's name ("Blue"); it still tells two variants apart.
    variantId: text(p.variant_id) ?? text(p.variant) ?? '',
    title: text(p.name),
    quantity: Number.isFinite(quantity) && quantity > 0 ? quantity : null,
    price: amount(p.price),
    url: text(p.url),
    imageUrl: text(p.image_url),
    extra,
  };
}

/** The products of a list (products: [...]); those without any id are left out, with a warning. */
function readProducts(list: unknown, event: StoreEvent): Product[] {
  if (!Array.isArray(list)) return [];
  const products: Product[] = [];
  let skipped = 0;
  for (const entry of list) {
    const product = isRaw(entry) ? readProduct(entry) : null;
    if (product) products.push(product);
    else skipped += 1;
  }
  if (skipped > 0) event.warnings.push(productWithoutId(skipped));
  return products;
}

const productWithoutId = (n: number): Warning => ({
  code: 'PRODUCT_WITHOUT_ID',
  message: `${n} product${n === 1 ? '' : 's'} with none of product_id, sku or id ${n === 1 ? 'was' : 'were'} left out`,
});

const currencyOf = (props: Raw) => text(props.currency)?.toUpperCase() ?? null;

/** A product as the catalog keeps it; without a currency its price cannot be kept. */
function sighting(p: Product, currency: string | null): ProductSighting {
  return {
    productId: p.productId,
    variantId: p.variantId,
    title: p.title,
    priceMinor: currency && p.price !== null ? toMinor(p.price, currency) : null,
    currency,
    url: p.url,
    imageUrl: p.imageUrl,
  };
}

function cartLine(p: Product, currency: string | null): CartLine {
  const quantity = p.quantity ?? 1;
  const unit = p.price === null ? null : toMinor(p.price, currency);
  return {
    productId: p.productId,
    variantId: p.variantId,
    title: p.title,
    quantity,
    linePriceMinor: unit === null ? null : Math.round(unit * quantity),
    url: p.url,
    imageUrl: p.imageUrl,
  };
}

/** A link back to the cart is not in the spec; cart_url (or checkout_url) is read when sent. */
const cartLinkOf = (props: Raw) => text(props.cart_url) ?? text(props.checkout_url);

const productViewed: Mapper = (props, event) => {
  event.name = 'product_view';
  const product = readProduct(props);
  if (product) event.products = [sighting(product, currencyOf(props))];
  else event.warnings.push(productWithoutId(1));
  return null;
};

const productListViewed: Mapper = (props, event) => {
  event.name = 'collection_view';
  event.products = readProducts(props.products, event).map((p) => sighting(p, currencyOf(props)));
  return null;
};

const cartChange =
  (op: 'add' | 'remove'): Mapper =>
  (props, event) => {
    event.name = 'cart_update';
    event.subName = op === 'add' ? 'add_to_cart' : 'remove_from_cart';
    const product = readProduct(props);
    if (!product) {
      event.warnings.push(productWithoutId(1));
      return null;
    }
    const currency = currencyOf(props);
    event.products = [sighting(product, currency)];
    event.cartChange = {
      op,
      productId: product.productId,
      variantId: product.variantId,
      title: product.title,
      quantity: product.quantity,
      unitPriceMinor: product.price === null ? null : toMinor(product.price, currency),
      currency,
      url: product.url,
      imageUrl: product.imageUrl,
      cartLink: cartLinkOf(props),
    };
    return null;
  };

/** Cart Viewed and Checkout Started list the whole cart: it becomes the cart, as a snapshot. */
const cartSnapshot =
  (name: string): Mapper =>
  (props, event) => {
    event.name = name;
    if (!Array.isArray(props.products)) return null;
    const currency = currencyOf(props);
    const products = readProducts(props.products, event);
    const lines = products.map((p) => cartLine(p, currency));
    const priced = lines.every((l) => l.linePriceMinor !== null);
    event.products = products.map((p) => sighting(p, currency));
    event.cart = {
      lines,
      empty: lines.length === 0,
      cartLink: cartLinkOf(props),
      totalMinor: priced ? lines.reduce((sum, l) => sum + l.linePriceMinor!, 0) : null,
      currency,
      recentProductImage: lines.findLast((l) => l.imageUrl)?.imageUrl ?? null,
    };
    return null;
  };

/** Order properties Storewire reads itself; the others (shipping, tax, coupon...) stay on the order. */
const ORDER_FIELDS = new Set(['order_id', 'total', 'currency', 'products', 'status']);

function orderId(props: Raw): string | Rejection {
  return (
    text(props.order_id) ?? {
      code: 'MISSING_REQUIRED_PARAMS',
      message: 'an order event needs properties.order_id',
      path: '/properties/order_id',
      details: { missing: ['order_id'] },
    }
  );
}

/**
 * The order's fields an order event gives; `total` falls back to revenue, value, then the
 * items. A total the event gives includes shipping and taxes (the spec's `total`), so the items
 * are not expected to add up to it.
 */
function orderFields(props: Raw, event: StoreEvent): { fields: OrderFields; totalIncludesCharges: boolean } {
  const fields: OrderFields = { sourceUpdatedAt: event.occurredAt };
  const currency = currencyOf(props);
  if (currency) fields.currency = currency;
  if (Array.isArray(props.products)) {
    const products = readProducts(props.products, event);
    fields.items = products.map(
      (p): OrderItemInput => ({
        externalItemId: p.productId,
        name: p.title ?? '',
        quantity: p.quantity ?? 1,
        cost: p.price ?? 0,
        url: p.url ?? '',
        imageUrl: p.imageUrl ?? '',
        extra: {
          ...(p.variantId ? { variant: p.variantId } : {}),
          ...p.extra,
          ...seed004ItemFields(props, p, currency),
        },
      }),
    );
    event.products = products.map((p) => ({ ...sighting(p, null), priceMinor: null }));
  }
  const given = amount(props.total) ?? amount(props.revenue) ?? amount(props.value);
  const total = given ?? itemsTotal(fields.items, currency);
  if (total !== null) fields.totalCost = total;
  const status = statusOf(props.status);
  if (status) fields.status = status;
  const attributes: Raw = {};
  for (const [key, value] of Object.entries(props)) if (!ORDER_FIELDS.has(key)) attributes[key] = value;
  if (!status && props.status !== undefined) attributes.status = props.status;
  Object.assign(attributes, seed004OrderFields(props, currency));
  if (Object.keys(attributes).length > 0) fields.attributes = attributes;
  return { fields, totalIncludesCharges: given !== null };
}

/**
 * The facts an order event carries under seed 004's names, so GET /v1/orders/{id} reads alike
 * whatever the source: the spec's `tax`, and `shipping_method`, `invoice_url` and `balance_due`
 * when the store sends them (the spec's own names are kept as well).
 */
function seed004OrderFields(props: Raw, currency: string | null): Raw {
  const fields: Raw = {};
  const tax = decimalAmount(props.tax, currency);
  if (tax !== null) fields.taxAmount = tax;
  const shipMethod = text(props.shipping_method);
  if (shipMethod) fields.shipMethod = shipMethod;
  const balanceDue = decimalAmount(props.balance_due, currency);
  if (balanceDue !== null) fields.balanceDue = balanceDue;
  return fields;
}

/** Seed 004's item names: the product's `discount` (a deduction, negative) and the order's invoice link. */
function seed004ItemFields(props: Raw, product: Product, currency: string | null): Raw {
  const fields: Raw = {};
  const discount = deduction(product.extra.discount, currency);
  if (discount !== null) fields.discount = discount;
  const invoiceUrl = text(props.invoice_url);
  if (invoiceUrl) fields.invoiceUrl = invoiceUrl;
  return fields;
}

function itemsTotal(items: OrderItemInput[] | undefined, currency: string | null): number | null {
  if (!items || items.length === 0) return null;
  const minor = items.reduce((sum, item) => sum + Math.round((toMinor(item.cost, currency) ?? 0) * item.quantity), 0);
  return fromMinor(minor, currency);
}

/** A status the store names in its own words, when it is one of Storewire's. */
function statusOf(value: unknown): OrderStatus | null {
  const upper = text(value)
    ?.toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (!upper) return null;
  if (upper === 'CANCELED') return 'CANCELLED';
  return (ORDER_STATUSES as readonly string[]).includes(upper) ? (upper as OrderStatus) : null;
}

/** Order Completed: the order is placed, INITIALIZED; only a later event makes it DELIVERED. */
const orderCompleted: Mapper = (props, event) => {
  event.name = 'order_created';
  const id = orderId(props);
  if (typeof id !== 'string') return id;
  const { fields, totalIncludesCharges } = orderFields(props, event);
  fields.status = 'INITIALIZED';
  fields.orderedAt = event.occurredAt;
  event.order = {
    kind: 'upsert',
    orderId: id,
    fields,
    missingForCreate: fields.totalCost === undefined ? ['total'] : [],
    totalIncludesCharges,
  };
  return null;
};

/** Order Updated: changes the order, or places it when it came first. */
const orderUpdated: Mapper = (props, event) => {
  event.name = 'order_updated';
  const id = orderId(props);
  if (typeof id !== 'string') return id;
  const { fields, totalIncludesCharges } = orderFields(props, event);
  event.order = {
    kind: 'upsert',
    orderId: id,
    fields,
    missingForCreate: fields.totalCost === undefined ? ['total'] : [],
    defaultsForCreate: { status: 'INITIALIZED', orderedAt: event.occurredAt },
    totalIncludesCharges,
  };
  return null;
};

const orderStatus =
  (name: string, status: 'CANCELLED' | 'DELIVERED'): Mapper =>
  (props, event) => {
    event.name = name;
    const id = orderId(props);
    if (typeof id !== 'string') return id;
    event.order = { kind: 'set_status', orderId: id, status };
    return null;
  };

/** Order Refunded: the refund is noted on the order (there is no refunded status); the latest refund wins. */
const orderRefunded: Mapper = (props, event) => {
  event.name = 'order_refunded';
  const id = orderId(props);
  if (typeof id !== 'string') return id;
  const refund: Raw = { at: formatIsoUtc(event.occurredAt) };
  const total = amount(props.total) ?? amount(props.revenue) ?? amount(props.value);
  if (total !== null) refund.total = total;
  if (currencyOf(props)) refund.currency = currencyOf(props);
  if (Array.isArray(props.products)) refund.products = props.products;
  event.order = {
    kind: 'upsert',
    orderId: id,
    fields: { attributes: { refunded: true, refund } },
    missingForCreate: [],
    whenMissing: 'ignore',
  };
  return null;
};

const MAPPERS = new Map<string, Mapper>([
  ['product viewed', productViewed],
  ['product list viewed', productListViewed],
  ['product added', cartChange('add')],
  ['product removed', cartChange('remove')],
  ['cart viewed', cartSnapshot('cart_viewed')],
  ['checkout started', cartSnapshot('checkout_started')],
  ['order completed', orderCompleted],
  ['order updated', orderUpdated],
  ['order cancelled', orderStatus('order_cancelled', 'CANCELLED')],
  ['order canceled', orderStatus('order_cancelled', 'CANCELLED')],
  ['order refunded', orderRefunded],
  // Not in the spec, but how a store tells that an order arrived.
  ['order delivered', orderStatus('order_delivered', 'DELIVERED')],
]);

/**
 * Applies the spec's meaning of a track event to `event` (its name, products, cart, order).
 * Returns a rejection when the event lacks what its meaning needs (an order id).
 */
export function mapEcommerce(eventName: string, props: Raw, event: StoreEvent): Rejection | null {
  const mapper = MAPPERS.get(specKey(eventName));
  return mapper ? mapper(props, event) : null;
}

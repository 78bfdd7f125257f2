import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../domain/store.js';
import type { Adapted, StoreContext } from '../domain/store-event.js';
import type { Engine } from '../engine/engine.js';
import { adaptContactSync } from '../ingest/contact-sync.js';
import { adaptGenerateEvent } from '../ingest/generate-event.js';
import { adaptNativeEvent } from '../ingest/native-events.js';
import { adaptShipmentEvent } from '../ingest/shipment-events.js';

/**
 * The demo store's shoppers and what they do, as store events through the engine (the road every
 * event takes): `storewire demo`'s shopper, and the sample data `start` fills a new demo store with
 * (demo-sample-data.ts).
 */
export interface DemoShopper {
  customerId: string;
  contactId: string;
  name: string;
  phone: string;
  email?: string;
}

export interface DemoProduct {
  id: string;
  title: string;
  price: number;
  currency: string;
  variantId: number;
  /** The colour of its picture (imageUrl). */
  colour: string;
}

export const DEMO_PRODUCT: DemoProduct = {
  id: '8498962518296',
  title: 'Denim Shirt - Blue',
  price: 600,
  currency: 'INR',
  variantId: 45471627190248,
  colour: '#3d5a80',
};

/** What the demo store sells: `storewire demo`'s shirt and a few more. */
export const DEMO_CATALOGUE: DemoProduct[] = [
  DEMO_PRODUCT,
  {
    id: '8498962518297',
    title: 'Linen Kurta - White',
    price: 1_450,
    currency: 'INR',
    variantId: 45471627190249,
    colour: '#c9b79c',
  },
  {
    id: '8498962518298',
    title: 'Cotton Saree - Indigo',
    price: 2_800,
    currency: 'INR',
    variantId: 45471627190250,
    colour: '#3f3d8f',
  },
  {
    id: '8498962518299',
    title: 'Leather Sandals - Tan',
    price: 1_200,
    currency: 'INR',
    variantId: 45471627190251,
    colour: '#a0643c',
  },
  {
    id: '8498962518300',
    title: 'Canvas Tote Bag',
    price: 450,
    currency: 'INR',
    variantId: 45471627190252,
    colour: '#7a8b5a',
  },
];

const productUrl = (product: DemoProduct) => `https://shop.example/products/${product.id}`;
/**
 * A product's picture, in the data itself: the demo's shop is not on the internet (shop.example),
 * and a newcomer may be offline, so its pictures are small drawings in the product's colour.
 */
const imageUrl = (product: DemoProduct) =>
  `data:image/svg+xml,${encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${product.colour}"/><circle cx="32" cy="28" r="13" fill="#fff" opacity=".6"/><rect x="14" y="47" width="36" height="6" rx="3" fill="#fff" opacity=".6"/></svg>`,
  )}`;

/** A shopper the demo store has not seen, who agreed to WhatsApp messages (seed 001 "Sync Contacts"). */
export async function createShopper(engine: Engine, store: Store, clock: Clock): Promise<DemoShopper> {
  const tag = clock.now().toString(36);
  const phone = `+9198${String(randomInt(10_000_000, 99_999_999))}`.replace(/(0000|0429|0190|0400)$/, '1234'); // the sandbox's failure numbers end so
  return syncShopper(
    engine,
    store,
    { customerId: `demo-shopper-${tag}`, name: 'Priya Sharma', phone, source: 'storewire_demo' },
    clock.now(),
  );
}

/** Seed 001's "Sync Contacts": a shopper with WhatsApp consent ACTIVE from `source`. */
export async function syncShopper(
  engine: Engine,
  store: Store,
  who: { customerId: string; name: string; phone: string; email?: string; source: string },
  at: number,
): Promise<DemoShopper> {
  const contactId = await applyOne(
    engine,
    store,
    adaptContactSync(
      {
        customer_id: who.customerId,
        name: who.name,
        phone: who.phone,
        ...(who.email ? { email: who.email } : {}),
        whatsapp_status: 'ACTIVE',
        whatsapp_status_source: who.source,
      },
      context(store),
      at,
    ),
  );
  return { customerId: who.customerId, contactId, name: who.name, phone: who.phone, email: who.email };
}

const customerOf = (shopper: DemoShopper) => ({
  customer_id: shopper.customerId,
  phone: shopper.phone,
  name: shopper.name,
  ...(shopper.email ? { email: shopper.email } : {}),
});

/** Seed 001's product_view: the shopper looks at a product. */
export async function viewProduct(
  engine: Engine,
  store: Store,
  shopper: DemoShopper,
  product: DemoProduct,
  at: number,
): Promise<void> {
  await applyOne(
    engine,
    store,
    adaptNativeEvent(
      {
        event_id: `demo-view-${shopper.customerId}-${product.id}-${at}`,
        event_name: 'product_view',
        timestamp: new Date(at).toISOString(),
        customer: customerOf(shopper),
        event_data: {
          product_id: product.id,
          title: product.title,
          price: product.price,
          currency: product.currency,
          product_url: productUrl(product),
          image_url: imageUrl(product),
        },
      },
      context(store),
    ),
  );
}

/** Seed 001's cart_update / add_to_cart: the shopper puts a product (the shirt) in the cart, and leaves. */
export async function addToCart(
  engine: Engine,
  store: Store,
  shopper: DemoShopper,
  at: number,
  product: DemoProduct = DEMO_PRODUCT,
): Promise<void> {
  const line = {
    quantity: 1,
    title: product.title,
    line_price: product.price.toFixed(2),
    variant_id: product.variantId,
    product_id: Number(product.id),
    product_url: productUrl(product),
    image_url: imageUrl(product),
  };
  await applyOne(
    engine,
    store,
    adaptNativeEvent(
      {
        event_id: `demo-cart-${shopper.customerId}`,
        event_name: 'cart_update',
        sub_event_name: 'add_to_cart',
        timestamp: new Date(at).toISOString(),
        customer: customerOf(shopper),
        event_data: {
          empty_cart: false,
          cart_link: `https://shop.example/cart/${shopper.customerId}`,
          recent_product_image: line.image_url,
          price: { amount: product.price, currency: product.currency },
          line_items: [line],
          items_added: [line],
          items_removed: [],
        },
      },
      context(store),
    ),
  );
}

/**
 * Seed 003's orderCreated: the shopper buys (the shirt, unless told what). Returns the order id,
 * DEMO-<time> unless one is given.
 */
export async function placeOrder(
  engine: Engine,
  store: Store,
  shopper: DemoShopper,
  at: number,
  order: { orderId?: string; products?: DemoProduct[]; paymentType?: 'Prepaid' | 'COD' } = {},
): Promise<string> {
  const orderId = order.orderId ?? `DEMO-${at.toString(36).toUpperCase()}`;
  const products = order.products ?? [DEMO_PRODUCT];
  const total = products.reduce((sum, p) => sum + p.price, 0);
  const params = {
    externalOrderId: orderId,
    externalCustomerId: shopper.customerId,
    phone: shopper.phone,
    ...(shopper.email ? { email: shopper.email } : {}),
    totalCost: total.toFixed(2),
    status: 'INITIALIZED',
    date: new Date(at).toISOString(),
    currency: products[0]!.currency,
    paymentType: order.paymentType ?? 'Prepaid',
    items: products.map((product) => ({
      externalItemId: product.id,
      name: product.title,
      quantity: 1,
      cost: product.price,
      url: productUrl(product),
      imageUrl: imageUrl(product),
    })),
  };
  const body = {
    eventTypeKey: 'orderCreated',
    params: Object.entries(params).map(([name, value]) => ({ name, value })),
  };
  await applyOne(engine, store, adaptGenerateEvent({ body, receivedAt: at }, context(store)));
  return orderId;
}

/** Seed 003's orderDelivered: the order is DELIVERED (it counts for revenue). */
export async function markDelivered(engine: Engine, store: Store, orderId: string, at: number): Promise<void> {
  const body = { eventTypeKey: 'orderDelivered', params: [{ name: 'externalOrderId', value: orderId }] };
  await applyOne(engine, store, adaptGenerateEvent({ body, receivedAt: at }, context(store)), false);
}

export interface ShipmentUpdate {
  status: string;
  at: number;
  remark?: string;
  location?: string;
  ndr?: { ndrCode: string; reason: string; resolutions: { resolutionCode: string; action: string }[] };
}

/** Seed 004's shipment updates, as a courier sends them (POST /v1/shipments/events). */
export async function updateShipment(
  engine: Engine,
  store: Store,
  shipment: { shipmentId: string; orderId: string; trackingId: string; courierName: string },
  updates: ShipmentUpdate[],
): Promise<void> {
  for (const update of updates) {
    const raw = {
      shipmentId: shipment.shipmentId,
      orderId: shipment.orderId,
      status: update.status,
      updatedAt: new Date(update.at).toISOString(),
      trackingId: shipment.trackingId,
      courierName: shipment.courierName,
      ...(update.remark ? { remark: update.remark } : {}),
      ...(update.location ? { location: update.location } : {}),
      ...(update.ndr ? { ndr: update.ndr } : {}),
    };
    await applyOne(engine, store, adaptShipmentEvent(raw, context(store)), false);
  }
}

const context = (store: Store): StoreContext => ({
  storeId: store.id,
  defaultCountry: store.defaultCountry,
  timeZone: store.timeZone,
});

/**
 * Applies one adapted event and returns its contact; anything but accepted (and, when asked, a
 * contact) is a bug in the demo.
 */
async function applyOne(engine: Engine, store: Store, adapted: Adapted, needsContact = true): Promise<string> {
  if (!adapted.ok) throw new Error(`the demo made an invalid event: ${adapted.error.code} ${adapted.error.message}`);
  const [outcome] = await engine.apply(store, [adapted.event]);
  if (outcome?.status !== 'accepted' || (needsContact && !outcome.contactId))
    throw new Error(`the demo's event was not accepted: ${JSON.stringify(outcome)}`);
  return outcome.contactId ?? '';
}

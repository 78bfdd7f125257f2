import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Store } from '../domain/store.js';
import type { Adapted, StoreContext } from '../domain/store-event.js';
import type { Engine } from '../engine/engine.js';
import { adaptContactSync } from '../ingest/contact-sync.js';
import { adaptGenerateEvent } from '../ingest/generate-event.js';
import { adaptNativeEvent } from '../ingest/native-events.js';

/** The demo's shopper and what they do, as store events through the engine (the road every event takes). */
export interface DemoShopper {
  customerId: string;
  contactId: string;
  name: string;
  phone: string;
}

export const DEMO_PRODUCT = { id: '8498962518296', title: 'Denim Shirt - Blue', price: 600, currency: 'INR' };

/** A shopper the demo store has not seen, who agreed to WhatsApp messages (seed 001 "Sync Contacts"). */
export async function createShopper(engine: Engine, store: Store, clock: Clock): Promise<DemoShopper> {
  const tag = clock.now().toString(36);
  const customerId = `demo-shopper-${tag}`;
  const name = 'Priya Sharma';
  const phone = `+9198${String(randomInt(10_000_000, 99_999_999))}`.replace(/(0000|0429|0190|0400)$/, '1234'); // the sandbox's failure numbers end so
  const contactId = await applyOne(
    engine,
    store,
    adaptContactSync(
      { customer_id: customerId, name, phone, whatsapp_status: 'ACTIVE', whatsapp_status_source: 'storewire_demo' },
      context(store),
      clock.now(),
    ),
  );
  return { customerId, contactId, name, phone };
}

/** Seed 001's cart_update / add_to_cart: the shopper puts the shirt in the cart (and leaves). */
export async function addToCart(engine: Engine, store: Store, shopper: DemoShopper, at: number): Promise<void> {
  const line = {
    quantity: 1,
    title: DEMO_PRODUCT.title,
    line_price: DEMO_PRODUCT.price.toFixed(2),
    variant_id: 45471627190248,
    product_id: Number(DEMO_PRODUCT.id),
    product_url: `https://shop.example/products/${DEMO_PRODUCT.id}`,
    image_url: 'https://shop.example/images/denim-blue.jpg',
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
        customer: { customer_id: shopper.customerId, phone: shopper.phone, name: shopper.name },
        event_data: {
          empty_cart: false,
          cart_link: `https://shop.example/cart/${shopper.customerId}`,
          recent_product_image: line.image_url,
          price: { amount: DEMO_PRODUCT.price, currency: DEMO_PRODUCT.currency },
          line_items: [line],
          items_added: [line],
          items_removed: [],
        },
      },
      context(store),
    ),
  );
}

/** Seed 003's orderCreated: the shopper comes back and buys the cart. Returns the order id. */
export async function placeOrder(engine: Engine, store: Store, shopper: DemoShopper, at: number): Promise<string> {
  const orderId = `DEMO-${at.toString(36).toUpperCase()}`;
  const params = {
    externalOrderId: orderId,
    externalCustomerId: shopper.customerId,
    phone: shopper.phone,
    totalCost: DEMO_PRODUCT.price.toFixed(2),
    status: 'INITIALIZED',
    date: new Date(at).toISOString(),
    currency: DEMO_PRODUCT.currency,
    paymentType: 'Prepaid',
    items: [
      {
        externalItemId: DEMO_PRODUCT.id,
        name: DEMO_PRODUCT.title,
        quantity: 1,
        cost: DEMO_PRODUCT.price,
        url: `https://shop.example/products/${DEMO_PRODUCT.id}`,
        imageUrl: 'https://shop.example/images/denim-blue.jpg',
      },
    ],
  };
  const body = {
    eventTypeKey: 'orderCreated',
    params: Object.entries(params).map(([name, value]) => ({ name, value })),
  };
  await applyOne(engine, store, adaptGenerateEvent({ body, receivedAt: at }, context(store)));
  return orderId;
}

const context = (store: Store): StoreContext => ({
  storeId: store.id,
  defaultCountry: store.defaultCountry,
  timeZone: store.timeZone,
});

/** Applies one adapted event and returns its contact; anything but accepted is a bug in the demo. */
async function applyOne(engine: Engine, store: Store, adapted: Adapted): Promise<string> {
  if (!adapted.ok) throw new Error(`the demo made an invalid event: ${adapted.error.code} ${adapted.error.message}`);
  const [outcome] = await engine.apply(store, [adapted.event]);
  if (outcome?.status !== 'accepted' || !outcome.contactId)
    throw new Error(`the demo's event was not accepted: ${JSON.stringify(outcome)}`);
  return outcome.contactId;
}

/**
 * Bench traffic shaped like a store's: 20,000 shoppers viewing products and updating carts,
 * identified by customer id, email and phone, every event with its own id.
 */
const SHOPPERS = 20_000;
const run = Date.now().toString(36);

export function benchEvent(n: number): Record<string, unknown> {
  const shopper = (n * 7919) % SHOPPERS;
  const product = 8498962518296 + (n % 500);
  const customer = {
    customer_id: `bench-${shopper}`,
    email: `shopper${shopper}@example.com`,
    phone: `+9198${String(10_000_000 + shopper).slice(-8)}`,
    name: `Shopper ${shopper}`,
  };
  const timestamp = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  if (n % 3 === 0) {
    return {
      event_id: `${run}-${n}`,
      event_name: 'cart_update',
      sub_event_name: 'add_to_cart',
      timestamp,
      customer,
      event_data: {
        empty_cart: false,
        cart_link: `https://store.example/cart/${shopper}`,
        price: { amount: 600, currency: 'INR' },
        line_items: [
          {
            quantity: 1,
            title: 'Denim Shirt - Blue',
            line_price: '600.00',
            variant_id: product + 1,
            product_id: product,
            product_url: `https://store.example/p/${product}`,
            image_url: `https://cdn.example/${product}.jpg`,
          },
        ],
        items_added: [],
        items_removed: [],
      },
    };
  }
  return {
    event_id: `${run}-${n}`,
    event_name: 'product_view',
    timestamp,
    customer,
    event_data: {
      product_id: product,
      variant_id: product + 1,
      title: 'Denim Shirt - Blue',
      currency: 'INR',
      price: 600,
      quantity: 1,
      line_price: '600.00',
      product_url: `https://store.example/p/${product}`,
      image_url: `https://cdn.example/${product}.jpg`,
    },
  };
}

export function benchBatch(n: number, size: number): string {
  const events = new Array(size);
  for (let i = 0; i < size; i++) events[i] = benchEvent(n * size + i);
  return JSON.stringify({ events });
}

/**
 * The same store's traffic as Segment clients send it (analytics-node's message shape): two
 * thirds Product Viewed, one third Product Added, each shopper named by userId and the
 * browser's anonymousId, every message with its own messageId.
 */
export function segmentMessage(n: number): Record<string, unknown> {
  const shopper = (n * 7919) % SHOPPERS;
  const product = 8498962518296 + (n % 500);
  const timestamp = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  const properties = {
    product_id: String(product),
    variant_id: String(product + 1),
    sku: `DS-${product}`,
    name: 'Denim Shirt - Blue',
    category: 'Shirts',
    price: 600,
    currency: 'INR',
    url: `https://store.example/p/${product}`,
    image_url: `https://cdn.example/${product}.jpg`,
  };
  return {
    type: 'track',
    event: n % 3 === 0 ? 'Product Added' : 'Product Viewed',
    userId: `bench-${shopper}`,
    anonymousId: `anon-${shopper}`,
    properties: n % 3 === 0 ? { ...properties, quantity: 1 } : properties,
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
    integrations: {},
    messageId: `node-next-${run}-${n}`,
    timestamp,
    _metadata: { jsRuntime: 'node' },
  };
}

export function segmentBatch(n: number, size: number): string {
  const batch = new Array(size);
  for (let i = 0; i < size; i++) batch[i] = segmentMessage(n * size + i);
  return JSON.stringify({ batch, sentAt: new Date().toISOString() });
}

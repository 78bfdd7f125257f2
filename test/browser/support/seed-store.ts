import type { StoreKey } from './storewire-process.js';

/**
 * A store with a life, made the way a store's developer makes one: through the public API with
 * the store key. Seed 004's order (a failed delivery with the courier's resolutions), shoppers
 * with carts and orders, and messages the sandbox delivers, reads, and fails.
 */

type Json = any;

export const CDN = 'https://cdn.shop.test';

export const MITUJ = {
  customerId: 'mituj-1',
  name: 'Mituj',
  email: 'mituj@eshopbox.com',
  phone: '9711166382',
  e164: '+919711166382',
};
export const ASHA = {
  customerId: 'cust-1002',
  name: 'Asha Verma',
  email: 'asha.verma@example.in',
  phone: '+91 98765 43210',
  e164: '+919876543210',
};
/** The sandbox fails every message to a number ending in 0000 with Meta's 131026. */
export const RAVI = { customerId: 'cust-1003', name: 'Ravi Kumar', email: 'ravi@example.in', phone: '+919810000000' };

export const SEED_ORDER = '44212809';
/** The order receipt journey's messages: one per seeded order. */
export const JOURNEY_RECEIPTS = 4;
export const SEED_SHIPMENT = '11204761';
export const NDR_RESOLUTIONS = [
  { resolutionCode: 'ACTF001', action: 'I would like to request another delivery attempt' },
  { resolutionCode: 'ACTF002', action: 'I would like to choose a new delivery date' },
  { resolutionCode: 'ACTF003', action: 'I would like to cancel my order' },
  {
    resolutionCode: 'ACTF004',
    action:
      'I would like to request another delivery attempt as I disagree with the courier mentioned reason for failed delivery',
  },
];

const MORE_SHOPPERS = [
  { customer_id: 'cust-1004', name: 'Karan Mehta', email: 'karan.mehta@example.in', phone: '+919820012345' },
  { customer_id: 'cust-1005', name: 'Neha Gupta', email: 'neha@example.in', phone: '+919830054321' },
  { customer_id: 'cust-1006', name: 'Fatima Sheikh', email: 'fatima.sheikh@example.in', phone: '+919840011122' },
  { customer_id: 'cust-1007', name: 'Arjun Singh', email: 'arjun@example.in' },
];

export interface SeededStore {
  /** Contact ids by customer id. */
  contacts: Record<string, string>;
  /** Message ids: delivered and read (Mituj), failed with the provider's reason (Ravi). */
  messages: { receipt: string; failed: string; asha: string };
}

export function storeClient(baseUrl: string, store: StoreKey) {
  return async function call(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${store.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

const item = (id: string, name: string, quantity: number, cost: number) => ({
  externalItemId: id,
  name,
  quantity,
  cost,
  url: `https://shop.test/p/${id}`,
  imageUrl: `${CDN}/${id}.svg`,
});

function orderCreated(orderId: string, customer: Record<string, string>, params: Record<string, unknown>) {
  return {
    eventTypeKey: 'orderCreated',
    keyValue: customer.phone ?? customer.externalCustomerId,
    params: Object.entries({ externalOrderId: orderId, ...customer, currency: 'INR', ...params }).map(
      ([name, value]) => ({ name, value }),
    ),
  };
}

/** Polls until `check` returns a value (the sandbox reports on its own, real clock). */
async function within<T>(ms: number, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function seedStore(baseUrl: string, store: StoreKey): Promise<SeededStore> {
  const call = storeClient(baseUrl, store);

  // Shoppers (seed 001 "Sync Contacts"), then what they did (seed 001 event webhooks).
  const synced = await call('POST', '/v1/contacts', {
    contacts: [
      { customer_id: MITUJ.customerId, name: MITUJ.name, email: MITUJ.email, phone: MITUJ.phone },
      {
        customer_id: ASHA.customerId,
        name: ASHA.name,
        email: ASHA.email,
        phone: ASHA.phone,
        whatsapp_status: 'ACTIVE',
        whatsapp_status_source: 'checkout',
      },
      { customer_id: RAVI.customerId, name: RAVI.name, email: RAVI.email, phone: RAVI.phone },
      ...MORE_SHOPPERS,
    ],
  });
  if (synced.rejected?.length) throw new Error(`contacts rejected: ${JSON.stringify(synced.rejected)}`);
  await call('POST', '/v1/events', {
    events: [
      {
        event_id: 'seed-view-1',
        event_name: 'product_view',
        timestamp: '2025-11-18T09:30:00Z',
        customer: { customer_id: MITUJ.customerId },
        event_data: {
          product_id: 'SK101',
          title: 'Roasted Makhanas - Roasted In Olive Oil',
          price: 150,
          currency: 'INR',
          product_url: 'https://shop.test/p/SK101',
          image_url: `${CDN}/SK101.svg`,
        },
      },
      {
        event_id: 'seed-cart-1',
        event_name: 'cart_update',
        sub_event_name: 'add_to_cart',
        timestamp: '2025-11-18T09:32:00Z',
        customer: { customer_id: MITUJ.customerId },
        event_data: {
          cart_link: 'https://shop.test/cart/mituj',
          price: { amount: 450, currency: 'INR' },
          line_items: [
            {
              product_id: 'SK101',
              title: 'Roasted Makhanas - Roasted In Olive Oil',
              quantity: 2,
              line_price: '300.00',
            },
            { product_id: 'SK204', title: 'Peri Peri Makhanas', quantity: 1, line_price: '150.00' },
          ],
          items_added: [{ product_id: 'SK204', quantity: 1 }],
          items_removed: [],
        },
      },
      {
        event_id: 'seed-view-2',
        event_name: 'product_view',
        timestamp: '2025-11-19T12:05:00Z',
        customer: { customer_id: ASHA.customerId },
        event_data: { product_id: 'TEA01', title: 'Darjeeling First Flush Tea', price: 640, currency: 'INR' },
      },
    ],
  });

  // The ready-made order receipt journey sends every new order a receipt (through the sandbox).
  await call('POST', '/v1/journeys/order_receipt/enable');

  // Orders (seed 003 Generate event); seed 004's order is Mituj's, paid cash on delivery.
  await call(
    'POST',
    '/v1/generate-event',
    orderCreated(
      SEED_ORDER,
      { externalCustomerId: MITUJ.customerId, phone: MITUJ.phone, email: MITUJ.email },
      {
        totalCost: '450.0',
        status: 'IN_PROGRESS',
        date: '2025-11-19T09:22:09',
        paymentType: 'COD',
        items: [
          item('SK101', 'Roasted Makhanas - Roasted In Olive Oil', 2, 150),
          item('SK204', 'Peri Peri Makhanas', 1, 150),
        ],
      },
    ),
  );
  await call(
    'POST',
    '/v1/generate-event',
    orderCreated(
      '44212810',
      { externalCustomerId: ASHA.customerId, phone: ASHA.phone },
      {
        totalCost: '1280.0',
        status: 'DELIVERED',
        date: '2025-11-12T16:40:00',
        paymentType: 'PREPAID',
        items: [item('TEA01', 'Darjeeling First Flush Tea', 2, 640)],
      },
    ),
  );
  await call(
    'POST',
    '/v1/generate-event',
    orderCreated(
      '44212811',
      { externalCustomerId: 'cust-1004', phone: '+919820012345' },
      {
        totalCost: '899.0',
        status: 'CANCELLED',
        date: '2025-11-05T11:15:00',
        items: [item('MUG02', 'Hand-thrown Ceramic Mug', 1, 899)],
      },
    ),
  );

  await call(
    'POST',
    '/v1/generate-event',
    orderCreated(
      '44212812',
      { externalCustomerId: RAVI.customerId, phone: RAVI.phone },
      {
        totalCost: '2150.0',
        status: 'INITIALIZED',
        date: '2025-11-20T19:02:00',
        paymentType: 'COD',
        items: [item('MUG02', 'Hand-thrown Ceramic Mug', 2, 899), item('SK204', 'Peri Peri Makhanas', 1, 352)],
      },
    ),
  );

  // The courier's updates (seed 004's timeline), out of order as couriers send them.
  const ship = { shipmentId: SEED_SHIPMENT, orderId: SEED_ORDER, trackingId: 'TestLabel3-5977-7119' };
  await call('POST', '/v1/shipments/events', [
    { ...ship, status: 'created', updatedAt: '2025-11-19 14:52:17', courierName: 'Delhivery' },
    {
      ...ship,
      status: 'out_for_delivery',
      updatedAt: '2025-11-21 11:15:20',
      remark: 'Out for delivery',
      location: 'Dwarka hub',
    },
    { ...ship, status: 'packed', updatedAt: '2025-11-19 18:58:39' },
    { ...ship, status: 'shipped', updatedAt: '2025-11-20 08:10:00', location: 'Delhi sort centre' },
    {
      ...ship,
      status: 'failed_delivery',
      updatedAt: '2025-11-21 11:17:51',
      remark: 'Customer not available',
      location: 'Dwarka hub',
      ndr: { ndrCode: '0', reason: 'Customer not available', resolutions: NDR_RESOLUTIONS },
    },
  ]);
  await call('POST', '/v1/shipments/events', [
    {
      shipmentId: 'SH-2210',
      orderId: '44212810',
      status: 'shipped',
      updatedAt: '2025-11-13 09:00:00',
      courierName: 'Blue Dart',
      trackingId: 'BD77120034',
    },
    {
      shipmentId: 'SH-2210',
      orderId: '44212810',
      status: 'delivered',
      updatedAt: '2025-11-15 13:20:00',
      location: 'Bengaluru',
    },
  ]);

  // Messages through the demo store's sandbox: it delivers and reads, or fails a number ending in 0000.
  await call('PUT', '/v1/templates/order_confirmation', {
    channel: 'whatsapp',
    language: 'en',
    category: 'utility',
    body: { text: 'Thank you, {{first_name}}! We got your order {{order_number}}.' },
    parameters: { first_name: "{{ contact.first_name | default: 'there' }}", order_number: '{{ order.id }}' },
  });
  const contacts: Record<string, string> = {};
  for (const customerId of [MITUJ.customerId, ASHA.customerId, RAVI.customerId, 'cust-1004']) {
    const found = await call('GET', `/v1/contacts?customer_id=${encodeURIComponent(customerId)}`);
    contacts[customerId] = found.contacts[0].id;
  }
  const send = async (contactId: string, orderId?: string) =>
    (await call('POST', '/v1/messages', { to: { contactId }, template: 'order_confirmation', orderId })).id as string;
  const receipt = await send(contacts[MITUJ.customerId]!, SEED_ORDER);
  const asha = await send(contacts[ASHA.customerId]!, '44212810');
  const failed = await send(contacts[RAVI.customerId]!, '44212812');

  const settled = async (id: string, statuses: string[]) =>
    within(30_000, `message ${id} reaches ${statuses.join(' or ')}`, async () => {
      const message = await call('GET', `/v1/messages/${id}`);
      return statuses.includes(message.status) ? message : undefined;
    });
  await settled(receipt, ['read']);
  await settled(asha, ['read']);
  await settled(failed, ['failed']);
  // The journey's receipts: one per order, each read or (Ravi's) failed.
  await within(30_000, 'the order receipts are sent and settled', async () => {
    const { messages } = await call('GET', '/v1/messages?journey=order_receipt');
    const done = messages.filter((m: Json) => m.status === 'read' || m.status === 'failed');
    return messages.length === JOURNEY_RECEIPTS && done.length === JOURNEY_RECEIPTS ? messages : undefined;
  });
  return { contacts, messages: { receipt, failed, asha } };
}

/** A product picture as the store's CDN would send it (the browser tests have no network). */
export function productImage(name: string): string {
  const colours: Record<string, string> = { SK101: '#c8a165', SK204: '#d9593d', TEA01: '#5b8c3a', MUG02: '#4a6fa5' };
  const colour = colours[name] ?? '#8a94a6';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${colour}"/><circle cx="32" cy="30" r="14" fill="#fff" opacity=".55"/><rect x="14" y="48" width="36" height="6" rx="3" fill="#fff" opacity=".55"/></svg>`;
}

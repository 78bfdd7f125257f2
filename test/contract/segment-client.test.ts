import { Analytics } from '@segment/analytics-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { StoreEvent } from '../../src/domain/store-event.js';
import { createStore, type StoreCredentials } from '../../src/engine/stores.js';
import { databaseTargets, describeEachDatabase, type DatabaseTarget, type TestDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { basicAuth, contactBy } from '../support/segment.js';

/** A real @segment/analytics-node client, pointed at Storewire over loopback HTTP. */
function client(host: string, writeKey: string, options: { flushAt?: number } = {}) {
  const analytics = new Analytics({
    writeKey,
    host,
    flushAt: options.flushAt ?? 20,
    flushInterval: 100,
    maxRetries: 3,
  });
  const statuses: number[] = [];
  const errors: unknown[] = [];
  analytics.on('http_response', (response) => statuses.push(response.status));
  analytics.on('error', (error) => errors.push(error));
  return { analytics, statuses, errors };
}

describeEachDatabase('the real @segment/analytics-node client', (target) => {
  const h = useHarness(target);
  let host: string;
  beforeAll(async () => {
    host = await h.app.server.listen({ port: 0, host: '127.0.0.1' });
  });

  it('delivers identify, track and page calls to contacts, products, carts and orders', async () => {
    const { analytics, statuses, errors } = client(host, h.shop.ingestToken, { flushAt: 4 });
    const anonymousId = 'browser-7f3a';
    const kurta = {
      product_id: 'SKU-1',
      name: 'Kurta',
      price: 1299,
      currency: 'INR',
      url: 'https://shop.example/p/1',
      image_url: 'https://cdn.example/1.jpg',
    };
    analytics.page({ anonymousId, name: 'Home', properties: { url: 'https://shop.example/' } });
    analytics.track({ anonymousId, event: 'Product Viewed', properties: kurta });
    analytics.track({ anonymousId, event: 'Product Added', properties: { ...kurta, quantity: 2 } });
    analytics.identify({
      userId: 'cust-42',
      anonymousId,
      traits: { email: 'Meera@Example.com', phone: '+91 98200 12345', name: 'Meera', tier: 'vip' },
    });
    // Browsing, then buying: the client would otherwise send both batches at once, and calls made
    // in the same millisecond in two batches have no order (clock-skew correction adds each
    // request's network latency to its times, as at Segment).
    await analytics.flush();
    analytics.track({
      userId: 'cust-42',
      event: 'Checkout Started',
      properties: { currency: 'INR', products: [{ ...kurta, quantity: 2 }] },
    });
    analytics.track({
      userId: 'cust-42',
      event: 'Order Completed',
      properties: { order_id: 'SEG-1001', total: 2598, currency: 'INR', products: [{ ...kurta, quantity: 2 }] },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const contact = await contactBy(h, 'customer_id', 'cust-42');
    expect(contact).toMatchObject({
      email: 'meera@example.com',
      phone: '+919820012345',
      name: 'Meera',
      attributes: { tier: 'vip' },
      cart: { status: 'converted' },
    });
    expect(contact.identities).toEqual(expect.arrayContaining([{ kind: 'anonymous_id', value: anonymousId }]));
    // The client stamps its calls to the millisecond: several share one, so their order is not asserted.
    expect(contact.recentEvents.map((e: { name: string }) => e.name).sort()).toEqual([
      'cart_update',
      'checkout_started',
      'identify',
      'order_created',
      'page_view',
      'product_view',
    ]);
    expect(contact.orders).toEqual([
      expect.objectContaining({ orderId: 'SEG-1001', status: 'INITIALIZED', total: 2598 }),
    ]);
    expect((await h.get('/v1/products/SKU-1')).json()).toMatchObject({ title: 'Kurta', price: 1299, currency: 'INR' });
    expect((await h.get('/v1/orders/SEG-1001')).json()).toMatchObject({
      status: 'INITIALIZED',
      orderTotal: 2598,
      source: 'segment',
    });
  });

  it('is refused with a wrong write key: 401, the client drops the batch, nothing is stored', async () => {
    const { analytics, statuses, errors } = client(host, 'sw_ing_wrong');
    analytics.track({ userId: 'cust-wrong-key', event: 'Signed Up' });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(statuses).toEqual([401]);
    expect(errors).toHaveLength(1);
    expect(await contactBy(h, 'customer_id', 'cust-wrong-key')).toBeNull();
  });
});

/** The app with a small group-commit queue, so that it sheds load in a test. */
function useSheddingApp(target: DatabaseTarget, maxQueuedEvents: number) {
  const state = {} as { app: App; shop: StoreCredentials; database: TestDatabase; host: string };
  beforeAll(async () => {
    state.database = await target.create();
    const config = { ...loadConfig({}), databaseUrl: state.database.url, sqliteSynchronous: 'NORMAL' as const };
    state.app = await createApp(config, { logger: pino({ level: 'silent' }), engine: { maxQueuedEvents } });
    state.shop = await createStore(state.app.storage, {
      name: 'Busy Shop',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
    });
    state.host = await state.app.server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await state.app?.close();
    await state.database?.drop();
  });
  return state;
}

const view = (i: number): StoreEvent => ({
  eventId: `preload-${i}`,
  name: 'product_view',
  subName: null,
  kind: 'activity',
  source: 'native',
  occurredAt: Date.parse('2026-11-20T00:00:00Z') + i,
  timestamp: new Date(Date.parse('2026-11-20T00:00:00Z') + i).toISOString(),
  data: {},
  identity: { customerId: `preload-shopper-${i}` },
  products: [],
  warnings: [],
});

for (const target of databaseTargets()) {
  describe(`Segment load shedding [${target.dialect}]`, () => {
    const s = useSheddingApp(target, 3_000);

    it('answers 429 with Retry-After when the queue is full, and stores nothing of that request', async () => {
      const batch = Array.from({ length: 3_001 }, (_, i) => ({
        type: 'track',
        messageId: `shed-${i}`,
        userId: 'shed-shopper',
        event: 'Tick',
      }));
      const res = await s.app.server.inject({
        method: 'POST',
        url: '/v1/batch',
        payload: { batch },
        headers: { authorization: basicAuth(s.shop.ingestToken) },
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json().error.code).toBe('RATE_LIMITED');
      const found = await s.app.server.inject({
        method: 'GET',
        url: '/v1/contacts?customer_id=shed-shopper',
        headers: { authorization: `Bearer ${s.shop.apiKey}` },
      });
      expect(found.json().contacts).toEqual([]);
    });

    // On SQLite a commit never yields to the network (better-sqlite3 is synchronous), so only
    // requests read in one event-loop turn can find the queue full, which the test above shows.
    // On PostgreSQL a request arrives while a commit waits for the database, as in production.
    it.skipIf(target.dialect === 'sqlite')(
      'the real client waits Retry-After and delivers once the queue drains',
      async () => {
        // Fill the queue: 3,000 events for 3,000 new shoppers take a while to commit.
        const preload = s.app.engine.apply(
          s.shop.store,
          Array.from({ length: 3_000 }, (_, i) => view(i)),
        );
        const { analytics, statuses, errors } = client(s.host, s.shop.ingestToken, { flushAt: 3 });
        for (let i = 0; i < 3; i++) analytics.track({ userId: 'patient-shopper', event: 'Waited', properties: { i } });
        await analytics.closeAndFlush({ timeout: 20_000 });
        await preload;
        expect(errors).toEqual([]);
        expect(statuses[0]).toBe(429);
        expect(statuses.at(-1)).toBe(200);
        const found = await s.app.server.inject({
          method: 'GET',
          url: '/v1/contacts?customer_id=patient-shopper',
          headers: { authorization: `Bearer ${s.shop.apiKey}` },
        });
        const [contact] = found.json().contacts;
        const detail = await s.app.server.inject({
          method: 'GET',
          url: `/v1/contacts/${contact.id}`,
          headers: { authorization: `Bearer ${s.shop.apiKey}` },
        });
        expect(detail.json().recentEvents).toHaveLength(3);
      },
    );
  });
}

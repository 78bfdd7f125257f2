import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

type Json = any;

/** The key structure of a JSON value: objects as sorted key lists, arrays item by item. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}

describeEachDatabase('seed 001 Journey Exit API (recent events)', (target) => {
  const h = useHarness(target);

  const send = async (...events: object[]) => {
    const res = await h.post('/v1/events', events);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().rejected).toEqual([]);
    return res.json();
  };
  const viewAt = (eventId: string, customer: object, timestamp: string) =>
    seedEvent('product_view', { event_id: eventId, customer, timestamp });
  const recent = (customerId: string, query = '', as?: StoreCredentials) =>
    h.get(`/v1/customers/${encodeURIComponent(customerId)}/recent-events${query}`, as);
  const fetchUserEvents = (query: string, as?: StoreCredentials | null) =>
    h.call('GET', `/fetch-user-events${query}`, undefined, { as });
  const names = (res: { json(): Json }) => res.json().recent_events.map((e: Json) => e.event_name);

  it("answers with exactly seed 001's example, newest first, whatever order the events arrived in", async () => {
    const example = fixture('seeds/001_recent_events_response.json');
    const customer = example.customer;
    const [cartEvent, viewEvent, collectionEvent] = example.recent_events;
    // Sent oldest, newest, middle; the cart event with the seed's "add_to_cart | remove_from_cart" placeholder.
    await send(
      seedEvent('collection_view', { event_id: 'ex-collection', customer, timestamp: collectionEvent.timestamp }),
    );
    await send(seedEvent('add_to_cart', { event_id: 'ex-cart', customer, timestamp: cartEvent.timestamp }));
    await send(seedEvent('product_view', { event_id: 'ex-view', customer, timestamp: viewEvent.timestamp }));

    const expected = { ...example, organization_id: h.shop.store.id };
    for (const res of [
      await recent(customer.customer_id),
      await fetchUserEvents(`?customer_id=${customer.customer_id}&event_count=5`),
      await h.call('GET', '/fetch-user-events', { customer_id: customer.customer_id, event_count: 5 }),
    ]) {
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(shape(body)).toEqual(shape(expected));
      expect(body).toStrictEqual(expected);
      expect('sub_event_name' in body.recent_events[1]).toBe(false);
    }
  });

  it('orders by the moment an event happened, not by how its timestamp is written, and echoes timestamps as sent', async () => {
    const customer = { customer_id: 'order-by-time' };
    await send(
      viewAt('obt-1', customer, '2024-10-09T11:59:00+05:30'), // 06:29 UTC
      viewAt('obt-2', customer, '2024-10-09T06:45:00Z'), // 06:45 UTC: the newest
      viewAt('obt-3', customer, '2024-10-09T06:30:35.858469+00:00'), // 06:30:35 UTC
      viewAt('obt-4', customer, '2024-10-09T01:00:00-05:00'), // 06:00 UTC: the oldest
    );
    const res = await recent('order-by-time');
    expect(res.json().recent_events.map((e: Json) => e.timestamp)).toEqual([
      '2024-10-09T06:45:00Z',
      '2024-10-09T06:30:35.858469+00:00',
      '2024-10-09T11:59:00+05:30',
      '2024-10-09T01:00:00-05:00',
    ]);
  });

  it('gives sub_event_name only to events that have one', async () => {
    const customer = { customer_id: 'sub-names' };
    await send(
      seedEvent('remove_from_cart', { event_id: 'sn-remove', customer, timestamp: '2024-10-09T06:00:00Z' }),
      viewAt('sn-view', customer, '2024-10-09T06:01:00Z'),
      seedEvent('collection_view', { event_id: 'sn-collection', customer, timestamp: '2024-10-09T06:02:00Z' }),
      {
        event_id: 'sn-custom',
        event_name: 'wishlist_added',
        timestamp: '2024-10-09T06:03:00Z',
        customer,
        event_data: { product_id: 1 },
      },
    );
    const events = (await recent('sub-names')).json().recent_events;
    expect(events).toEqual([
      { event_name: 'wishlist_added', timestamp: '2024-10-09T06:03:00Z' },
      { event_name: 'collection_view', timestamp: '2024-10-09T06:02:00Z' },
      { event_name: 'product_view', timestamp: '2024-10-09T06:01:00Z' },
      { event_name: 'cart_update', sub_event_name: 'remove_from_cart', timestamp: '2024-10-09T06:00:00Z' },
    ]);
    for (const event of events.slice(0, 3)) expect(Object.keys(event)).toEqual(['event_name', 'timestamp']);
  });

  it('returns 5 events by default and up to event_count (1 to 100); other counts are refused', async () => {
    const customer = { customer_id: 'counted' };
    const minute = (i: number) => `2024-10-09T07:${String(i).padStart(2, '0')}:00Z`;
    await send(...Array.from({ length: 7 }, (_, i) => viewAt(`cnt-${i}`, customer, minute(i))));
    expect((await recent('counted')).json().recent_events.map((e: Json) => e.timestamp)).toEqual(
      [6, 5, 4, 3, 2].map(minute),
    );
    expect(names(await recent('counted', '?event_count=100'))).toHaveLength(7);
    expect(names(await recent('counted', '?event_count=1'))).toHaveLength(1);
    expect(names(await fetchUserEvents('?customer_id=counted&event_count=2'))).toHaveLength(2);
    expect(names(await h.call('GET', '/fetch-user-events', { customer_id: 'counted' }))).toHaveLength(5);

    // The curl of seed 001 with the id in the URL and the count in the body.
    expect(names(await h.call('GET', '/fetch-user-events?customer_id=counted', { event_count: 2 }))).toHaveLength(2);

    for (const bad of ['101', '0', 'abc', '-1', '2.5', '1e2']) {
      for (const res of [
        await recent('counted', `?event_count=${bad}`),
        await fetchUserEvents(`?customer_id=counted&event_count=${bad}`),
        await h.call('GET', '/fetch-user-events', { customer_id: 'counted', event_count: bad }),
      ]) {
        expect([res.statusCode, res.json().error?.code], `event_count=${bad}`).toEqual([400, 'VALIDATION_FAILED']);
      }
    }
    for (const bad of [101, 0, true, [5], { n: 5 }]) {
      const res = await h.call('GET', '/fetch-user-events', { customer_id: 'counted', event_count: bad });
      expect([res.statusCode, res.json().error?.code], `event_count: ${JSON.stringify(bad)}`).toEqual([
        400,
        'VALIDATION_FAILED',
      ]);
    }
  });

  it("refuses a request without customer_id, 404s an unknown customer or another store's, and needs the key", async () => {
    await send(viewAt('guard-1', { customer_id: 'guarded' }, '2024-10-09T06:00:00Z'));
    for (const res of [
      await fetchUserEvents(''),
      await fetchUserEvents('?event_count=5'),
      await h.call('GET', '/fetch-user-events', { event_count: 5 }),
    ]) {
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // A customer known only from a contact sync has no activity yet: found, with an empty list.
    expect((await h.post('/v1/contacts', { customer_id: 'synced-only', name: 'Synced' })).statusCode).toBe(200);
    expect((await recent('synced-only')).json()).toMatchObject({
      recent_events: [],
      customer: { customer_id: 'synced-only', name: 'Synced' },
    });

    const badJson = await h.call('GET', '/fetch-user-events', '{"customer_id": ');
    expect([badJson.statusCode, badJson.json().error.code]).toEqual([400, 'INVALID_JSON']);

    const other = await h.newStore({ name: 'Other Shop' });
    for (const res of [
      await recent('nobody'),
      await fetchUserEvents('?customer_id=nobody'),
      await h.call('GET', '/fetch-user-events', { customer_id: 'nobody' }),
      await recent('guarded', '', other),
      await fetchUserEvents('?customer_id=guarded', other),
    ]) {
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'CUSTOMER_NOT_FOUND']);
      expect(res.body).not.toContain('product_view');
    }
    for (const res of [
      await h.call('GET', '/v1/customers/guarded/recent-events', undefined, { as: null }),
      await fetchUserEvents('?customer_id=guarded', null),
    ]) {
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    }
  });

  it('finds a customer id with characters that need encoding in the path', async () => {
    await send(viewAt('enc-1', { customer_id: 'cust 42/α+b' }, '2024-10-09T06:00:00Z'));
    const res = await recent('cust 42/α+b');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ customer_id: 'cust 42/α+b', recent_events: [{ event_name: 'product_view' }] });
    expect(
      (await fetchUserEvents(`?customer_id=${encodeURIComponent('cust 42/α+b')}`)).json().customer.customer_id,
    ).toBe('cust 42/α+b');
  });

  const orderCreated = (customerId: string, orderId: string, date: string) => ({
    eventTypeKey: 'orderCreated',
    keyValue: customerId,
    params: [
      { name: 'externalCustomerId', value: customerId },
      { name: 'externalOrderId', value: orderId },
      { name: 'totalCost', value: '600' },
      { name: 'status', value: 'INITIALIZED' },
      { name: 'date', value: date },
      { name: 'currency', value: 'INR' },
    ],
  });

  it('never shows contact syncs or the WhatsApp opt-in, while the customer block follows the latest profile', async () => {
    const customer = { customer_id: 'quiet', email: 'quiet@example.com', phone: '+919812345670', name: 'Quiet' };
    await send(viewAt('quiet-1', customer, '2024-10-09T06:00:00Z'));
    const order = await h.post('/v1/generate-event', orderCreated('quiet', 'quiet-order', '2024-10-09T06:10:00Z'));
    expect(order.statusCode, order.body).toBe(200);
    const synced = await h.post('/v1/contacts', {
      customer_id: 'quiet',
      name: 'Quiet Renamed',
      email: 'Quiet.New@example.com',
    });
    expect(synced.json().accepted).toBe(1);
    const optIn = await h.post('/v1/orders/quiet-order/whatsapp-subscription', {
      contactPhone: '9812345670',
      email: 'quiet@example.com',
      accountId: h.shop.store.id,
      whatsAppStatus: 'ACTIVE',
    });
    expect([optIn.statusCode, optIn.json().status], optIn.body).toEqual([200, 'updated successfully']);

    const res = await recent('quiet', '?event_count=100');
    expect(res.json().recent_events).toEqual([
      { event_name: 'order_created', timestamp: '2024-10-09T06:10:00Z' },
      { event_name: 'product_view', timestamp: '2024-10-09T06:00:00Z' },
    ]);
    expect(res.json().customer).toEqual({
      customer_id: 'quiet',
      email: 'quiet.new@example.com',
      phone: '+919812345670',
      name: 'Quiet Renamed',
    });
    // Both did happen: the contact page shows them as system events (with the consent change the opt-in made).
    const contact = (await h.get(`/v1/contacts/${order.json().contactId}`)).json();
    expect(contact.whatsapp).toMatchObject({ status: 'ACTIVE', source: 'order_portal' });
    expect(
      contact.recentEvents
        .filter((e: Json) => e.kind === 'system')
        .map((e: Json) => e.name)
        .sort(),
    ).toEqual(['consent_changed', 'contact_synced', 'whatsapp_subscription_updated']);
  });

  it("includes both halves of a merged contact's history", async () => {
    await send(viewAt('half-a', { customer_id: 'half' }, '2024-10-09T06:00:00Z'));
    await send(
      seedEvent('collection_view', {
        event_id: 'half-b',
        customer: { email: 'half-b@example.com' },
        timestamp: '2024-10-09T06:10:00Z',
      }),
    );
    const merge = await send(
      viewAt('half-both', { customer_id: 'half', email: 'half-b@example.com' }, '2024-10-09T06:20:00Z'),
    );
    expect(merge.warnings.map((w: Json) => w.code)).toEqual(['CONTACTS_MERGED']);
    const res = await fetchUserEvents('?customer_id=half');
    expect(res.json().recent_events.map((e: Json) => [e.event_name, e.timestamp])).toEqual([
      ['product_view', '2024-10-09T06:20:00Z'],
      ['collection_view', '2024-10-09T06:10:00Z'],
      ['product_view', '2024-10-09T06:00:00Z'],
    ]);
    expect(res.json().customer.email).toBe('half-b@example.com');
  });

  it('places an order event by the time the order was placed', async () => {
    const customer = { customer_id: 'buyer', email: 'buyer@example.com' };
    await send(
      viewAt('buyer-view-1', customer, '2024-10-09T06:00:00Z'),
      viewAt('buyer-view-2', customer, '2024-10-09T06:45:00Z'),
    );
    // Store time (Asia/Kolkata): 06:30 UTC, between the two views.
    const order = await h.post('/v1/generate-event', orderCreated('buyer', 'buyer-order-1', '2024-10-09 12:00:00'));
    expect(order.statusCode, order.body).toBe(200);
    const events = (await recent('buyer')).json().recent_events;
    expect(events.map((e: Json) => e.event_name)).toEqual(['product_view', 'order_created', 'product_view']);
  });
});

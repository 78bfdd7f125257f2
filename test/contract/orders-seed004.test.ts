import { beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

type Json = Record<string, any>;
const seed: Json = fixture('seeds/004_order_read_response.json');
const ORDER_ID = seed.orderId as string; // "44212809"
const FAILURE = { error: 'failed to update customers', reason: 'no entry exist in customer table' };

/** "array", "null" or typeof: the JSON type a client would see. */
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every place where a key the seed and the answer share has another JSON type in the answer. */
function shapeMismatches(expected: unknown, actual: unknown, path = '$', out: string[] = []): string[] {
  if (kind(expected) !== kind(actual)) {
    out.push(`${path}: seed has ${kind(expected)}, answer has ${kind(actual)}`);
  } else if (Array.isArray(expected) && Array.isArray(actual) && expected.length > 0) {
    actual.forEach((value, i) =>
      shapeMismatches(expected[Math.min(i, expected.length - 1)], value, `${path}[${i}]`, out),
    );
  } else if (kind(expected) === 'object') {
    for (const [key, value] of Object.entries(expected as Json)) {
      if (key in (actual as Json)) shapeMismatches(value, (actual as Json)[key], `${path}.${key}`, out);
    }
  }
  return out;
}
const sharedKeys = (a: Json, b: Json) =>
  Object.keys(a)
    .filter((k) => k in b)
    .sort();

describeEachDatabase('order read and WhatsApp opt-in (seed 004)', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  let other: StoreCredentials;
  let contactId: string;
  beforeAll(async () => {
    other = await h.newStore({ name: 'Other Shop' });

    // Seed 004's order, placed through seed 003's API by a shopper known by phone and email.
    const pick = (...names: string[]) => names.map((name) => ({ name, value: seed[name] }));
    const created = await h.post('/v1/generate-event', {
      eventTypeKey: 'orderCreated',
      params: [
        { name: 'externalOrderId', value: ORDER_ID },
        { name: 'externalCustomerId', value: 'mituj' },
        { name: 'email', value: 'Mituj@Eshopbox.com' },
        { name: 'phone', value: '+91 97111 66382' },
        { name: 'totalCost', value: '1000.0' },
        { name: 'status', value: 'IN_PROGRESS' },
        { name: 'date', value: '2023-12-19 14:52:09' },
        { name: 'currency', value: 'INR' },
        ...pick(
          'customerOrderNumber',
          'vendorOrderNumber',
          'externalChannelID',
          'shipMethod',
          'paymentType',
          'shippingAddress',
          'billingAddress',
        ),
        {
          name: 'items',
          value: seed.items.map((i: Json) => ({
            externalItemId: i.orderItemID,
            name: i.productName,
            quantity: i.quantity,
            cost: 500,
            url: `https://dfc.example/p/${i.sku}`,
            imageUrl: i.productImageUrl,
            sku: i.sku,
            discount: i.discount,
          })),
        },
      ],
    });
    expect(created.json(), created.body).toMatchObject({ status: 'accepted', orderId: ORDER_ID, warnings: [] });
    contactId = created.json().contactId;

    const timeline = seed.items[0].forwardTrackingTimeline;
    const updates = timeline.statusLog.map((entry: Json) => ({
      shipmentId: seed.items[0].shipmentId,
      orderId: ORDER_ID,
      trackingId: timeline.trackingID,
      courierName: timeline.courierName,
      ...entry,
      ...(entry.status === 'failed_delivery' ? { ndr: seed.items[0].ndrDetails } : {}),
    }));
    expect((await h.post('/v1/shipments/events', updates)).json()).toMatchObject({ accepted: 4 });
  });

  const readOrder = async (as?: StoreCredentials) => {
    const res = await h.get(`/v1/orders/${ORDER_ID}`, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const optIn = (body: Json, as?: StoreCredentials, orderId = ORDER_ID) =>
    h.post(`/v1/orders/${orderId}/whatsapp-subscription`, body, as);
  const request = (overrides: Json = {}) => ({
    contactPhone: '9711166382',
    customerName: 'Mituj',
    email: 'mituj@eshopbox.com',
    accountId: h.shop.store.id,
    whatsAppStatus: 'ACTIVE',
    ...overrides,
  });
  const whatsappOf = async (id: string, as?: StoreCredentials) =>
    (await h.get(`/v1/contacts/${id}`, as)).json().whatsapp;

  it('answers with the keys seed 004 has, with the same JSON types', async () => {
    const order = await readOrder();
    expect(shapeMismatches(seed, order)).toEqual([]);

    expect(sharedKeys(seed, order)).toEqual(
      [
        'orderId',
        'customerOrderNumber',
        'vendorOrderNumber',
        'orderDate',
        'isCOD',
        'paymentType',
        'subTotal',
        'orderTotal',
        'shippingAddress',
        'billingAddress',
        'items',
        'externalShipmentIds',
        'isWhatsAppEnabledForNotifications',
        'externalChannelID',
        'shipMethod',
      ].sort(),
    );
    const [item] = order.items;
    expect(sharedKeys(seed.items[0], item)).toEqual(
      [
        'orderItemID',
        'itemID',
        'productName',
        'quantity',
        'customerPrice',
        'lineItemTotal',
        'productImageUrl',
        'lineItemSequenceNumber',
        'shipmentId',
        'latestStatus',
        'statusUpdatedAt',
        'latestRemark',
        'ndrDetails',
        'timeLine',
        'forwardTrackingTimeline',
        'sku',
        'discount',
      ].sort(),
    );
    expect(Object.keys(item.forwardTrackingTimeline).sort()).toEqual(['courierName', 'statusLog', 'trackingID']);
    for (const entry of item.forwardTrackingTimeline.statusLog)
      expect(Object.keys(entry).sort()).toEqual(['location', 'remark', 'status', 'updatedAt']);
    expect(Object.keys(item.ndrDetails).sort()).toEqual(['ndrCode', 'reason', 'resolutions']);

    // The keys Storewire adds to the seed's.
    expect(order).toMatchObject({ status: 'IN_PROGRESS', source: 'generate_event', currency: 'INR', contactId });
    expect(order.createdAt).toBe(new Date(clock.now()).toISOString());
    expect(item.productUrl).toBe('https://dfc.example/p/01FIJ3FOD5U');

    // Values as sent, and the seed's own where Storewire computes the same thing.
    expect(order).toMatchObject({
      orderId: ORDER_ID,
      customerOrderNumber: 'TestLabel3',
      orderDate: '2023-12-19 14:52:09',
      isCOD: 1,
      paymentType: 'COD',
      subTotal: 1000,
      orderTotal: 1000,
      shippingAddress: seed.shippingAddress,
      billingAddress: seed.billingAddress,
      externalShipmentIds: seed.externalShipmentIds,
      isWhatsAppEnabledForNotifications: '0',
    });
    order.items.forEach((line: Json, i: number) => {
      const expected = seed.items[i];
      expect(line).toMatchObject({
        orderItemID: expected.orderItemID,
        productName: expected.productName,
        quantity: 1,
        customerPrice: 500,
        lineItemTotal: 500,
        lineItemSequenceNumber: expected.lineItemSequenceNumber,
        sku: expected.sku,
        discount: expected.discount,
      });
      for (const key of [
        'shipmentId',
        'latestStatus',
        'statusUpdatedAt',
        'latestRemark',
        'ndrDetails',
        'timeLine',
        'forwardTrackingTimeline',
      ]) {
        expect(line[key], key).toEqual(expected[key]);
      }
    });
  });

  it('opts the shopper in from the order page, and out again (seed 004 flow)', async () => {
    clock.advance(60_000);
    const res = await optIn(request());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...request(), status: 'updated successfully' });
    expect((await readOrder()).isWhatsAppEnabledForNotifications).toBe('1');
    expect(await whatsappOf(contactId)).toEqual({
      status: 'ACTIVE',
      source: 'order_portal',
      updatedAt: new Date(clock.now()).toISOString(),
      profileName: null,
    });

    clock.advance(60_000);
    const out = await optIn(
      request({
        whatsAppStatus: 'INACTIVE',
        customerName: undefined,
        contactPhone: '+91-97111-66382',
        email: 'MITUJ@eshopbox.com',
      }),
    );
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({
      contactPhone: '+91-97111-66382',
      email: 'MITUJ@eshopbox.com',
      accountId: h.shop.store.id,
      whatsAppStatus: 'INACTIVE',
      status: 'updated successfully',
    });
    expect((await readOrder()).isWhatsAppEnabledForNotifications).toBe('0');
    expect(await whatsappOf(contactId)).toMatchObject({ status: 'INACTIVE', source: 'order_portal' });
  });

  it('answers the seed failure body when no one contact of this store holds the phone and the email', async () => {
    const second = await h.post('/v1/contacts', {
      customer_id: 'second',
      email: 'second@example.com',
      phone: '+919822211100',
    });
    const secondId = second.json().contacts[0].id;
    const elsewhere = await h.post(
      '/v1/contacts',
      { customer_id: 'far', email: 'far@example.com', phone: '9800011122' },
      other,
    );
    const elsewhereId = elsewhere.json().contacts[0].id;

    const cases: [string, Json][] = [
      ['phone matches, email does not', request({ email: 'someone.else@eshopbox.com' })],
      ['email matches, phone does not', request({ contactPhone: '9811122233' })],
      ['phone and email of two contacts', request({ email: 'second@example.com' })],
      ["another store's accountId", request({ accountId: other.store.id })],
      ['a contact of another store', request({ contactPhone: '9800011122', email: 'far@example.com' })],
      ['a phone that is no number', request({ contactPhone: 'call me' })],
    ];
    for (const [name, body] of cases) {
      const res = await optIn(body);
      expect([res.statusCode, res.json()], name).toEqual([404, FAILURE]);
    }
    expect((await readOrder()).isWhatsAppEnabledForNotifications).toBe('0');
    expect((await whatsappOf(contactId)).status).toBe('INACTIVE');
    // Nothing was merged or changed by the attempts.
    const secondNow = (await h.get(`/v1/contacts/${secondId}`)).json();
    expect(secondNow).toMatchObject({
      id: secondId,
      email: 'second@example.com',
      phone: '+919822211100',
      whatsapp: { status: 'INACTIVE' },
    });
    expect((await h.get(`/v1/contacts/${contactId}`)).json().identities).not.toContainEqual(
      expect.objectContaining({ value: 'second@example.com' }),
    );
    expect((await whatsappOf(elsewhereId, other)).status).toBe('INACTIVE');
  });

  it('refuses a body outside the schema with VALIDATION_FAILED', async () => {
    const { email: _email, ...noEmail } = request();
    for (const body of [
      request({ whatsAppStatus: 'YES' }),
      noEmail,
      request({ accountId: '' }),
      request({ contactPhone: null }),
    ]) {
      const res = await optIn(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await optIn(request({ whatsAppStatus: 'YES' }))).json().error.details.path).toContain('whatsAppStatus');
    expect((await whatsappOf(contactId)).status).toBe('INACTIVE');
  });

  it('keeps the opt-in out of the recent-events API', async () => {
    const recent = async () => (await h.get('/v1/customers/mituj/recent-events?event_count=100')).json();
    const before = await recent();
    expect(before.recent_events.length).toBeGreaterThan(0);
    clock.advance(60_000);
    expect((await optIn(request())).statusCode).toBe(200);
    const after = await recent();
    expect(after).toEqual(before);
    expect(after.recent_events.map((e: Json) => e.event_name)).not.toContain('whatsapp_subscription_updated');
    expect(after.customer).toEqual({
      customer_id: 'mituj',
      email: 'mituj@eshopbox.com',
      phone: '+919711166382',
      name: null,
    });
  });

  it("answers an unknown order and another store's key with ORDER_NOT_FOUND on read and seed 004's failure on opt-in", async () => {
    for (const [orderId, as] of [
      ['no-such-order', undefined],
      [ORDER_ID, other],
    ] as const) {
      const read = await h.get(`/v1/orders/${orderId}`, as);
      expect([read.statusCode, read.json().error.code], orderId).toEqual([404, 'ORDER_NOT_FOUND']);
      expect(read.body).not.toContain('Mituj');
      const body = request({ accountId: (as ?? h.shop).store.id });
      const write = await optIn(body, as, orderId);
      expect([write.statusCode, write.json()], orderId).toEqual([
        404,
        { error: 'failed to update customers', reason: 'no entry exist in customer table' },
      ]);
    }
    const noKey = await h.call('GET', `/v1/orders/${ORDER_ID}`, undefined, { as: null });
    expect([noKey.statusCode, noKey.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    const noKeyOptIn = await h.call('POST', `/v1/orders/${ORDER_ID}/whatsapp-subscription`, request(), { as: null });
    expect(noKeyOptIn.statusCode).toBe(401);
  });
});

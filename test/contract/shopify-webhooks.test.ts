import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { APP_SECRET, connectShop, deliver, fixtureText, SHOP, shopifySignature } from '../support/shopify.js';

type Json = Record<string, any>;

/** Shopify's own samples, byte for byte (their 18-digit ids must survive exactly). */
const CHECKOUT = fixtureText('shopify/checkouts_create.sample.json');
const ORDER = fixtureText('shopify/orders_create.sample.json');

describeEachDatabase('Shopify webhooks', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  const contactBy = async (query: string) => {
    const found = await h.get(`/v1/contacts?${query}`);
    expect(found.statusCode).toBe(200);
    const [summary] = found.json().contacts;
    return summary ? (await h.get(`/v1/contacts/${summary.id}`)).json() : null;
  };
  const connector = async () => (await h.get(`/v1/stores/${h.shop.store.id}/connectors/shopify`)).json();

  /** An order payload of our own, from Shopify's sample with small ids and the given state. */
  const order = (id: number, updatedAt: string, extra: Json = {}): Json => ({
    ...fixture('shopify/orders_create.sample.json'),
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    cancelled_at: null,
    cancel_reason: null,
    financial_status: 'pending',
    created_at: '2026-11-01T10:00:00+05:30',
    updated_at: updatedAt,
    customer: {
      ...fixture('shopify/orders_create.sample.json').customer,
      id: id + 50_000,
      email: `buyer${id}@example.com`,
    },
    email: `buyer${id}@example.com`,
    line_items: [
      {
        id: id * 10 + 1,
        product_id: 111,
        variant_id: 222,
        title: 'Denim Shirt',
        quantity: 2,
        price: '600.00',
        sku: 'DS-1',
      },
    ],
    total_price: '1250.00',
    currency: 'INR',
    payment_gateway_names: ['Cash on Delivery (COD)'],
    ...extra,
  });

  it('connects a shop with PUT; shows it without the secret; refuses bad domains and other stores', async () => {
    const path = `/v1/stores/${h.shop.store.id}/connectors/shopify`;
    const bad = await h.call('PUT', path, { shopDomain: 'shop.example.com', appSecret: APP_SECRET });
    expect([bad.statusCode, bad.json().error.code, bad.json().error.details.path]).toEqual([
      400,
      'VALIDATION_FAILED',
      '/shopDomain',
    ]);
    const noSecret = await h.call('PUT', path, { shopDomain: SHOP });
    expect(noSecret.statusCode).toBe(400);

    const other = await h.newStore({ name: 'Other' });
    const foreign = await h.call('PUT', `/v1/stores/${other.store.id}/connectors/shopify`, {
      shopDomain: SHOP,
      appSecret: APP_SECRET,
    });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([404, 'STORE_NOT_FOUND']);
    const noKey = await h.call('PUT', path, { shopDomain: SHOP, appSecret: APP_SECRET }, { as: null });
    expect(noKey.statusCode).toBe(401);
    expect((await h.get(`/v1/stores/${h.shop.store.id}/connectors/shopify`)).json().error.code).toBe(
      'CONNECTOR_NOT_FOUND',
    );

    const put = await h.call('PUT', path, { shopDomain: ` https://${SHOP.toUpperCase()}/ `, appSecret: APP_SECRET });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ connector: 'shopify', shopDomain: SHOP, webhookUrl: '/v1/shopify/webhooks' });
    expect(put.json().topics).toEqual(
      expect.arrayContaining(['checkouts/create', 'orders/updated', 'fulfillment_events/create', 'customers/update']),
    );
    const shown = await connector();
    expect(shown).toMatchObject({ connector: 'shopify', shopDomain: SHOP, ignored: [] });
    expect(JSON.stringify(shown)).not.toContain(APP_SECRET);
    expect(JSON.stringify((await h.get(`/v1/stores/${h.shop.store.id}/connectors`)).json())).not.toContain(APP_SECRET);
  });

  it('documents the connector routes in the OpenAPI document', async () => {
    const paths = (await h.get('/openapi.json')).json().paths;
    expect(paths['/v1/shopify/webhooks'].post).toBeTruthy();
    expect(paths['/v1/shipping/tracking-webhook'].post).toBeTruthy();
    expect(
      paths['/v1/stores/{id}/connectors/shopify'].put.requestBody.content['application/json'].schema.required,
    ).toEqual(['shopDomain', 'appSecret']);
    expect(Object.keys(paths['/v1/stores/{id}/connectors/{name}'])).toEqual(expect.arrayContaining(['get', 'delete']));
  });

  it("turns Shopify's checkouts/create sample into the shopper's cart; a redelivery is a duplicate", async () => {
    await connectShop(h);
    const res = await deliver(h, { topic: 'checkouts/create', body: CHECKOUT, webhookId: 'b54557e4-checkout-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ topic: 'checkouts/create', accepted: 1, duplicates: 0, ignored: [] });

    const contact = await contactBy('customer_id=603851970716743426');
    expect(contact).toMatchObject({ customerId: '603851970716743426', email: 'example@email.com', name: 'John Smith' });
    expect(contact.cart).toMatchObject({
      status: 'active',
      total: 421.88,
      currency: 'USD',
      cartLink: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
    });
    expect(contact.cart.lines).toEqual([
      expect.objectContaining({
        productId: '632910392',
        variantId: '808950810',
        title: 'IPod Nano - 8GB',
        quantity: 1,
        linePrice: 199,
      }),
      expect.objectContaining({ productId: '632910392', variantId: '808950810', quantity: 1, linePrice: 199 }),
    ]);
    expect(contact.recentEvents[0]).toMatchObject({
      name: 'checkout_started',
      source: 'shopify',
      timestamp: '2021-12-31T19:00:00-05:00',
    });
    expect((await h.get('/v1/products/632910392?variant_id=808950810')).json()).toMatchObject({
      title: 'IPod Nano - 8GB',
      price: 199,
      currency: 'USD',
    });

    const again = await deliver(h, { topic: 'checkouts/create', body: CHECKOUT, webhookId: 'b54557e4-checkout-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await contactBy('customer_id=603851970716743426')).recentEvents).toHaveLength(1);
  });

  it('ends recovery when the checkout completes, and a late older update does not reopen the cart', async () => {
    const base = {
      ...fixture('shopify/checkouts_create.sample.json'),
      token: 'chk-2',
      customer: null,
      email: 'late@example.com',
    };
    const open = { ...base, updated_at: '2026-11-01T10:00:00+05:30' };
    const done = { ...base, updated_at: '2026-11-01T10:20:00+05:30', completed_at: '2026-11-01T10:20:00+05:30' };
    const stale = { ...base, updated_at: '2026-11-01T10:10:00+05:30', line_items: [base.line_items[0]] };

    expect((await deliver(h, { topic: 'checkouts/create', body: open })).json().accepted).toBe(1);
    expect((await contactBy('email=late@example.com')).cart.status).toBe('active');
    expect((await deliver(h, { topic: 'checkouts/update', body: done })).json().accepted).toBe(1);
    let contact = await contactBy('email=late@example.com');
    expect(contact.cart.status).toBe('converted');
    expect(contact.recentEvents[0].name).toBe('checkout_completed');

    const late = await deliver(h, { topic: 'checkouts/update', body: stale });
    expect(late.json()).toMatchObject({
      accepted: 1,
      warnings: [expect.objectContaining({ code: 'CART_NOT_CHANGED' })],
    });
    contact = await contactBy('email=late@example.com');
    expect(contact.cart.status).toBe('converted');
    expect(contact.cart.lines).toHaveLength(2);
  });

  it("files Shopify's orders/create sample as an order with its items, status and shopper", async () => {
    const res = await deliver(h, { topic: 'orders/create', body: ORDER });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, ignored: [] });
    // Shipping, taxes and discounts make Shopify's total differ from the items: no mismatch warning.
    expect(res.json().warnings).toEqual([]);

    const read = await h.get('/v1/orders/820982911946154508');
    expect(read.statusCode).toBe(200);
    const o = read.json();
    expect(o).toMatchObject({
      orderId: '820982911946154508',
      status: 'CANCELLED',
      source: 'shopify',
      currency: 'USD',
      orderTotal: 404.95,
      customerOrderNumber: '#9999',
      financialStatus: 'voided',
      cancelReason: 'customer',
      paymentType: 'PREPAID',
      isCOD: 0,
    });
    expect(o.items.map((i: Json) => [i.orderItemID, i.productName, i.quantity, i.customerPrice])).toEqual([
      ['487817672276298554', 'Aviator sunglasses', 1, 89.99],
      ['789012345678901234', 'Lens Protection Plan (2 Year)', 1, 19.99],
      ['890123456789012345', 'Premium Leather Case', 1, 24.99],
      ['976318377106520349', 'Mid-century lounger', 1, 159.99],
      ['315789986012684393', 'Coffee table', 1, 119.99],
    ]);
    const contact = await contactBy('customer_id=115310627314723954');
    expect(contact).toMatchObject({ email: 'jon@example.com', name: 'John Smith' });
    expect(contact.orders.map((x: Json) => x.orderId)).toEqual(['820982911946154508']);
    expect(contact.recentEvents[0]).toMatchObject({ name: 'order_created', timestamp: '2021-12-31T19:00:00-05:00' });
  });

  it('applies order updates by updated_at, whatever order they arrive in', async () => {
    // orders/paid (10:05) arrives first and creates the order; orders/create (10:00) comes late.
    const paid = await deliver(h, {
      topic: 'orders/paid',
      body: order(9001, '2026-11-01T10:05:00+05:30', { financial_status: 'paid' }),
    });
    expect(paid.json()).toMatchObject({ accepted: 1 });
    const created = await deliver(h, { topic: 'orders/create', body: order(9001, '2026-11-01T10:00:00+05:30') });
    expect(created.json()).toMatchObject({
      accepted: 1,
      warnings: [expect.objectContaining({ code: 'STALE_UPDATE' })],
    });
    let o = (await h.get('/v1/orders/9001')).json();
    expect(o).toMatchObject({
      status: 'IN_PROGRESS',
      financialStatus: 'paid',
      paymentType: 'COD',
      isCOD: 1,
      orderTotal: 1250,
      subTotal: 1200,
    });

    const cancelled = await deliver(h, {
      topic: 'orders/cancelled',
      body: order(9001, '2026-11-01T11:00:00+05:30', {
        financial_status: 'refunded',
        cancelled_at: '2026-11-01T11:00:00+05:30',
        cancel_reason: 'customer',
      }),
    });
    expect(cancelled.json().accepted).toBe(1);
    const lateUpdate = await deliver(h, {
      topic: 'orders/updated',
      body: order(9001, '2026-11-01T10:30:00+05:30', { financial_status: 'paid' }),
    });
    expect(lateUpdate.json().warnings).toEqual([expect.objectContaining({ code: 'STALE_UPDATE' })]);
    o = (await h.get('/v1/orders/9001')).json();
    expect(o).toMatchObject({ status: 'CANCELLED', financialStatus: 'refunded', cancelReason: 'customer' });
    const contact = await contactBy('customer_id=59001');
    expect(contact.recentEvents.map((e: Json) => e.name)).toEqual([
      'order_cancelled',
      'order_updated',
      'order_paid',
      'order_created',
    ]);
  });

  it('builds the shipment timeline from fulfillments and their events, in time order, and marks the order delivered', async () => {
    await deliver(h, {
      topic: 'orders/create',
      body: order(9002, '2026-11-02T09:00:00+05:30', { financial_status: 'paid' }),
    });
    const fulfillment = {
      id: 4455,
      order_id: 9002,
      status: 'success',
      shipment_status: null,
      created_at: '2026-11-02T12:00:00+05:30',
      updated_at: '2026-11-02T12:00:00+05:30',
      tracking_company: 'Delhivery',
      tracking_number: 'AWB123',
      tracking_numbers: ['AWB123'],
      line_items: [{ id: 90021, quantity: 2 }],
    };
    const step = (id: number, status: string, at: string, extra: Json = {}) => ({
      id,
      fulfillment_id: 4455,
      order_id: 9002,
      status,
      happened_at: at,
      created_at: at,
      message: null,
      city: 'Mumbai',
      province: 'Maharashtra',
      country: 'India',
      ...extra,
    });
    expect((await deliver(h, { topic: 'fulfillments/create', body: fulfillment })).json().accepted).toBe(1);
    // Deliveries in a shuffled order; a late in_transit arrives after "delivered".
    for (const [topic, body] of [
      ['fulfillment_events/create', step(2, 'out_for_delivery', '2026-11-04T09:00:00+05:30')],
      [
        'fulfillment_events/create',
        step(1, 'in_transit', '2026-11-03T08:00:00+05:30', { message: 'Departed facility' }),
      ],
      [
        'fulfillment_events/create',
        step(3, 'attempted_delivery', '2026-11-04T13:00:00+05:30', { message: 'Customer not available' }),
      ],
      ['fulfillment_events/create', step(5, 'delivered', '2026-11-05T11:00:00+05:30')],
      [
        'fulfillments/update',
        { ...fulfillment, shipment_status: 'in_transit', updated_at: '2026-11-03T09:00:00+05:30' },
      ],
    ] as const) {
      const res = await deliver(h, { topic, body });
      expect(res.statusCode, topic).toBe(200);
      expect(res.json().accepted, topic).toBeGreaterThan(0);
    }
    const o = (await h.get('/v1/orders/9002')).json();
    expect(o.status).toBe('DELIVERED');
    const [item] = o.items;
    expect(item).toMatchObject({ shipmentId: '4455', latestStatus: 'delivered', ndrDetails: {} });
    expect(item.forwardTrackingTimeline).toMatchObject({ courierName: 'Delhivery', trackingID: 'AWB123' });
    expect(item.forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual([
      'shipped',
      'in_transit',
      'in_transit',
      'out_for_delivery',
      'failed_delivery',
      'delivered',
    ]);
    expect(item.forwardTrackingTimeline.statusLog[1]).toMatchObject({
      remark: 'Departed facility',
      location: 'Mumbai, Maharashtra, India',
    });
    expect(item.forwardTrackingTimeline.statusLog[4].remark).toBe('Customer not available');
  });

  it('keeps customer consent as attributes, never as a WhatsApp opt-in, and ignores an older profile', async () => {
    // The id goes out as a JSON number past 2^53, as Shopify sends it (JavaScript cannot hold it).
    const customer = (updatedAt: string, sms: string, extra: Json = {}) =>
      JSON.stringify({
        id: '__ID__',
        email: 'Bob.Norman@Example.com',
        phone: '+919876543210',
        first_name: 'Bob',
        last_name: 'Norman',
        state: 'enabled',
        tags: 'vip',
        created_at: '2026-11-01T08:00:00+05:30',
        updated_at: updatedAt,
        email_marketing_consent: {
          state: 'subscribed',
          opt_in_level: 'single_opt_in',
          consent_updated_at: '2026-11-01T08:00:00+05:30',
        },
        sms_marketing_consent: {
          state: sms,
          opt_in_level: 'single_opt_in',
          consent_updated_at: updatedAt,
          consent_collected_from: 'SHOPIFY',
        },
        ...extra,
      }).replace('"__ID__"', '706405506930370001');
    const first = await deliver(h, {
      topic: 'customers/create',
      body: customer('2026-11-01T08:00:00+05:30', 'subscribed'),
    });
    expect(first.json().accepted).toBe(1);
    const newer = await deliver(h, {
      topic: 'customers/update',
      body: customer('2026-11-01T09:00:00+05:30', 'unsubscribed', { first_name: 'Robert' }),
    });
    expect(newer.json().accepted).toBe(1);
    const older = await deliver(h, {
      topic: 'customers/update',
      body: customer('2026-11-01T08:30:00+05:30', 'subscribed', { first_name: 'Bobby' }),
    });
    expect(older.json()).toMatchObject({ accepted: 1, warnings: [expect.objectContaining({ code: 'STALE_UPDATE' })] });

    const contact = await contactBy('email=bob.norman@example.com');
    expect(contact).toMatchObject({ customerId: '706405506930370001', phone: '+919876543210', name: 'Robert Norman' });
    expect(contact.attributes).toMatchObject({
      emailMarketingConsent: 'subscribed',
      smsMarketingConsent: 'unsubscribed',
      shopifyTags: 'vip',
      shopifyUpdatedAt: '2026-11-01T03:30:00.000Z',
    });
    expect(contact.whatsapp.status).toBe('INACTIVE');
  });

  it('refuses a wrong or missing signature and an unknown shop with 401, storing nothing', async () => {
    const body = {
      ...fixture('shopify/checkouts_create.sample.json'),
      token: 'chk-forged',
      customer: null,
      email: 'forged@example.com',
    };
    const text = JSON.stringify(body);
    const cases = [
      { hmac: 'bm90IHRoZSBzaWduYXR1cmU=' },
      { hmac: null },
      { secret: 'shpss_someone_else' },
      { shop: 'other-shop.myshopify.com' },
      { shop: 'not a domain' },
    ];
    for (const c of cases) {
      const res = await deliver(h, { topic: 'checkouts/create', body: text, ...c });
      expect(res.statusCode, JSON.stringify(c)).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    // Signed bytes must be the bytes sent: the same JSON, re-serialized, is not what was signed.
    const pretty = JSON.stringify(body, null, 2);
    const reserialized = await deliver(h, { topic: 'checkouts/create', body: pretty, hmac: shopifySignature(text) });
    expect(reserialized.statusCode).toBe(401);
    expect(await contactBy('email=forged@example.com')).toBeNull();
    expect((await connector()).ignored).toEqual([]);
  });

  it('answers 400 with the reason when the payload is not what the topic says, storing nothing', async () => {
    const orderAsCustomer = await deliver(h, { topic: 'customers/update', body: ORDER });
    expect(orderAsCustomer.statusCode).toBe(400);
    expect(orderAsCustomer.json().error).toMatchObject({
      code: 'WEBHOOK_TOPIC_MISMATCH',
      details: { topic: 'customers/update', path: '/line_items' },
    });

    const checkoutAsOrder = await deliver(h, {
      topic: 'orders/create',
      body: { ...fixture<Json>('shopify/checkouts_create.sample.json'), email: 'mismatch@example.com' },
    });
    expect(checkoutAsOrder.statusCode).toBe(400);
    expect(checkoutAsOrder.json().error.code).toBe('WEBHOOK_TOPIC_MISMATCH');
    expect(checkoutAsOrder.json().error.message).toContain('orders/create');

    const orderAsFulfillment = await deliver(h, {
      topic: 'fulfillments/create',
      body: order(9003, '2026-11-01T10:00:00+05:30'),
    });
    expect([orderAsFulfillment.statusCode, orderAsFulfillment.json().error.code]).toEqual([
      400,
      'WEBHOOK_TOPIC_MISMATCH',
    ]);
    const badTime = await deliver(h, { topic: 'orders/create', body: order(9003, 'yesterday') });
    expect(badTime.json().error).toMatchObject({ code: 'WEBHOOK_TOPIC_MISMATCH', details: { path: '/updated_at' } });
    expect((await h.get('/v1/orders/9003')).statusCode).toBe(404);
    expect(await contactBy('email=mismatch@example.com')).toBeNull();

    const notJson = await deliver(h, { topic: 'orders/create', body: '{"id": 1,' });
    expect([notJson.statusCode, notJson.json().error.code]).toEqual([400, 'INVALID_JSON']);
    const noTopic = await h.call('POST', '/v1/shopify/webhooks', ORDER, {
      as: null,
      headers: {
        'content-type': 'application/json',
        'x-shopify-shop-domain': SHOP,
        'x-shopify-hmac-sha256': shopifySignature(ORDER),
      },
    });
    expect([noTopic.statusCode, noTopic.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers 200 to an unknown topic and to what cannot be applied, and counts them on the connector', async () => {
    const product = await deliver(h, {
      topic: 'products/update',
      body: { id: 632910392, title: 'IPod Nano - 8GB' },
      webhookId: 'wh-product-1',
    });
    expect(product.statusCode).toBe(200);
    expect(product.json()).toMatchObject({
      accepted: 0,
      ignored: [expect.objectContaining({ code: 'UNKNOWN_TOPIC' })],
    });
    await deliver(h, { topic: 'products/update', body: { id: 632910392 }, webhookId: 'wh-product-2' });

    // A checkout before the shopper gave an email or phone names nobody: nothing to file it on.
    const anonymous = {
      ...fixture('shopify/checkouts_create.sample.json'),
      token: 'chk-anon',
      customer: null,
      email: null,
      phone: null,
    };
    expect((await deliver(h, { topic: 'checkouts/create', body: anonymous })).json()).toMatchObject({
      accepted: 0,
      ignored: [expect.objectContaining({ code: 'NO_IDENTIFIER' })],
    });
    // An order nobody can be found for cannot be created; sending it again would not help.
    const guest = order(9004, '2026-11-01T10:00:00+05:30', {
      customer: null,
      email: null,
      contact_email: null,
      phone: null,
    });
    const guestRes = await deliver(h, { topic: 'orders/create', body: guest });
    expect(guestRes.statusCode).toBe(200);
    expect(guestRes.json().ignored).toEqual([expect.objectContaining({ code: 'MISSING_REQUIRED_PARAMS' })]);

    const ignored = (await connector()).ignored as Json[];
    const byTopic = Object.fromEntries(ignored.map((i) => [`${i.topic} ${i.reason}`, i.count]));
    expect(byTopic).toEqual({
      'products/update UNKNOWN_TOPIC': 2,
      'checkouts/create NO_IDENTIFIER': 1,
      'orders/create MISSING_REQUIRED_PARAMS': 1,
    });
    expect(ignored.find((i) => i.topic === 'products/update')).toMatchObject({ lastDeliveryId: 'wh-product-2' });
  });

  it('stops taking the shop’s webhooks once disconnected', async () => {
    const del = await h.call('DELETE', `/v1/stores/${h.shop.store.id}/connectors/shopify`);
    expect(del.statusCode).toBe(204);
    const res = await deliver(h, { topic: 'orders/create', body: order(9005, '2026-11-01T10:00:00+05:30') });
    expect(res.statusCode).toBe(401);
    expect((await h.call('DELETE', `/v1/stores/${h.shop.store.id}/connectors/shopify`)).json().error.code).toBe(
      'CONNECTOR_NOT_FOUND',
    );
  });
});

import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

type Params = Record<string, unknown>;
const item = (id: string, cost: number, quantity = 1) => ({
  externalItemId: id,
  name: `Item ${id}`,
  quantity,
  cost,
  url: `https://shop.example/p/${id}`,
  imageUrl: `https://shop.example/p/${id}.png`,
});
/** A complete orderCreated parameter set whose items add up to totalCost. */
const complete = (orderId: string, customerId: string, extra: Params = {}): Params => ({
  externalOrderId: orderId,
  externalCustomerId: customerId,
  totalCost: '500.00',
  status: 'INITIALIZED',
  date: '2026-11-21T09:00:00',
  currency: 'INR',
  items: [item(`${orderId}-a`, 250, 2)],
  ...extra,
});
const body = (eventTypeKey: string, params: Params, keyValue?: string) => ({
  eventTypeKey,
  ...(keyValue !== undefined ? { keyValue } : {}),
  params: Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ name, value })),
});

describeEachDatabase('seed 003 generate-event', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  /** Each request one second after the last, so events have an order in time. */
  const send = async (payload: unknown, opts: { as?: StoreCredentials; key?: string } = {}) => {
    const res = await h.call('POST', '/v1/generate-event', payload, {
      as: opts.as,
      headers: opts.key ? { 'idempotency-key': opts.key } : {},
    });
    clock.advance(1000);
    return res;
  };
  const order = async (orderId: string, as?: StoreCredentials) => {
    const res = await h.get(`/v1/orders/${encodeURIComponent(orderId)}`, as);
    return res.statusCode === 200 ? res.json() : null;
  };
  const contactBy = async (kind: 'customer_id' | 'email' | 'phone', value: string, as?: StoreCredentials) => {
    const res = await h.get(`/v1/contacts?${kind}=${encodeURIComponent(value)}`, as);
    expect(res.statusCode).toBe(200);
    const [summary] = res.json().contacts;
    return summary ? (await h.get(`/v1/contacts/${summary.id}`, as)).json() : null;
  };
  const expectError = (res: { statusCode: number; body: string; json(): any }, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    return res.json().error;
  };

  it("stores seed 003's example as sent: order, item, store-local date and one contact for phone and customer id", async () => {
    const res = await send(fixture('seeds/003_order_created.json'));
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ accepted: 1, duplicates: 0, status: 'accepted', orderId: '12345679' });
    expect(answer.warnings.map((w: { code: string }) => w.code)).toEqual(['ORDER_TOTAL_MISMATCH']);

    const stored = await order('12345679');
    expect(stored).toMatchObject({
      orderId: '12345679',
      status: 'INITIALIZED',
      orderTotal: 258,
      subTotal: 990,
      currency: 'UAH',
      orderDate: '2020-05-14 10:11:00',
      source: 'generate_event',
      contactId: answer.contactId,
    });
    expect(stored.items).toEqual([
      expect.objectContaining({
        itemID: '200600',
        productName: 'Super Device',
        quantity: 1,
        customerPrice: 990,
        lineItemTotal: 990,
        productUrl: 'http://example.com/item/200600',
        productImageUrl: 'http://example.com/item/200600/image.png',
        category: 'devices',
        description: 'High quality',
      }),
    ]);
    const byPhone = await contactBy('phone', '+380501234567');
    const byCustomer = await contactBy('customer_id', 'AV13760');
    expect(byPhone.id).toBe(answer.contactId);
    expect(byCustomer.id).toBe(answer.contactId);
    expect(byPhone).toMatchObject({ phone: '+380501234567', customerId: 'AV13760' });
    expect(byPhone.orders).toEqual([
      expect.objectContaining({ orderId: '12345679', status: 'INITIALIZED', total: 258, currency: 'UAH' }),
    ]);
    expect(byPhone.recentEvents[0]).toMatchObject({
      eventId: answer.eventId,
      name: 'order_created',
      source: 'generate_event',
    });
    // The event is dated when the order was placed: the store-local date as an instant in UTC.
    expect((await h.get('/v1/customers/AV13760/recent-events')).json().recent_events).toEqual([
      { event_name: 'order_created', timestamp: '2020-05-14T04:41:00.000+00:00' },
    ]);

    const again = await send(fixture('seeds/003_order_created.json'));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1, status: 'duplicate', eventId: answer.eventId });
    expect((await contactBy('customer_id', 'AV13760')).recentEvents).toHaveLength(1);
  });

  it('uses an Idempotency-Key as the event id: same key is a duplicate, per store; a refused try can be retried', async () => {
    const first = body('orderCreated', complete('idem-1', 'idem-shopper'));
    const accepted = await send(first, { key: 'k-1' });
    expect(accepted.json()).toMatchObject({ status: 'accepted', eventId: expect.stringContaining('k-1') });
    const changed = body('orderCreated', complete('idem-1', 'idem-shopper', { totalCost: '999' }));
    expect((await send(changed, { key: 'k-1' })).json()).toMatchObject({ status: 'duplicate', duplicates: 1 });
    expect((await order('idem-1')).orderTotal).toBe(500);
    // The same body under a new key is a new event (its fields merge into the same order).
    expect((await send(first, { key: 'k-2' })).json()).toMatchObject({ status: 'accepted' });
    expect((await contactBy('customer_id', 'idem-shopper')).recentEvents).toHaveLength(2);
    const other = await h.newStore({ name: 'Idem Other' });
    expect((await send(first, { as: other, key: 'k-1' })).json()).toMatchObject({ status: 'accepted' });

    const refused = await send(body('orderCreated', complete('idem-2', 'idem-shopper', { date: 'soon' })), {
      key: 'k-3',
    });
    expectError(refused, 400, 'INVALID_TIMESTAMP');
    expect((await send(body('orderCreated', complete('idem-2', 'idem-shopper')), { key: 'k-3' })).json().status).toBe(
      'accepted',
    );
  });

  it('refuses an orderCreated missing any required param, names it, and stores nothing', async () => {
    const required = ['externalOrderId', 'totalCost', 'status', 'date', 'externalCustomerId'];
    for (const name of required) {
      const params = complete(`miss-${name}`, `miss-${name}-shopper`, { email: `miss-${name}@example.com` });
      delete params[name];
      if (name === 'externalCustomerId') delete params.email;
      const error = expectError(
        await send(body('orderCreated', params, `miss-${name}-key`)),
        400,
        'MISSING_REQUIRED_PARAMS',
      );
      expect(error.details.missing, name).toEqual([
        name === 'externalCustomerId' ? 'externalCustomerId|email|phone' : name,
      ]);
      expect(await order(`miss-${name}`), name).toBeNull();
      expect(await contactBy('customer_id', `miss-${name}-shopper`), name).toBeNull();
      expect(await contactBy('email', `miss-${name}@example.com`), name).toBeNull();
      expect(await contactBy('customer_id', `miss-${name}-key`), name).toBeNull();
    }
    const blank = complete('miss-blank', 'miss-blank-shopper', { totalCost: '', status: '   ', date: null });
    expect(
      expectError(await send(body('orderCreated', blank)), 400, 'MISSING_REQUIRED_PARAMS').details.missing,
    ).toEqual(['totalCost', 'status', 'date']);
    for (const type of ['orderUpdated', 'orderDelivered', 'orderCancelled']) {
      const error = expectError(
        await send(body(type, { externalCustomerId: 'miss-blank-shopper', status: 'DELIVERED' })),
        400,
        'MISSING_REQUIRED_PARAMS',
      );
      expect(error.details.missing, type).toEqual(['externalOrderId']);
    }
    expect(await contactBy('customer_id', 'miss-blank-shopper')).toBeNull();
    const bare = expectError(await send(body('orderCreated', { currency: 'INR' })), 400, 'MISSING_REQUIRED_PARAMS');
    expect(bare.details.missing).toEqual([
      'externalOrderId',
      'totalCost',
      'status',
      'date',
      'externalCustomerId|email|phone',
    ]);
  });

  it('checks every item: missing fields by name, items as a JSON string, nested values kept as data', async () => {
    const { url: _u, ...noUrl } = item('it-1b', 100);
    const { imageUrl: _i, name: _n, ...noImageNoName } = item('it-1c', 100);
    const error = expectError(
      await send(
        body(
          'orderCreated',
          complete('it-1', 'item-shopper', { totalCost: 300, items: [item('it-1a', 100), noUrl, noImageNoName] }),
        ),
      ),
      400,
      'MISSING_REQUIRED_PARAMS',
    );
    expect(error.details.missing).toEqual(['items[1].url', 'items[2].name', 'items[2].imageUrl']);
    expect(await order('it-1')).toBeNull();
    expect(await contactBy('customer_id', 'item-shopper')).toBeNull();

    const nested = { ...item('it-2a', 120, 2), size: { label: 'M', chest: [96, 100] }, tags: ['new', 'sale'] };
    const asString = await send(
      body('orderCreated', complete('it-2', 'item-shopper', { totalCost: '240', items: JSON.stringify([nested]) })),
    );
    expect(asString.json()).toMatchObject({ status: 'accepted', warnings: [] });
    const [line] = (await order('it-2')).items;
    expect(line).toMatchObject({
      itemID: 'it-2a',
      quantity: 2,
      customerPrice: 120,
      lineItemTotal: 240,
      size: { label: 'M', chest: [96, 100] },
      tags: ['new', 'sale'],
    });

    for (const items of ['[{"externalItemId": ', { externalItemId: 'x' }, ['not an object']]) {
      const bad = expectError(
        await send(body('orderCreated', complete('it-3', 'item-shopper', { items }))),
        400,
        'INVALID_PARAM',
      );
      expect(bad.details.param).toBe('items');
    }
    expect(await order('it-3')).toBeNull();
  });

  it('refuses a status or totalCost of the wrong kind with INVALID_PARAM and a bad date with INVALID_TIMESTAMP', async () => {
    const cases: [Params, string, string][] = [
      [{ status: 'SHIPPED' }, 'INVALID_PARAM', 'status'],
      [{ totalCost: 'free' }, 'INVALID_PARAM', 'totalCost'],
      [{ totalCost: '-5' }, 'INVALID_PARAM', 'totalCost'],
      [{ totalCost: true }, 'INVALID_PARAM', 'totalCost'],
      [{ date: '14/05/2020 10:11' }, 'INVALID_TIMESTAMP', 'date'],
      [{ date: '2020-02-30T10:11:00' }, 'INVALID_TIMESTAMP', 'date'],
    ];
    for (const [override, code, param] of cases) {
      const error = expectError(
        await send(body('orderCreated', complete('bad-1', 'bad-shopper', override))),
        400,
        code,
      );
      expect(error.details.param, JSON.stringify(override)).toBe(param);
    }
    expect(await order('bad-1')).toBeNull();
    expect(await contactBy('customer_id', 'bad-shopper')).toBeNull();
  });

  it('matches param names without case and takes the alternative identifier params', async () => {
    const shouting = {
      EXTERNALORDERID: 'case-1',
      TotalCost: '500',
      STATUS: 'in_progress',
      Date: '2026-11-20T18:30:00+05:30',
      CURRENCY: 'inr',
      ITEMS: [item('case-1a', 500)],
      EMAIL: 'Case.Shopper@Example.com',
      PaymentType: 'COD',
    };
    const res = await send(body('ORDERCREATED', shouting));
    expect(res.json()).toMatchObject({ status: 'accepted', warnings: [] });
    expect(await order('case-1')).toMatchObject({
      status: 'IN_PROGRESS',
      orderTotal: 500,
      currency: 'INR',
      orderDate: '2026-11-20 18:30:00',
      paymentType: 'COD',
      isCOD: 1,
    });
    expect((await contactBy('email', 'case.shopper@example.com')).id).toBe(res.json().contactId);

    const aliases: [string, string, 'customer_id' | 'email' | 'phone', string][] = [
      ['EmailAddress', 'Alias.Mail@Example.com', 'email', 'alias.mail@example.com'],
      ['PhoneNumber', '9711166382', 'phone', '+919711166382'],
      ['ContactKey', 'alias-key-7', 'customer_id', 'alias-key-7'],
      ['userEmail', 'user.mail@example.com', 'email', 'user.mail@example.com'],
      ['SMS', '+91 98100 12345', 'phone', '+919810012345'],
    ];
    for (const [name, value, kind, normalized] of aliases) {
      const { externalCustomerId: _c, ...params } = complete(`alias-${name}`, '');
      const sent = await send(body('orderCreated', { ...params, [name]: value }));
      expect(sent.json(), name).toMatchObject({ status: 'accepted' });
      const contact = await contactBy(kind, normalized);
      expect(contact?.id, name).toBe(sent.json().contactId);
      expect(
        contact.orders.map((o: { orderId: string }) => o.orderId),
        name,
      ).toEqual([`alias-${name}`]);
    }
  });

  it('files a custom event on the contact, keyed by keyValue when no identifier param is given', async () => {
    clock.set('2026-11-21T11:00:00Z');
    const visit = await send(body('pageVisit', { page: '/sale', referrer: { source: 'ad' } }, 'visitor-1'));
    expect(visit.json()).toMatchObject({ status: 'accepted', accepted: 1 });
    const contact = await contactBy('customer_id', 'visitor-1');
    expect(contact.id).toBe(visit.json().contactId);
    expect(contact.recentEvents).toEqual([
      expect.objectContaining({
        name: 'pageVisit',
        kind: 'activity',
        source: 'generate_event',
        data: { page: '/sale', referrer: { source: 'ad' } },
      }),
    ]);
    const recent = await h.get('/v1/customers/visitor-1/recent-events');
    expect(recent.json().recent_events).toEqual([
      { event_name: 'pageVisit', timestamp: '2026-11-21T11:00:00.000+00:00' },
    ]);

    expect((await send(body('wishlistAdded', { sku: 'w-1' }, 'Visitor.Two@Example.com'))).json().status).toBe(
      'accepted',
    );
    expect((await contactBy('email', 'visitor.two@example.com')).recentEvents[0].name).toBe('wishlistAdded');
    expect((await send(body('wishlistAdded', { sku: 'w-1' }, '9711100001'))).json().status).toBe('accepted');
    expect((await contactBy('phone', '+919711100001')).recentEvents[0].name).toBe('wishlistAdded');

    expectError(await send(body('pageVisit', { page: '/nobody' })), 400, 'NO_IDENTIFIER');
    expectError(await send(body('pageVisit', { page: '/nobody', email: '' }, '')), 400, 'NO_IDENTIFIER');
  });

  it('does not count keyValue as the identifier of an order', async () => {
    const { externalCustomerId: _c, ...params } = complete('kv-1', '');
    const error = expectError(
      await send(body('orderCreated', params, 'kv-shopper@example.com')),
      400,
      'MISSING_REQUIRED_PARAMS',
    );
    expect(error.details.missing).toEqual(['externalCustomerId|email|phone']);
    expect(await contactBy('email', 'kv-shopper@example.com')).toBeNull();
  });

  it('orderUpdated creates a complete missing order, refuses an incomplete one, and merges into an existing one', async () => {
    const created = await send(body('orderUpdated', complete('upd-1', 'upd-shopper')));
    expect(created.json()).toMatchObject({ status: 'accepted', orderId: 'upd-1' });
    expect(await order('upd-1')).toMatchObject({ status: 'INITIALIZED', orderTotal: 500 });

    const incomplete = expectError(
      await send(
        body('orderUpdated', { externalOrderId: 'upd-2', externalCustomerId: 'upd-2-shopper', status: 'IN_PROGRESS' }),
      ),
      400,
      'MISSING_REQUIRED_PARAMS',
    );
    expect(incomplete.details.missing).toEqual(['totalCost', 'date']);
    expect(await order('upd-2')).toBeNull();
    expect(await contactBy('customer_id', 'upd-2-shopper')).toBeNull();

    const merged = await send(
      body('orderUpdated', {
        externalOrderId: 'upd-1',
        status: 'IN_PROGRESS',
        totalCost: '700',
        items: [item('upd-1a', 350, 2)],
        trackingNote: 'packed',
      }),
    );
    expect(merged.json()).toMatchObject({ status: 'accepted', contactId: created.json().contactId, warnings: [] });
    expect(await order('upd-1')).toMatchObject({
      status: 'IN_PROGRESS',
      orderTotal: 700,
      subTotal: 700,
      currency: 'INR',
      orderDate: '2026-11-21 09:00:00',
      trackingNote: 'packed',
      items: [expect.objectContaining({ itemID: 'upd-1a', quantity: 2 })],
    });

    const backwards = await send(
      body('orderUpdated', { externalOrderId: 'upd-1', status: 'INITIALIZED', note: 'late' }),
    );
    expect(backwards.json().warnings.map((w: { code: string }) => w.code)).toEqual(['STATUS_NOT_CHANGED']);
    expect(await order('upd-1')).toMatchObject({ status: 'IN_PROGRESS', note: 'late' });
  });

  it('orderUpdated keeps the amounts in the currency of the order it updates', async () => {
    await send(
      body(
        'orderCreated',
        complete('yen-1', 'yen-shopper', { currency: 'JPY', totalCost: '1500', items: [item('yen-1a', 1500)] }),
      ),
    );
    expect(await order('yen-1')).toMatchObject({ currency: 'JPY', orderTotal: 1500 });
    const res = await send(
      body('orderUpdated', { externalOrderId: 'yen-1', totalCost: '1800', items: [item('yen-1a', 1800)] }),
    );
    expect(res.json()).toMatchObject({ status: 'accepted', warnings: [] });
    expect(await order('yen-1')).toMatchObject({ currency: 'JPY', orderTotal: 1800, subTotal: 1800 });
  });

  it('orderDelivered / orderCancelled move the status forward, and ignore an order that does not exist', async () => {
    const placed = await send(body('orderCreated', complete('st-1', 'status-shopper')));
    const delivered = await send(body('orderDelivered', { externalOrderId: 'st-1' }));
    expect(delivered.json()).toMatchObject({
      status: 'accepted',
      orderId: 'st-1',
      contactId: placed.json().contactId,
      warnings: [],
    });
    expect((await order('st-1')).status).toBe('DELIVERED');
    const cancelled = await send(body('orderCancelled', { externalOrderId: 'st-1' }));
    expect(cancelled.json()).toMatchObject({
      status: 'accepted',
      warnings: [expect.objectContaining({ code: 'STATUS_NOT_CHANGED' })],
    });
    expect((await order('st-1')).status).toBe('DELIVERED');
    expect(
      (await contactBy('customer_id', 'status-shopper')).recentEvents.map((e: { name: string }) => e.name),
    ).toEqual(['order_cancelled', 'order_delivered', 'order_created']);

    await send(body('orderCreated', complete('st-2', 'status-shopper')));
    expect((await send(body('ordercancelled', { externalOrderId: 'st-2' }))).json().status).toBe('accepted');
    expect((await order('st-2')).status).toBe('CANCELLED');

    for (const type of ['orderDelivered', 'orderCancelled']) {
      const ghost = body(type, { externalOrderId: 'st-ghost', externalCustomerId: 'ghost-shopper' });
      const res = await send(ghost);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ accepted: 0, status: 'ignored', reason: { code: 'ORDER_NOT_FOUND' } });
      expect(await order('st-ghost')).toBeNull();
      expect(await contactBy('customer_id', 'ghost-shopper')).toBeNull();
    }
    // An ignored event is not remembered: once the order exists the same request applies.
    await send(body('orderCreated', complete('st-ghost', 'ghost-shopper')));
    expect(
      (await send(body('orderDelivered', { externalOrderId: 'st-ghost', externalCustomerId: 'ghost-shopper' }))).json()
        .status,
    ).toBe('accepted');
    expect((await order('st-ghost')).status).toBe('DELIVERED');
  });

  it('refuses a mismatched total when the store setting says so, storing nothing', async () => {
    const strict = await h.newStore({ name: 'Strict Shop' });
    const set = await h.call('PATCH', '/v1/store/settings', { rejectOrderTotalMismatch: true }, { as: strict });
    expect(set.statusCode, set.body).toBe(200);
    const error = expectError(
      await send(body('orderCreated', complete('strict-1', 'strict-shopper', { totalCost: '499' })), { as: strict }),
      400,
      'ORDER_TOTAL_MISMATCH',
    );
    expect(error.message).toContain('499');
    expect(await order('strict-1', strict)).toBeNull();
    expect(await contactBy('customer_id', 'strict-shopper', strict)).toBeNull();
    expect(
      (await send(body('orderCreated', complete('strict-1', 'strict-shopper')), { as: strict })).json(),
    ).toMatchObject({ status: 'accepted', warnings: [] });
    // An update that would break the sum is refused too, and the order stays as it was.
    expectError(
      await send(body('orderUpdated', { externalOrderId: 'strict-1', totalCost: '450', status: 'IN_PROGRESS' }), {
        as: strict,
      }),
      400,
      'ORDER_TOTAL_MISMATCH',
    );
    expect(await order('strict-1', strict)).toMatchObject({ orderTotal: 500, status: 'INITIALIZED' });
    // The setting is the strict store's own: the harness store still keeps a mismatched order.
    expect(
      (await send(body('orderCreated', complete('strict-1', 'strict-shopper', { totalCost: '499' })))).json().warnings,
    ).toEqual([expect.objectContaining({ code: 'ORDER_TOTAL_MISMATCH' })]);
  });

  it("turns the shopper's active cart into converted when an order is placed, but not for an abandoned cart order", async () => {
    for (const [suffix, status, expected] of [
      ['a', 'INITIALIZED', 'converted'],
      ['b', 'ABANDONED_SHOPPING_CART', 'active'],
    ] as const) {
      const customer = {
        customer_id: `cart-shopper-${suffix}`,
        phone: `+91987650000${suffix === 'a' ? 1 : 2}`,
        email: `cart-${suffix}@example.com`,
      };
      const cart = seedEvent('add_to_cart', {
        event_id: `ge-cart-${suffix}`,
        customer,
        timestamp: '2026-11-20T10:00:00Z',
      });
      expect((await h.post('/v1/events', cart)).json()).toMatchObject({ accepted: 1 });
      expect((await contactBy('customer_id', customer.customer_id)).cart.status).toBe('active');
      const placed = await send(
        body(
          'orderCreated',
          complete(`cart-order-${suffix}`, '', { externalCustomerId: undefined, phone: customer.phone, status }),
        ),
      );
      expect(placed.json().status).toBe('accepted');
      const contact = await contactBy('customer_id', customer.customer_id);
      expect(contact.id).toBe(placed.json().contactId);
      expect(contact.cart.status).toBe(expected);
    }
  });

  it('keeps another store out of the order, and lets it have its own order with the same id', async () => {
    await send(body('orderCreated', complete('shared-1', 'mine-shopper')));
    const other = await h.newStore({ name: 'Other Order Shop' });
    const res = await h.get('/v1/orders/shared-1', other);
    expectError(res, 404, 'ORDER_NOT_FOUND');
    expect(res.body).not.toContain('mine-shopper');
    expect((await send(body('orderDelivered', { externalOrderId: 'shared-1' }), { as: other })).json().status).toBe(
      'ignored',
    );
    expect((await order('shared-1')).status).toBe('INITIALIZED');
    expect(
      (
        await send(body('orderCreated', complete('shared-1', 'theirs-shopper', { totalCost: '600', items: [] })), {
          as: other,
        })
      ).json().status,
    ).toBe('accepted');
    expect((await order('shared-1', other)).orderTotal).toBe(600);
    expect((await order('shared-1')).orderTotal).toBe(500);
  });

  it('refuses bad requests with clear codes', async () => {
    expectError(await send({ params: [] }), 400, 'VALIDATION_FAILED');
    expectError(
      await send({ eventTypeKey: 'orderCreated', params: { externalOrderId: '1' } }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(await h.call('POST', '/v1/generate-event', '{"eventTypeKey":'), 400, 'INVALID_JSON');
    expectError(
      await h.call('POST', '/v1/generate-event', body('pageVisit', {}, 'x'), { as: null }),
      401,
      'UNAUTHORIZED',
    );
  });
});

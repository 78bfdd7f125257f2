import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

describeEachDatabase('seed 001 events', (target) => {
  const h = useHarness(target);

  const contactByCustomer = async (customerId: string) => {
    const found = await h.get(`/v1/contacts?customer_id=${encodeURIComponent(customerId)}`);
    expect(found.statusCode).toBe(200);
    const [summary] = found.json().contacts;
    if (!summary) return null;
    return (await h.get(`/v1/contacts/${summary.id}`)).json();
  };

  it('accepts the four seed examples verbatim; they share one event_id, so three are duplicates', async () => {
    const examples = ['add_to_cart', 'remove_from_cart', 'product_view', 'collection_view'].map((n) =>
      fixture(`seeds/001_${n}.json`),
    );
    const res = await h.post('/v1/events', examples);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 3, rejected: [], warnings: [] });
    const again = await h.post('/v1/events', examples[0]);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('keeps the cart as the latest cart_update says, and the products it names', async () => {
    const customer = {
      customer_id: 'cart-shopper',
      email: 'Cart@Example.com',
      phone: '+919876500001',
      name: 'Cart Shopper',
    };
    const add = seedEvent('add_to_cart', {
      event_id: 'cart-1',
      customer,
      timestamp: '2024-10-08T06:30:00+00:00',
      sub_event_name: 'add_to_cart',
    });
    const remove = seedEvent('remove_from_cart', {
      event_id: 'cart-2',
      customer,
      timestamp: '2024-10-08T06:40:00+00:00',
      event_data: { ...seedEvent('remove_from_cart').event_data, line_items: [], empty_cart: true },
    });
    expect((await h.post('/v1/events', { events: [add] })).json()).toMatchObject({ accepted: 1 });
    let contact = await contactByCustomer('cart-shopper');
    expect(contact.email).toBe('cart@example.com');
    expect(contact.cart).toMatchObject({
      status: 'active',
      total: 600,
      currency: 'INR',
      cartLink: 'https://store.com/cart/3284672934',
    });
    expect(contact.cart.lines).toEqual([
      expect.objectContaining({
        productId: '8498962518296',
        variantId: '45471627190248',
        title: 'Denim Shirt - Blue',
        quantity: 1,
        linePrice: 600,
      }),
    ]);

    expect((await h.post('/v1/events', remove)).json()).toMatchObject({ accepted: 1 });
    contact = await contactByCustomer('cart-shopper');
    expect(contact.cart.status).toBe('empty');
    expect(contact.cart.lines).toEqual([]);
    // The seed's "add_to_cart | remove_from_cart" placeholder is read from the item lists.
    expect(contact.recentEvents.map((e: { subName: string }) => e.subName)).toEqual([
      'remove_from_cart',
      'add_to_cart',
    ]);

    // An older cart event arriving late is recorded but does not roll the cart back.
    const late = await h.post('/v1/events', { ...add, event_id: 'cart-0', timestamp: '2024-10-08T06:00:00+00:00' });
    expect(late.json()).toMatchObject({ accepted: 1, warnings: [{ index: 0, code: 'CART_NOT_CHANGED' }] });
    expect((await contactByCustomer('cart-shopper')).cart.status).toBe('empty');
  });

  it('judges a batch event by event and stores the valid ones', async () => {
    const good = seedEvent('product_view', { event_id: 'batch-ok', customer: { customer_id: 'batch-shopper' } });
    const noCustomer = seedEvent('product_view', { event_id: 'batch-bad-1', customer: {} });
    const badEmail = seedEvent('product_view', { event_id: 'batch-bad-2', customer: { email: 'not-an-email' } });
    const badField = seedEvent('product_view', {
      event_id: 'batch-bad-3',
      customer: { customer_id: 'x' },
      event_data: { product_id: { nested: true } },
    });
    const res = await h.post('/v1/events', [noCustomer, good, badEmail, badField]);
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(
      body.rejected.map((r: { index: number; error: { code: string; path: string } }) => [
        r.index,
        r.error.code,
        r.error.path,
      ]),
    ).toEqual([
      [0, 'NO_IDENTIFIER', '/customer'],
      [2, 'INVALID_EMAIL', '/customer/email'],
      [3, 'VALIDATION_FAILED', '/event_data/product_id'],
    ]);
    expect(await contactByCustomer('x')).toBeNull();
  });

  it('answers a lone invalid event with 400 and the field path, and an all-invalid batch with INVALID_EVENTS', async () => {
    const lone = await h.post('/v1/events', {
      event_id: 'e',
      event_name: 'product_view',
      timestamp: 12,
      customer: { customer_id: 1 },
    });
    expect(lone.statusCode).toBe(400);
    expect(lone.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { path: '/event_data' } });
    const missing = await h.post('/v1/events', {
      event_name: 'x',
      timestamp: '2024-10-08T06:30:35Z',
      customer: { customer_id: 'a' },
    });
    expect(missing.json().error.message).toContain('event_id');
    const all = await h.post('/v1/events', [{}, { event_id: 'y' }]);
    expect(all.statusCode).toBe(400);
    expect(all.json().error.code).toBe('INVALID_EVENTS');
    expect(all.json().error.details.rejected).toHaveLength(2);
  });

  it('refuses bad requests with clear codes and never a 500', async () => {
    const cases: [unknown, number, string][] = [
      ['{not json', 400, 'INVALID_JSON'],
      ['[]', 400, 'EMPTY_BATCH'],
      ['"a string"', 400, 'VALIDATION_FAILED'],
      [
        JSON.stringify([
          seedEvent('product_view', {
            event_id: 'big',
            customer: { customer_id: 'big' },
            event_data: { product_id: 1, title: 'x'.repeat(1_100_000) },
          }),
        ]),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await h.call('POST', '/v1/events', body as string);
      expect(res.statusCode, String(body).slice(0, 40)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    const noKey = await h.call('POST', '/v1/events', seedEvent('product_view'), { as: null });
    expect([noKey.statusCode, noKey.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    const wrongKey = await h.call('POST', '/v1/events', seedEvent('product_view'), {
      as: null,
      headers: { authorization: 'Bearer sw_key_wrong' },
    });
    expect([wrongKey.statusCode, wrongKey.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it("takes events at the store's ingest URL without a key, and refuses an unknown token", async () => {
    const event = seedEvent('collection_view', { event_id: 'via-url', customer: { customer_id: 'url-shopper' } });
    const res = await h.call('POST', `/v1/ingest/${h.shop.ingestToken}/events`, event, { as: null });
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(1);
    expect((await contactByCustomer('url-shopper')).recentEvents[0]).toMatchObject({
      eventId: 'via-url',
      name: 'collection_view',
    });
    const unknown = await h.call('POST', '/v1/ingest/sw_ing_nope/events', event, { as: null });
    expect(unknown.statusCode).toBe(401);
  });

  it('stores checkout_started and custom events on the contact', async () => {
    const customer = { customer_id: 'custom-shopper' };
    const res = await h.post('/v1/events', [
      {
        event_id: 'co-1',
        event_name: 'checkout_started',
        timestamp: '2024-10-09T06:30:35Z',
        customer,
        event_data: { checkout_url: 'https://s/c' },
      },
      {
        event_id: 'wl-1',
        event_name: 'wishlist_added',
        timestamp: '2024-10-09T06:31:35Z',
        customer,
        event_data: { product_id: 9 },
      },
    ]);
    expect(res.json()).toMatchObject({ accepted: 2 });
    const contact = await contactByCustomer('custom-shopper');
    expect(contact.recentEvents.map((e: { name: string }) => e.name)).toEqual(['wishlist_added', 'checkout_started']);
    expect(contact.recentEvents[0].data).toEqual({ product_id: 9 });
  });

  it('keeps another store out: the same event id is its own there, and contacts are not shared', async () => {
    const other = await h.newStore({ name: 'Other Shop' });
    const event = seedEvent('product_view', { event_id: 'shared-id', customer: { customer_id: 'shared-shopper' } });
    expect((await h.post('/v1/events', event)).json().accepted).toBe(1);
    expect((await h.post('/v1/events', event, other)).json().accepted).toBe(1);
    const mine = (await h.get('/v1/contacts?customer_id=shared-shopper')).json().contacts[0];
    const theirs = await h.get(`/v1/contacts/${mine.id}`, other);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().error.code).toBe('CONTACT_NOT_FOUND');
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

/** The catalog kept from the products that events mention, for later messages to use. */
describeEachDatabase('product catalog', (target) => {
  const h = useHarness(target);
  const product = async (id: string, variant?: string) => {
    const res = await h.get(`/v1/products/${id}${variant ? `?variant_id=${variant}` : ''}`);
    return { status: res.statusCode, body: res.json() };
  };

  it("keeps seed 001's product view, with its price in the view's currency", async () => {
    expect(
      (await h.post('/v1/events', seedEvent('product_view', { event_id: 'p-1', customer: { customer_id: 'cat-1' } })))
        .statusCode,
    ).toBe(202);
    expect(await product('8498962518296', '45471627190248')).toEqual({
      status: 200,
      body: {
        productId: '8498962518296',
        variantId: '45471627190248',
        title: 'Denim Shirt - Blue',
        price: 600,
        currency: 'INR',
        url: 'https://sample.com/8498962518296',
        imageUrl: 'https://sample.com/test.jpg',
        seenAt: '2024-10-08T06:30:35.858Z',
      },
    });
  });

  it('takes newer sightings, lets a sighting without a field keep the one an earlier gave, and ignores older ones', async () => {
    const view = (eventId: string, timestamp: string, data: Record<string, unknown>) =>
      h.post('/v1/events', {
        event_id: eventId,
        event_name: 'product_view',
        timestamp,
        customer: { customer_id: 'cat-2' },
        event_data: { product_id: 'P-77', ...data },
      });
    await view('v-1', '2024-10-01T00:00:00Z', {
      title: 'Kurta',
      price: 999,
      currency: 'INR',
      product_url: 'https://s/p/77',
      image_url: 'https://s/77.jpg',
    });
    await view('v-2', '2024-10-02T00:00:00Z', { title: 'Kurta (new season)', price: 899, currency: 'INR' });
    await view('v-0', '2024-09-01T00:00:00Z', {
      title: 'Kurta (old name)',
      price: 1299,
      currency: 'INR',
      product_url: 'https://s/old',
    });
    const { body } = await product('P-77');
    expect(body).toMatchObject({
      title: 'Kurta (new season)',
      price: 899,
      url: 'https://s/p/77',
      imageUrl: 'https://s/77.jpg',
      seenAt: '2024-10-02T00:00:00.000Z',
    });
    // A collection view names the collection's URL, which is not the product's.
    await h.post('/v1/events', {
      event_id: 'c-1',
      event_name: 'collection_view',
      timestamp: '2024-10-03T00:00:00Z',
      customer: { customer_id: 'cat-2' },
      event_data: { product_id: 'P-77', title: 'Kurta', collection_url: 'https://s/c/summer' },
    });
    expect((await product('P-77')).body).toMatchObject({ title: 'Kurta', url: 'https://s/p/77' });
  });

  it("learns products from cart lines (unit priced) and order items (named, but an item's cost is not the catalog price)", async () => {
    const add = seedEvent('add_to_cart', { event_id: 'cart-cat', customer: { customer_id: 'cat-3' } });
    add.event_data.line_items[0].quantity = 2;
    add.event_data.line_items[0].line_price = '1200.00';
    await h.post('/v1/events', add);
    expect((await product('8498962518296', '45471627190248')).body.price).toBe(600);
    expect((await h.post('/v1/generate-event', fixture('seeds/003_order_created.json'))).statusCode).toBe(200);
    expect((await product('200600')).body).toMatchObject({
      title: 'Super Device',
      price: null,
      currency: null,
      url: 'http://example.com/item/200600',
    });
  });

  it("answers PRODUCT_NOT_FOUND for an unknown product, variant, or another store's product", async () => {
    expect(await product('nope')).toMatchObject({ status: 404, body: { error: { code: 'PRODUCT_NOT_FOUND' } } });
    expect((await product('8498962518296', '1')).status).toBe(404);
    const other = await h.newStore({ name: 'Other' });
    const res = await h.get('/v1/products/8498962518296?variant_id=45471627190248', other);
    expect(res.statusCode).toBe(404);
  });
});

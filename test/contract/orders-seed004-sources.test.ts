import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { segmentPost, track } from '../support/segment.js';
import { connectShop, deliver, fixtureText } from '../support/shopify.js';

type Json = Record<string, any>;
const seed: Json = fixture('seeds/004_order_read_response.json');

/** The JSON type a client sees. */
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * An order read (seed 004's GET /v1/orders/{id}) reads alike whatever the order came from:
 * Shopify and Segment orders fill seed 004's names where they carry the same fact.
 */
describeEachDatabase('orders from Shopify and Segment in seed 004 names', (target) => {
  const h = useHarness(target);
  beforeAll(() => connectShop(h));

  /** The seed-004 order and item keys the answer has, each with the seed's JSON type. */
  const expectSeedTypes = (order: Json, orderKeys: string[], itemKeys: string[]) => {
    for (const key of orderKeys) expect([key, kind(order[key])]).toEqual([key, kind(seed[key])]);
    for (const item of order.items)
      for (const key of itemKeys) expect([key, kind(item[key])]).toEqual([key, kind(seed.items[0][key])]);
  };

  it("Shopify's orders/create sample: taxAmount, shipMethod and balanceDue on the order; sku, discount and taxAmount on each item", async () => {
    // Shopify's bytes as they are: its 18-digit ids must survive exactly.
    const res = await deliver(h, { topic: 'orders/create', body: fixtureText('shopify/orders_create.sample.json') });
    expect(res.json()).toMatchObject({ accepted: 1 });
    const order = (await h.get('/v1/orders/820982911946154508')).json();
    expect(order).toMatchObject({ taxAmount: 0, shipMethod: 'Generic Shipping', balanceDue: 414.95 });
    expect(order.items.map((i: Json) => [i.sku, i.discount, i.taxAmount])).toEqual([
      ['SKU2006-001', 0, 0],
      ['LENS-PROTECT-2YR', 0, 0],
      ['CASE-LEATHER-PREM', 0, 0],
      ['SKU2006-020', 0, 0],
      ['SKU2006-035', 0, 0],
    ]);
    expectSeedTypes(order, ['taxAmount', 'shipMethod', 'balanceDue'], ['sku', 'discount', 'taxAmount']);
  });

  it('a Shopify line with a discount and taxes: the discount is a deduction (negative), as seed 004 writes it', async () => {
    const body = {
      ...fixture('shopify/orders_create.sample.json'),
      id: 4242,
      total_tax: '108.00',
      total_outstanding: '0.00',
      currency: 'INR',
      shipping_lines: [
        { title: 'Express', code: 'EXP', price: '99.00', is_removed: false },
        { title: 'Standard', price: '0.00', is_removed: true },
      ],
      line_items: [
        {
          id: 42421,
          product_id: 1,
          title: 'Denim Shirt',
          quantity: 2,
          price: '600.00',
          sku: 'DS-1',
          total_discount: '0.00',
          discount_allocations: [{ amount: '100.00' }, { amount: '20.50' }],
          tax_lines: [
            { title: 'CGST', price: '54.00', rate: 0.09 },
            { title: 'SGST', price: '54.00', rate: 0.09 },
          ],
        },
      ],
    };
    expect((await deliver(h, { topic: 'orders/create', body })).json()).toMatchObject({ accepted: 1 });
    const order = (await h.get('/v1/orders/4242')).json();
    expect(order).toMatchObject({ taxAmount: 108, shipMethod: 'Express', balanceDue: 0 });
    expect(order.items[0]).toMatchObject({ sku: 'DS-1', discount: -120.5, taxAmount: 108 });
  });

  it('Segment Order Completed: tax, shipping_method, balance_due, invoice_url and each product’s sku and discount', async () => {
    const res = await segmentPost(h, '/v1/batch', {
      batch: [
        track(
          'Order Completed',
          {
            order_id: 'SEG-44212809',
            total: 1000,
            tax: 0,
            shipping: 0,
            shipping_method: 'STD',
            balance_due: 1000,
            invoice_url: seed.items[0].invoiceUrl,
            currency: 'INR',
            products: [
              {
                product_id: 'SK101',
                sku: '01FIJ3FOD5U',
                name: 'Roasted Makhanas',
                price: 500,
                quantity: 2,
                discount: 350,
              },
            ],
          },
          { userId: 'mituj-seg', context: { traits: { email: 'mituj@eshopbox.com' } } },
        ),
      ],
    });
    expect(res.json()).toMatchObject({ accepted: 1 });
    const order = (await h.get('/v1/orders/SEG-44212809')).json();
    expect(order).toMatchObject({ taxAmount: 0, shipMethod: 'STD', balanceDue: 1000, tax: 0 });
    expect(order.items[0]).toMatchObject({
      sku: '01FIJ3FOD5U',
      discount: -350,
      invoiceUrl: seed.items[0].invoiceUrl,
    });
    expectSeedTypes(order, ['taxAmount', 'shipMethod', 'balanceDue'], ['sku', 'discount', 'invoiceUrl']);
  });
});

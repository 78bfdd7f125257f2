import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtInTemplates, renderFromParams } from './messenger.js';
import type { RenderResult } from './result.js';

const fixture = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8'));

/** Seed 002's two send_template examples, params as the seed gives them. */
const seedReceipt = () => ({
  receipt: {
    recipient_name: 'John Doe',
    order_number: 'U5555',
    currency: 'USD',
    payment_method: 'Visa 2345',
    order_url: 'https://storage.googleapis.com/assets.bothub.ai/bothub/templates/classic_white_shirt.jpg',
    timestamp: 1523619550,
    address: {
      street_1: 'UNICEF 125 Maiden Lane',
      street_2: '11th Floor',
      city: 'New York',
      postal_code: '10038',
      state: 'NY',
      country: 'US',
    },
    summary: { subtotal: 138.4, shipping_cost: 0, total_tax: 0, total_cost: 138.4 },
    adjustments: [],
    elements: [
      {
        title: 'Classic White Shirts',
        subtitle: '100% Soft and Luxurious Cotton',
        quantity: 2,
        price: 11.99,
        currency: 'USD',
        image_url: 'https://storage.googleapis.com/assets.bothub.ai/bothub/templates/classic_white_shirt.jpg',
      },
      {
        title: 'Floral Belted Romper',
        subtitle: 'Casual romper featuring striped pattern',
        quantity: 2,
        price: 13.89,
        currency: 'USD',
        image_url: 'https://storage.googleapis.com/assets.bothub.ai/bothub/templates/floral_belted_romper.jpg',
      },
    ],
  },
});
const seedShipping = () => ({
  package_number: 'zvfVUREPVPUQ1oMl',
  package_status_description: 'Status: enroute by UPS \n Exp. Delivery: 03, Jan, 2018',
  image_url: 'https://unsplash.it/120/120/?random',
  detailed_tracking_url: 'http://shop.bothub.ai',
  fb_first_name: 'Peter',
  package_status: 'shipped',
});

function ok(result: RenderResult) {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result;
}
function error(result: RenderResult) {
  if (result.ok) throw new Error('rendered');
  return result.error;
}

describe('Order Receipt Push', () => {
  it("builds Meta's receipt request (fixture) from params.receipt, tagged POST_PURCHASE_UPDATE", () => {
    const request = fixture('messenger/messenger_send_receipt_template_request.json');
    const { template_type: _type, ...receipt } = request.message.attachment.payload;
    const result = ok(renderFromParams('Order Receipt Push', { receipt }));
    expect(result.payload).toEqual({
      messaging_type: 'MESSAGE_TAG',
      tag: 'POST_PURCHASE_UPDATE',
      message: request.message,
    });
    expect(result).toMatchObject({ channel: 'messenger', kind: 'receipt', category: 'utility' });
    expect(result.preview).toEqual({
      header: { format: 'text', text: 'Order 12345678902' },
      body: 'Receipt for Stephane Crozatier\nClassic White T-Shirt × 2: 50 USD\nClassic Gray T-Shirt × 1: 25 USD\nTotal: 56.14 USD',
      footer: 'Paid with Visa 2345',
      buttons: [],
    });
  });

  it("takes seed 002's example, numbers given as text too", () => {
    const params = seedReceipt();
    (params.receipt.summary as Record<string, unknown>).total_cost = '138.40';
    const payload = ok(renderFromParams('Order Receipt Push', params)).payload as any;
    expect(payload.message.attachment.payload).toMatchObject({
      template_type: 'receipt',
      recipient_name: 'John Doe',
      order_number: 'U5555',
      timestamp: 1523619550,
      adjustments: [],
      summary: { subtotal: 138.4, shipping_cost: 0, total_tax: 0, total_cost: 138.4 },
    });
    expect(payload.message.attachment.payload.elements).toHaveLength(2);
  });

  it('names the first missing or malformed receipt field by its path', () => {
    const without = (mutate: (r: any) => void) => {
      const params = seedReceipt() as any;
      mutate(params.receipt);
      return error(renderFromParams('Order Receipt Push', params));
    };
    expect(error(renderFromParams('Order Receipt Push', {}))).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt',
    });
    expect(error(renderFromParams('Order Receipt Push', { receipt: 'yes' }))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt',
    });
    expect(without((r) => delete r.recipient_name)).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.recipient_name',
    });
    expect(without((r) => (r.order_number = ''))).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.order_number',
    });
    expect(without((r) => (r.currency = 'dollars'))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt.currency',
    });
    expect(without((r) => delete r.payment_method)).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.payment_method',
    });
    expect(without((r) => delete r.summary.total_cost)).toEqual({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.summary.total_cost',
      message: 'receipt.summary.total_cost is required',
    });
    expect(without((r) => (r.summary.total_cost = 'free'))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt.summary.total_cost',
    });
    expect(without((r) => delete r.elements[1].title)).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.elements[1].title',
    });
    expect(without((r) => (r.elements[0].price = '11,99'))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt.elements[0].price',
    });
    expect(without((r) => (r.elements[0].image_url = 'not a url'))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt.elements[0].image_url',
    });
    expect(without((r) => delete r.address.city)).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'receipt.address.city',
    });
    expect(without((r) => (r.timestamp = 'yesterday'))).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'receipt.timestamp',
    });
  });

  it('reads a receipt sent as a JSON string', () => {
    const result = ok(renderFromParams('Order Receipt Push', { receipt: JSON.stringify(seedReceipt().receipt) }));
    expect((result.payload as any).message.attachment.payload.order_number).toBe('U5555');
  });
});

describe('Shipping Status Update Push', () => {
  it("builds a generic template from seed 002's params: title, status, image and a Track package button", () => {
    const result = ok(renderFromParams('Shipping Status Update Push', seedShipping()));
    expect(result.payload).toEqual({
      messaging_type: 'MESSAGE_TAG',
      tag: 'POST_PURCHASE_UPDATE',
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'generic',
            elements: [
              {
                title: 'Hi Peter, package zvfVUREPVPUQ1oMl is shipped',
                subtitle: 'Status: enroute by UPS \n Exp. Delivery: 03, Jan, 2018',
                image_url: 'https://unsplash.it/120/120/?random',
                default_action: { type: 'web_url', url: 'http://shop.bothub.ai' },
                buttons: [{ type: 'web_url', url: 'http://shop.bothub.ai', title: 'Track package' }],
              },
            ],
          },
        },
      },
    });
    expect(result).toMatchObject({
      kind: 'shipping_update',
      category: 'utility',
      preview: { buttons: [{ type: 'url', text: 'Track package', url: 'http://shop.bothub.ai' }] },
    });
  });

  it('needs the package number, status and tracking URL; the rest is optional', () => {
    const { fb_first_name: _n, image_url: _i, package_status_description: _d, ...minimal } = seedShipping();
    const element = (ok(renderFromParams('Shipping Status Update Push', minimal)).payload as any).message.attachment
      .payload.elements[0];
    expect(element).toEqual({
      title: 'Package zvfVUREPVPUQ1oMl is shipped',
      default_action: { type: 'web_url', url: 'http://shop.bothub.ai' },
      buttons: [{ type: 'web_url', url: 'http://shop.bothub.ai', title: 'Track package' }],
    });
    const { detailed_tracking_url: _t, ...noUrl } = seedShipping();
    expect(error(renderFromParams('Shipping Status Update Push', noUrl))).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'detailed_tracking_url',
    });
    expect(
      error(renderFromParams('Shipping Status Update Push', { ...seedShipping(), package_number: null })),
    ).toMatchObject({ code: 'MISSING_PARAMETER', parameter: 'package_number' });
    expect(
      error(renderFromParams('Shipping Status Update Push', { ...seedShipping(), image_url: 'javascript:alert(1)' })),
    ).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'image_url' });
    expect(
      error(renderFromParams('Shipping Status Update Push', { ...seedShipping(), package_status: { code: 1 } })),
    ).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'package_status' });
  });

  it("clips a description longer than Messenger's 80 characters, and follows a store's tag and button title", () => {
    const long = 'x'.repeat(100);
    const result = ok(
      renderFromParams(
        {
          channel: 'messenger',
          type: 'shipping_update',
          category: 'utility',
          tag: 'CONFIRMED_EVENT_UPDATE',
          buttonTitle: 'Where is it?',
        },
        { ...seedShipping(), package_status_description: long },
      ),
    );
    const payload = result.payload as any;
    expect(payload.tag).toBe('CONFIRMED_EVENT_UPDATE');
    expect(payload.message.attachment.payload.elements[0].subtitle).toBe(`${'x'.repeat(79)}…`);
    expect(payload.message.attachment.payload.elements[0].buttons[0].title).toBe('Where is it?');
  });
});

describe('builtInTemplates', () => {
  it("lists seed 002's two templates, and refuses a name that is not one", () => {
    expect(builtInTemplates.map((t) => [t.name, t.definition.type])).toEqual([
      ['Order Receipt Push', 'receipt'],
      ['Shipping Status Update Push', 'shipping_update'],
    ]);
    expect(() => renderFromParams('Order Receipt', {})).toThrow(TypeError);
  });
});

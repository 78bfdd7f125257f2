import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CartRecord, ContactRecord, EventRecord, OrderRecord } from '../../domain/records.js';
import { mergeData, type MergeInput } from './merge-data.js';
import { renderTemplate } from './render.js';
import type { RenderResult } from './result.js';
import type { TemplateDefinition } from './schema.js';
import { validateTemplate } from './validate.js';

const fixture = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8'));

const store = { id: 'st_1', name: 'Denim Co', timeZone: 'Asia/Kolkata' };
const contact = (overrides: Partial<ContactRecord> = {}): ContactRecord => ({
  id: 'ct_1',
  customerId: 'cust-9',
  email: 'jessica@example.com',
  phone: '+16505551234',
  name: 'Jessica Laverdetman',
  attributes: { tier: 'gold' },
  whatsappStatus: 'ACTIVE',
  whatsappStatusSource: 'checkout',
  whatsappStatusAt: 0,
  createdAt: 0,
  updatedAt: 0,
  whatsappInboundAt: null,
  messengerInboundAt: null,
  whatsappProfileName: null,
  messengerStatus: null,
  messengerStatusSource: null,
  messengerStatusAt: null,
  ...overrides,
});
const item = (id: string, name: string, costMinor: number, quantity = 1) => ({
  externalItemId: id,
  name,
  quantity,
  costMinor,
  url: `https://shop.example/p/${id}`,
  imageUrl: `https://cdn.shop.example/${id}.jpg`,
  extra: { sku: `SKU-${id}` },
});
const order = (overrides: Partial<OrderRecord['state']> = {}): OrderRecord => ({
  orderId: 'SKBUP2-4CPIG9',
  contactId: 'ct_1',
  source: 'generate_event',
  createdAt: 0,
  updatedAt: 0,
  state: {
    status: 'INITIALIZED',
    totalMinor: 129_900,
    currency: 'INR',
    orderedAt: Date.parse('2026-11-21T04:30:00Z'),
    items: [item('shirt', 'Denim Shirt', 60_000), item('jeans', 'Slim Jeans', 34_950, 2)],
    attributes: { paymentType: 'COD' },
    ...overrides,
  },
});
const cart: CartRecord = {
  contactId: 'ct_1',
  status: 'active',
  totalMinor: 60_000,
  currency: 'INR',
  cartLink: 'https://shop.example/cart/abc123',
  recentProductImage: 'https://cdn.shop.example/shirt.jpg',
  updatedAt: 0,
  lastEventId: 'e1',
  createdAt: 0,
  lines: [
    {
      productId: 'shirt',
      variantId: 'blue-m',
      title: 'Denim Shirt',
      quantity: 1,
      linePriceMinor: 60_000,
      url: 'https://shop.example/p/shirt',
      imageUrl: 'https://cdn.shop.example/shirt.jpg',
    },
  ],
};
const event: EventRecord = {
  eventId: 'ev_1',
  contactId: 'ct_1',
  name: 'cart_update',
  subName: 'add_to_cart',
  kind: 'activity',
  source: 'native',
  occurredAt: Date.parse('2026-11-21T04:00:00Z'),
  timestamp: '2026-11-21T04:00:00+00:00',
  receivedAt: 0,
  data: { cart_link: 'https://shop.example/cart/abc123' },
};
const data = (input: Partial<MergeInput> = {}) =>
  mergeData({ contact: contact(), order: order(), cart, event, store, ...input });

/** Renders a definition after checking it is one validate accepts, as the API would. */
async function render(
  definition: unknown,
  input: Partial<MergeInput> = {},
  name = 'a_template',
): Promise<RenderResult> {
  const checked = validateTemplate(definition);
  if (!checked.ok) throw new Error(`invalid template: ${JSON.stringify(checked.problems)}`);
  return renderTemplate(checked.template, name, data(input));
}
async function rendered(definition: unknown, input: Partial<MergeInput> = {}, name = 'a_template') {
  const result = await render(definition, input, name);
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return result;
}
async function failure(definition: unknown, input: Partial<MergeInput> = {}) {
  const result = await render(definition, input);
  if (result.ok) throw new Error('rendered');
  return result.error;
}

const orderConfirmation = {
  channel: 'whatsapp',
  language: 'en_US',
  category: 'utility',
  body: { text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
  parameters: { first_name: '{{ contact.first_name }}', order_number: '{{ order.id }}' },
};

describe('renderTemplate: WhatsApp request bodies', () => {
  it("reproduces Meta's named-parameter request (fixture) without the recipient", async () => {
    const { to: _to, ...expected } = fixture('whatsapp/send_template_named_params_request.json');
    const result = await rendered(orderConfirmation, {}, 'order_confirmation');
    expect(result.payload).toEqual(expected);
    expect(JSON.stringify(result.payload)).toBe(JSON.stringify(expected)); // same keys in the same order
    expect(result).toMatchObject({ channel: 'whatsapp', kind: 'template', category: 'utility' });
    expect(result.preview).toEqual({
      header: null,
      body: 'Thank you, Jessica! Your order number is SKBUP2-4CPIG9.',
      footer: null,
      buttons: [],
    });
  });

  it('renders a media header, positional body, footer and every button kind, with the preview', async () => {
    const definition = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      header: { format: 'image', link: '{{ cart.image_url }}' },
      body: { text: 'Hi {{1}}, {{2}} is still in your cart ({{3}}).' },
      footer: { text: 'Reply STOP to opt out' },
      buttons: [
        { type: 'quick_reply', text: 'Remind me later', payload: 'snooze:{{ contact.id }}' },
        { type: 'quick_reply', text: 'Stop' },
        { type: 'url', text: 'Open cart', url: 'https://shop.example/cart/{{1}}' },
        { type: 'copy_code' },
        { type: 'phone_number', text: 'Call us', phone: '+919876543210' },
      ],
      parameters: {
        1: '{{ contact.first_name }}',
        2: '{{ cart.items[0].title }}',
        3: '{{ cart.total | money_with_currency: cart.currency }}',
        'button.2': "{{ cart.link | split: '/' | last }}",
        'button.3': '{{ params.coupon }}',
      },
    };
    const result = await rendered(definition, { params: { coupon: 'COMEBACK10' } });
    expect(result.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      type: 'template',
      template: {
        name: 'a_template',
        language: { code: 'en' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.shop.example/shirt.jpg' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Jessica' },
              { type: 'text', text: 'Denim Shirt' },
              { type: 'text', text: '₹600.00' },
            ],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'snooze:ct_1' }],
          },
          { type: 'button', sub_type: 'url', index: '2', parameters: [{ type: 'text', text: 'abc123' }] },
          {
            type: 'button',
            sub_type: 'copy_code',
            index: '3',
            parameters: [{ type: 'coupon_code', coupon_code: 'COMEBACK10' }],
          },
        ],
      },
    });
    expect(result.category).toBe('marketing');
    expect(result.preview).toEqual({
      header: { format: 'image', link: 'https://cdn.shop.example/shirt.jpg' },
      body: 'Hi Jessica, Denim Shirt is still in your cart (₹600.00).',
      footer: 'Reply STOP to opt out',
      buttons: [
        { type: 'quick_reply', text: 'Remind me later', payload: 'snooze:ct_1' },
        { type: 'quick_reply', text: 'Stop' },
        { type: 'url', text: 'Open cart', url: 'https://shop.example/cart/abc123' },
        { type: 'copy_code', text: 'Copy code', code: 'COMEBACK10' },
        { type: 'phone_number', text: 'Call us', phone: '+919876543210' },
      ],
    });
  });

  it('names the text header parameter, and sends a document link given as a parameter', async () => {
    const named = await rendered({
      ...orderConfirmation,
      header: { format: 'text', text: 'Order {{order_number}} confirmed' },
      parameters: { ...orderConfirmation.parameters, header: '{{ order.number }}' },
    });
    expect((named.payload.template as any).components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'text', parameter_name: 'order_number', text: 'SKBUP2-4CPIG9' }],
    });
    expect(named.preview.header).toEqual({ format: 'text', text: 'Order SKBUP2-4CPIG9 confirmed' });

    const invoice = await rendered({
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      header: { format: 'document' },
      body: { text: 'Your invoice is attached.' },
      parameters: { header: 'https://shop.example/invoices/{{ order.id }}.pdf' },
    });
    expect((invoice.payload.template as any).components).toEqual([
      {
        type: 'header',
        parameters: [{ type: 'document', document: { link: 'https://shop.example/invoices/SKBUP2-4CPIG9.pdf' } }],
      },
    ]);
  });

  it('sends media uploaded to WhatsApp by its id: given as a parameter, or in the header, with a document file name', async () => {
    const image = await rendered(
      {
        channel: 'whatsapp',
        language: 'en',
        category: 'marketing',
        header: { format: 'image' },
        body: { text: 'New in' },
        parameters: { header: '{{ params.media_id }}' },
      },
      { params: { media_id: '1166846181421424' } },
    );
    expect((image.payload.template as any).components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'image', image: { id: '1166846181421424' } }],
    });
    expect(image.preview.header).toEqual({ format: 'image', id: '1166846181421424' });

    const invoice = await rendered(
      {
        channel: 'whatsapp',
        language: 'en',
        category: 'utility',
        header: { format: 'document', id: '{{ params.invoice_media }}', filename: 'Invoice {{ order.id }}.pdf' },
        body: { text: 'Your invoice is attached.' },
      },
      { params: { invoice_media: '987654321' } },
    );
    expect((invoice.payload.template as any).components[0]).toEqual({
      type: 'header',
      parameters: [{ type: 'document', document: { id: '987654321', filename: 'Invoice SKBUP2-4CPIG9.pdf' } }],
    });

    const cards = [0, 1].map((i) => ({
      header: { format: 'video', id: `{{ params.videos[${i}] }}` },
      body: { text: `Look ${i}` },
    }));
    const reel = await rendered(
      { channel: 'whatsapp', language: 'en', category: 'marketing', body: { text: 'Watch' }, carousel: { cards } },
      { params: { videos: ['111', '222'] } },
    );
    const carousel = (reel.payload.template as any).components.find((c: any) => c.type === 'carousel');
    expect(carousel.cards.map((c: any) => c.components[0].parameters[0])).toEqual([
      { type: 'video', video: { id: '111' } },
      { type: 'video', video: { id: '222' } },
    ]);
  });

  it('INVALID_PARAMETER for a media id that is not one, or a parameter that is neither a link nor an id', async () => {
    const byId = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      header: { format: 'image', id: '{{ params.media_id }}' },
      body: { text: 'New in' },
    };
    expect(await failure(byId, { params: { media_id: 'https://cdn.shop.example/a.jpg' } })).toEqual({
      code: 'INVALID_PARAMETER',
      parameter: 'header',
      message: expect.stringContaining('is not a WhatsApp media id'),
    });
    const either = { ...byId, header: { format: 'image' }, parameters: { header: '{{ params.media_id }}' } };
    expect(await failure(either, { params: { media_id: 'photo-1' } })).toEqual({
      code: 'INVALID_PARAMETER',
      parameter: 'header',
      message: expect.stringContaining('neither an https URL nor a WhatsApp media id'),
    });
  });

  it('sends a catalog button with the thumbnail product when one is given', async () => {
    const catalog = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'New arrivals are in.' },
      buttons: [{ type: 'catalog', text: 'View catalog' }],
    };
    expect((await rendered(catalog)).payload.template).toMatchObject({
      components: [{ type: 'button', sub_type: 'catalog', index: '0', parameters: [{ type: 'action', action: {} }] }],
    });
    const withThumb = await rendered({ ...catalog, parameters: { 'button.0': '{{ order.items[0].id }}' } });
    expect((withThumb.payload.template as any).components[0].parameters).toEqual([
      { type: 'action', action: { thumbnail_product_retailer_id: 'shirt' } },
    ]);
  });

  it('renders a carousel: each card with its media, body and buttons, in order', async () => {
    const definition = {
      channel: 'whatsapp',
      language: 'en_US',
      category: 'marketing',
      body: { text: 'Picked for you, {{first_name}}' },
      carousel: {
        cards: [0, 1].map((i) => ({
          header: { format: 'image', link: `{{ order.items[${i}].image_url }}` },
          body: { text: '{{name}} at {{price}}' },
          buttons: [
            { type: 'url', text: 'Buy', url: 'https://shop.example/p/{{1}}' },
            { type: 'quick_reply', text: 'Not for me' },
          ],
        })),
      },
      parameters: {
        first_name: '{{ contact.first_name }}',
        ...Object.fromEntries(
          [0, 1].flatMap((i) => [
            [`card.${i}.name`, `{{ order.items[${i}].name }}`],
            [`card.${i}.price`, `{{ order.items[${i}].price | money_with_currency: order.currency }}`],
            [`card.${i}.button.0`, `{{ order.items[${i}].id }}`],
            [`card.${i}.button.1`, `not-for-me:{{ order.items[${i}].id }}`],
          ]),
        ),
      },
    };
    const result = await rendered(definition);
    const card = (i: number, id: string, name: string, price: string) => ({
      card_index: i,
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: `https://cdn.shop.example/${id}.jpg` } }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'name', text: name },
            { type: 'text', parameter_name: 'price', text: price },
          ],
        },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: id }] },
        {
          type: 'button',
          sub_type: 'quick_reply',
          index: '1',
          parameters: [{ type: 'payload', payload: `not-for-me:${id}` }],
        },
      ],
    });
    expect((result.payload.template as any).components).toEqual([
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Jessica' }] },
      {
        type: 'carousel',
        cards: [card(0, 'shirt', 'Denim Shirt', '₹600.00'), card(1, 'jeans', 'Slim Jeans', '₹349.50')],
      },
    ]);
    expect(result.preview.cards?.[1]).toEqual({
      header: { format: 'image', link: 'https://cdn.shop.example/jeans.jpg' },
      body: 'Slim Jeans at ₹349.50',
      buttons: [
        { type: 'url', text: 'Buy', url: 'https://shop.example/p/jeans' },
        { type: 'quick_reply', text: 'Not for me', payload: 'not-for-me:jeans' },
      ],
    });
  });
});

describe('renderTemplate: missing and malformed values', () => {
  it('MISSING_PARAMETER names the parameter whose expression reads something not there', async () => {
    expect(await failure(orderConfirmation, { order: null })).toEqual({
      code: 'MISSING_PARAMETER',
      parameter: 'order_number',
      message: expect.stringContaining('undefined variable: order'),
    });
    const attributes = {
      ...orderConfirmation,
      parameters: { ...orderConfirmation.parameters, first_name: '{{ contact.attributes.nickname }}' },
    };
    expect(await failure(attributes)).toMatchObject({ code: 'MISSING_PARAMETER', parameter: 'first_name' });
  });

  it('MISSING_PARAMETER for a value that renders empty; a default filter fills it', async () => {
    expect(await failure(orderConfirmation, { contact: contact({ name: null }) })).toEqual({
      code: 'MISSING_PARAMETER',
      parameter: 'first_name',
      message: expect.stringContaining('renders nothing'),
    });
    const withDefault = {
      ...orderConfirmation,
      parameters: { ...orderConfirmation.parameters, first_name: "{{ contact.first_name | default: 'there' }}" },
    };
    expect((await rendered(withDefault, { contact: contact({ name: null }) })).preview.body).toBe(
      'Thank you, there! Your order number is SKBUP2-4CPIG9.',
    );
  });

  it('INVALID_PARAMETER for a body value with a newline, a tab or more than 4 spaces in a row', async () => {
    for (const bad of ['Jessica\nL', 'Jessica\tL', 'Jessica     L']) {
      const def = {
        ...orderConfirmation,
        parameters: { ...orderConfirmation.parameters, first_name: '{{ params.name }}' },
      };
      expect(await failure(def, { params: { name: bad } })).toMatchObject({
        code: 'INVALID_PARAMETER',
        parameter: 'first_name',
      });
    }
    const fourSpaces = {
      ...orderConfirmation,
      parameters: { ...orderConfirmation.parameters, first_name: '{{ params.name }}' },
    };
    expect((await rendered(fourSpaces, { params: { name: 'Jessica    L' } })).preview.body).toContain('Jessica    L');
  });

  it('INVALID_PARAMETER for a media link that is not https, naming header or card.<i>.header', async () => {
    const image = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      header: { format: 'image' },
      body: { text: 'New in' },
      parameters: { header: '{{ params.image }}' },
    };
    for (const link of [
      'http://cdn.shop.example/a.jpg',
      'cdn.shop.example/a.jpg',
      'https://cdn.shop.example/a b.jpg',
    ]) {
      expect(await failure(image, { params: { image: link } })).toEqual({
        code: 'INVALID_PARAMETER',
        parameter: 'header',
        message: expect.stringContaining('https URL'),
      });
    }
    const cards = [0, 1].map((i) => ({
      header: { format: 'video', link: `{{ params.videos[${i}] }}` },
      body: { text: `Look ${i}` },
    }));
    const reel = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Watch' },
      carousel: { cards },
    };
    expect(
      await failure(reel, { params: { videos: ['https://v.example/1.mp4', 'ftp://v.example/2.mp4'] } }),
    ).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'card.1.header' });
  });

  it('INVALID_PARAMETER for a url suffix that breaks the URL and a coupon code over 15 characters', async () => {
    const def = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Deal' },
      buttons: [
        { type: 'url', text: 'Open', url: 'https://shop.example/deal/{{1}}' },
        { type: 'copy_code', code: '{{ params.code }}' },
      ],
      parameters: { 'button.0': '{{ params.slug }}' },
    };
    expect(await failure(def, { params: { slug: 'winter sale', code: 'OK' } })).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'button.0',
    });
    expect(await failure(def, { params: { slug: 'winter', code: 'X'.repeat(16) } })).toMatchObject({
      code: 'INVALID_PARAMETER',
      parameter: 'button.1',
    });
    expect(await failure(def, { params: { slug: 'winter' } })).toMatchObject({
      code: 'MISSING_PARAMETER',
      parameter: 'button.1',
    });
  });
});

describe('mergeData', () => {
  it('turns records into the names a template writer uses', () => {
    const merged = data({ params: { coupon: 'X' } });
    expect(merged.contact).toEqual({
      id: 'ct_1',
      first_name: 'Jessica',
      name: 'Jessica Laverdetman',
      email: 'jessica@example.com',
      phone: '+16505551234',
      customer_id: 'cust-9',
      whatsapp_status: 'ACTIVE',
      whatsapp_profile_name: null,
      attributes: { tier: 'gold' },
    });
    // A shopper the store has not named goes by their WhatsApp profile name; a named one keeps the store's.
    const unnamed = data({ contact: contact({ name: null, whatsappProfileName: 'Jess L' }) }).contact;
    expect(unnamed).toMatchObject({ first_name: 'Jess', name: 'Jess L', whatsapp_profile_name: 'Jess L' });
    const named = data({ contact: contact({ whatsappProfileName: 'Jess L' }) }).contact;
    expect(named).toMatchObject({ first_name: 'Jessica', name: 'Jessica Laverdetman' });
    expect(merged.order).toEqual({
      paymentType: 'COD',
      id: 'SKBUP2-4CPIG9',
      number: 'SKBUP2-4CPIG9',
      status: 'INITIALIZED',
      total: 1299,
      subtotal: 1299,
      currency: 'INR',
      order_date: '2026-11-21 10:00:00',
      ordered_at: '2026-11-21T04:30:00.000Z',
      source: 'generate_event',
      item_count: 2,
      attributes: { paymentType: 'COD' },
      items: [
        {
          sku: 'SKU-shirt',
          id: 'shirt',
          name: 'Denim Shirt',
          quantity: 1,
          price: 600,
          line_total: 600,
          url: 'https://shop.example/p/shirt',
          image_url: 'https://cdn.shop.example/shirt.jpg',
        },
        {
          sku: 'SKU-jeans',
          id: 'jeans',
          name: 'Slim Jeans',
          quantity: 2,
          price: 349.5,
          line_total: 699,
          url: 'https://shop.example/p/jeans',
          image_url: 'https://cdn.shop.example/jeans.jpg',
        },
      ],
    });
    expect(merged.event).toEqual({
      id: 'ev_1',
      name: 'cart_update',
      sub_name: 'add_to_cart',
      timestamp: '2026-11-21T04:00:00+00:00',
      occurred_at: '2026-11-21T04:00:00.000Z',
      source: 'native',
      data: { cart_link: 'https://shop.example/cart/abc123' },
    });
    expect(merged.cart).toMatchObject({
      status: 'active',
      total: 600,
      link: 'https://shop.example/cart/abc123',
      image_url: 'https://cdn.shop.example/shirt.jpg',
      item_count: 1,
    });
    expect(merged.cart!.items[0]).toEqual({
      product_id: 'shirt',
      variant_id: 'blue-m',
      title: 'Denim Shirt',
      quantity: 1,
      price: 600,
      url: 'https://shop.example/p/shirt',
      image_url: 'https://cdn.shop.example/shirt.jpg',
    });
    expect(merged.store).toEqual({ id: 'st_1', name: 'Denim Co' });
    expect(merged.params).toEqual({ coupon: 'X' });
  });

  it('leaves out what the message is not about, and uses the order number the store gave', () => {
    const merged = mergeData({
      contact: contact(),
      store,
      order: order({ attributes: { customerOrderNumber: '#1001' } }),
    });
    expect(Object.keys(merged).sort()).toEqual(['contact', 'order', 'store']);
    expect(merged.order).toMatchObject({ id: 'SKBUP2-4CPIG9', number: '#1001' });
  });
});

describe('Liquid money filters', () => {
  it('formats decimals in the currency digits, with or without the symbol', async () => {
    const def = (expression: string) => ({
      ...orderConfirmation,
      parameters: { ...orderConfirmation.parameters, order_number: expression },
    });
    const body = async (expression: string, input: Partial<MergeInput> = {}) =>
      (await rendered(def(expression), input)).preview.body.replace(/^.*is (.*)\.$/, '$1');
    expect(await body('{{ order.total | money: order.currency }}')).toBe('1299.00');
    expect(await body('{{ order.total | money_with_currency: order.currency }}')).toBe('₹1,299.00');
    expect(
      await body('{{ order.total | money_with_currency: order.currency }}', {
        order: order({ currency: 'JPY', totalMinor: 1500 }),
      }),
    ).toBe('¥1,500');
  });
});

describe('renderTemplate: Messenger', () => {
  it("builds a Messenger template from the merge data's params", async () => {
    const result = await renderTemplate(
      { channel: 'messenger', type: 'shipping_update', category: 'utility' } as TemplateDefinition,
      'Shipping Status Update Push',
      data({
        params: {
          package_number: 'PKG1',
          package_status: 'out_for_delivery',
          detailed_tracking_url: 'https://track.example/PKG1',
        },
      }),
    );
    expect(result).toMatchObject({
      ok: true,
      channel: 'messenger',
      kind: 'shipping_update',
      preview: { body: 'Package PKG1 is out for delivery' },
    });
  });
});

import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

type Json = any;

const orderConfirmation = {
  channel: 'whatsapp',
  language: 'en_US',
  category: 'utility',
  body: { text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
  parameters: { first_name: '{{ contact.first_name }}', order_number: '{{ order.id }}' },
};
const cartReminder = {
  channel: 'whatsapp',
  language: 'en',
  category: 'marketing',
  header: { format: 'image', link: '{{ event.data.recent_product_image }}' },
  body: { text: 'Hi {{1}}, {{2}} is still in your cart.' },
  footer: { text: 'Reply STOP to opt out' },
  buttons: [{ type: 'url', text: 'Finish checkout', url: 'https://store.com/cart/{{1}}' }],
  parameters: {
    1: "{{ contact.first_name | default: 'there' }}",
    2: '{{ cart.items[0].title }}',
    'button.0': "{{ cart.link | split: '/' | last }}",
  },
};
const seedReceipt = {
  receipt: {
    recipient_name: 'John Doe',
    order_number: 'U5555',
    currency: 'USD',
    payment_method: 'Visa 2345',
    timestamp: 1523619550,
    summary: { subtotal: 138.4, shipping_cost: 0, total_tax: 0, total_cost: 138.4 },
    elements: [
      {
        title: 'Classic White Shirts',
        subtitle: '100% Soft and Luxurious Cotton',
        quantity: 2,
        price: 11.99,
        currency: 'USD',
      },
    ],
  },
};

describeEachDatabase('templates: definitions, built-ins and previews with real data', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  const put = (name: string, definition: unknown, as?: StoreCredentials) =>
    h.call('PUT', `/v1/templates/${encodeURIComponent(name)}`, definition, { as });
  const get = (name: string, as?: StoreCredentials) => h.get(`/v1/templates/${encodeURIComponent(name)}`, as);
  const preview = (name: string, body: unknown, as?: StoreCredentials) =>
    h.post(`/v1/templates/${encodeURIComponent(name)}/preview`, body, as);
  const expectError = (res: { statusCode: number; body: string; json(): Json }, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    return res.json().error;
  };

  /** A shopper with a cart (seed 001 add_to_cart) and an order (seed 003 orderCreated), made through the API. */
  const shopper = async (customerId: string, orderId: string, name = 'Jessica Laverdetman') => {
    const eventId = `cart-${customerId}`;
    const cart = seedEvent('add_to_cart', { event_id: eventId, customer: { customer_id: customerId, name } });
    expect((await h.post('/v1/events', cart)).statusCode).toBe(202);
    const order = await h.post('/v1/generate-event', {
      eventTypeKey: 'orderCreated',
      params: Object.entries({
        externalOrderId: orderId,
        externalCustomerId: customerId,
        totalCost: '1200.00',
        status: 'INITIALIZED',
        date: '2026-11-21 10:00:00',
        currency: 'INR',
        items: [
          {
            externalItemId: 'denim',
            name: 'Denim Shirt - Blue',
            quantity: 2,
            cost: 600,
            url: 'https://sample.com/denim',
            imageUrl: 'https://sample.com/denim.jpg',
          },
        ],
      }).map(([key, value]) => ({ name: key, value })),
    });
    expect(order.statusCode, order.body).toBe(200);
    return { contactId: order.json().contactId as string, eventId, orderId };
  };

  it('stores a template and shows it as stored; replacing it keeps its creation time', async () => {
    const created = await put('order_confirmation', orderConfirmation);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toEqual({
      name: 'order_confirmation',
      channel: 'whatsapp',
      builtIn: false,
      overridesBuiltIn: false,
      definition: orderConfirmation,
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:00:00.000Z',
    });
    expect((await get('order_confirmation')).json()).toEqual(created.json());

    clock.advance(60_000);
    const changed = {
      ...orderConfirmation,
      body: { text: 'Thanks {{first_name}}! Order {{order_number}} is confirmed.' },
    };
    const replaced = await put('order_confirmation', changed);
    expect(replaced.json()).toMatchObject({
      definition: changed,
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:01:00.000Z',
    });
    expect((await get('order_confirmation')).json().definition).toEqual(changed);
    expect((await put('order_confirmation', orderConfirmation)).statusCode).toBe(200);
  });

  it('refuses a definition with TEMPLATE_INVALID naming the field, and stores nothing', async () => {
    const { order_number: _, ...onlyFirst } = orderConfirmation.parameters;
    const error = expectError(
      await put('incomplete', { ...orderConfirmation, parameters: onlyFirst }),
      400,
      'TEMPLATE_INVALID',
    );
    expect(error.details.path).toBe('/parameters/order_number');
    expect(error.details.problems).toEqual([
      { path: '/parameters/order_number', message: expect.stringContaining('{{order_number}} has no parameter') },
    ]);
    expectError(await get('incomplete'), 404, 'TEMPLATE_NOT_FOUND');

    expect(
      expectError(
        await put('too_long', { ...orderConfirmation, body: { text: 'x'.repeat(1025) } }),
        400,
        'TEMPLATE_INVALID',
      ).details.path,
    ).toBe('/body/text');
    expect(
      expectError(
        await put('bad_liquid', {
          ...orderConfirmation,
          parameters: { ...orderConfirmation.parameters, first_name: '{{ contact.first_name' },
        }),
        400,
        'TEMPLATE_INVALID',
      ).details.path,
    ).toBe('/parameters/first_name');
    expect(expectError(await put('Order Confirmation', orderConfirmation), 400, 'TEMPLATE_INVALID').details.path).toBe(
      'params/name',
    );
    expect(expectError(await put('not_json', '{"channel": '), 400, 'INVALID_JSON')).toBeTruthy();
    expectError(await put('a_list', [orderConfirmation]), 400, 'TEMPLATE_INVALID');
  });

  it("previews a template with a shopper's real contact and order", async () => {
    const { contactId, orderId } = await shopper('shopper-1', 'SKBUP2-4CPIG9');
    await put('order_confirmation', orderConfirmation);
    const { to: _to, ...expected } = fixture('whatsapp/send_template_named_params_request.json');

    const byCustomerId = await preview('order_confirmation', { customer_id: 'shopper-1', orderId });
    expect(byCustomerId.statusCode, byCustomerId.body).toBe(200);
    expect(byCustomerId.json()).toEqual({
      template: 'order_confirmation',
      channel: 'whatsapp',
      kind: 'template',
      category: 'utility',
      payload: expected,
      preview: {
        header: null,
        body: 'Thank you, Jessica! Your order number is SKBUP2-4CPIG9.',
        footer: null,
        buttons: [],
      },
    });
    // The order names its shopper; so does a contact id.
    expect((await preview('order_confirmation', { orderId })).json().payload).toEqual(expected);
    expect((await preview('order_confirmation', { contactId, orderId })).json().payload).toEqual(expected);
  });

  it('previews a cart reminder from the cart event: product image header, cart item and url button', async () => {
    const { contactId, eventId } = await shopper('shopper-2', 'order-2', 'Arjun Mehta');
    expect((await put('cart_reminder', cartReminder)).statusCode).toBe(200);
    const res = await preview('cart_reminder', { contactId, eventId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payload.template.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://sample.com/aa8ab4876d3d.jpg' } }] },
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Arjun' },
          { type: 'text', text: 'Denim Shirt - Blue' },
        ],
      },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '3284672934' }] },
    ]);
    expect(res.json().preview).toEqual({
      header: { format: 'image', link: 'https://sample.com/aa8ab4876d3d.jpg' },
      body: 'Hi Arjun, Denim Shirt - Blue is still in your cart.',
      footer: 'Reply STOP to opt out',
      buttons: [{ type: 'url', text: 'Finish checkout', url: 'https://store.com/cart/3284672934' }],
    });
  });

  it('answers MISSING_PARAMETER / INVALID_PARAMETER naming the parameter', async () => {
    const { contactId } = await shopper('shopper-3', 'order-3');
    await put('order_confirmation', orderConfirmation);
    const missing = expectError(await preview('order_confirmation', { contactId }), 400, 'MISSING_PARAMETER');
    expect(missing.details).toEqual({ parameter: 'order_number' });
    expect(missing.message).toContain('order');

    await put('cart_reminder', cartReminder);
    expect(expectError(await preview('cart_reminder', { contactId }), 400, 'MISSING_PARAMETER').details).toEqual({
      parameter: 'header',
    });

    await put('new_arrival', {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      header: { format: 'image' },
      body: { text: 'New in: {{1}}' },
      parameters: { header: '{{ params.image }}', 1: '{{ params.title }}' },
    });
    expect(
      expectError(
        await preview('new_arrival', { contactId, params: { image: 'http://sample.com/new.jpg', title: 'Kurta' } }),
        400,
        'INVALID_PARAMETER',
      ).details,
    ).toEqual({ parameter: 'header' });
    expect(
      expectError(
        await preview('new_arrival', {
          contactId,
          params: { image: 'https://sample.com/new.jpg', title: 'Kurta\nNew' },
        }),
        400,
        'INVALID_PARAMETER',
      ).details,
    ).toEqual({ parameter: '1' });
    expect(
      (
        await preview('new_arrival', { contactId, params: { image: 'https://sample.com/new.jpg', title: 'Kurta' } })
      ).json().preview.body,
    ).toBe('New in: Kurta');
  });

  it('answers 404 for an unknown template, contact, customer, order or event, and 400 when no shopper is named', async () => {
    const { contactId } = await shopper('shopper-4', 'order-4');
    await put('order_confirmation', orderConfirmation);
    expectError(await preview('no_such_template', { contactId }), 404, 'TEMPLATE_NOT_FOUND');
    expectError(await preview('order_confirmation', { contactId: 'ct_nope' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await preview('order_confirmation', { customer_id: 'nobody' }), 404, 'CUSTOMER_NOT_FOUND');
    expectError(await preview('order_confirmation', { email: 'nobody@example.com' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await preview('order_confirmation', { contactId, orderId: 'no-order' }), 404, 'ORDER_NOT_FOUND');
    expectError(await preview('order_confirmation', { contactId, eventId: 'no-event' }), 404, 'EVENT_NOT_FOUND');
    expectError(await preview('order_confirmation', {}), 400, 'VALIDATION_FAILED');
    expectError(await h.call('DELETE', '/v1/templates/no_such_template'), 404, 'TEMPLATE_NOT_FOUND');
  });

  it("keeps each store's templates and data to itself", async () => {
    const { contactId, orderId } = await shopper('shopper-5', 'order-5');
    await put('order_confirmation', orderConfirmation);
    const other = await h.newStore({ name: 'Other Shop' });
    expectError(await get('order_confirmation', other), 404, 'TEMPLATE_NOT_FOUND');
    expect((await h.get('/v1/templates', other)).json().templates.map((t: Json) => t.name)).toEqual([
      'Order Receipt Push',
      'Shipping Status Update Push',
    ]);
    expectError(await preview('order_confirmation', { contactId, orderId }, other), 404, 'TEMPLATE_NOT_FOUND');

    // The other store's template of the same name is its own, and cannot reach this store's shoppers.
    const theirs = { ...orderConfirmation, body: { text: 'Hello {{first_name}}, order {{order_number}}' } };
    expect((await put('order_confirmation', theirs, other)).statusCode).toBe(200);
    expect((await get('order_confirmation')).json().definition).toEqual(orderConfirmation);
    expectError(await preview('order_confirmation', { contactId }, other), 404, 'CONTACT_NOT_FOUND');
    expectError(await preview('order_confirmation', { orderId }, other), 404, 'ORDER_NOT_FOUND');
    expectError(await preview('order_confirmation', { customer_id: 'shopper-5' }, other), 404, 'CUSTOMER_NOT_FOUND');
    expect((await h.call('DELETE', '/v1/templates/order_confirmation', undefined, { as: other })).statusCode).toBe(204);
    expect((await get('order_confirmation')).statusCode).toBe(200);
  });

  it("gives every store seed 002's Messenger templates, which a store may replace and get back", async () => {
    const builtIn = await get('Order Receipt Push');
    expect(builtIn.json()).toEqual({
      name: 'Order Receipt Push',
      channel: 'messenger',
      builtIn: true,
      overridesBuiltIn: false,
      definition: { channel: 'messenger', type: 'receipt', category: 'utility' },
      createdAt: null,
      updatedAt: null,
    });
    const receipt = await preview('Order Receipt Push', { params: seedReceipt });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect(receipt.json()).toMatchObject({
      channel: 'messenger',
      kind: 'receipt',
      category: 'utility',
      payload: {
        messaging_type: 'MESSAGE_TAG',
        tag: 'POST_PURCHASE_UPDATE',
        message: { attachment: { type: 'template', payload: { template_type: 'receipt', order_number: 'U5555' } } },
      },
    });
    const { summary: _s, ...noSummary } = seedReceipt.receipt;
    expect(
      expectError(await preview('Order Receipt Push', { params: { receipt: noSummary } }), 400, 'MISSING_PARAMETER')
        .details,
    ).toEqual({ parameter: 'receipt.summary' });
    expect(
      expectError(
        await preview('Shipping Status Update Push', { params: { package_number: 'P1', package_status: 'shipped' } }),
        400,
        'MISSING_PARAMETER',
      ).details,
    ).toEqual({ parameter: 'detailed_tracking_url' });

    const mine = { channel: 'messenger', type: 'shipping_update', category: 'utility', buttonTitle: 'Where is it?' };
    expect((await put('Shipping Status Update Push', mine)).json()).toMatchObject({
      builtIn: false,
      overridesBuiltIn: true,
      definition: mine,
    });
    const shipping = await preview('Shipping Status Update Push', {
      params: { package_number: 'P1', package_status: 'shipped', detailed_tracking_url: 'https://track.example/P1' },
    });
    expect(shipping.json().preview.buttons).toEqual([
      { type: 'url', text: 'Where is it?', url: 'https://track.example/P1' },
    ]);
    const listed = (await h.get('/v1/templates'))
      .json()
      .templates.filter((t: Json) => t.name === 'Shipping Status Update Push');
    expect(listed).toEqual([expect.objectContaining({ builtIn: false, overridesBuiltIn: true })]);

    expect(
      (await h.call('DELETE', `/v1/templates/${encodeURIComponent('Shipping Status Update Push')}`)).statusCode,
    ).toBe(204);
    expect((await get('Shipping Status Update Push')).json()).toMatchObject({
      builtIn: true,
      definition: { channel: 'messenger', type: 'shipping_update', category: 'utility' },
    });
    expect(
      (await h.call('DELETE', `/v1/templates/${encodeURIComponent('Shipping Status Update Push')}`)).statusCode,
    ).toBe(204);
  });

  it('lists built-in and own templates by name; every route needs the store key and is in the OpenAPI document', async () => {
    await put('order_confirmation', orderConfirmation);
    const names = (await h.get('/v1/templates')).json().templates.map((t: Json) => t.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['Order Receipt Push', 'Shipping Status Update Push', 'order_confirmation']),
    );

    for (const [method, url] of [
      ['GET', '/v1/templates'],
      ['GET', '/v1/templates/x'],
      ['PUT', '/v1/templates/x'],
      ['DELETE', '/v1/templates/x'],
      ['POST', '/v1/templates/x/preview'],
    ] as const) {
      expectError(
        await h.call(method, url, method === 'PUT' || method === 'POST' ? {} : undefined, { as: null }),
        401,
        'UNAUTHORIZED',
      );
    }
    const paths = (await h.get('/openapi.json')).json().paths;
    expect(Object.keys(paths['/v1/templates/{name}'])).toEqual(expect.arrayContaining(['put', 'get', 'delete']));
    expect(paths['/v1/templates/{name}'].put.requestBody.content['application/json'].schema).toBeTruthy();
    expect(paths['/v1/templates/{name}/preview'].post).toBeTruthy();
  });
});

import { describe, expect, it } from 'vitest';
import { templateNameProblem, validateTemplate } from './validate.js';

const orderConfirmation = () => ({
  channel: 'whatsapp',
  language: 'en_US',
  category: 'utility',
  body: { text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
  parameters: { first_name: '{{ contact.first_name }}', order_number: '{{ order.id }}' },
});

/** Every component kind, positional placeholders. */
const everything = () => ({
  channel: 'whatsapp',
  language: 'en',
  category: 'marketing',
  header: { format: 'image' },
  body: { text: 'Hi {{1}}, your cart of {{2}} items is waiting. Use {{1}}-10 for 10% off.' },
  footer: { text: 'Reply STOP to opt out' },
  buttons: [
    { type: 'quick_reply', text: 'Not now', payload: 'snooze:{{ contact.id }}' },
    { type: 'quick_reply', text: 'Stop' },
    { type: 'url', text: 'Open cart', url: 'https://shop.example/cart/{{1}}' },
    { type: 'copy_code', code: '{{ params.coupon }}' },
    { type: 'phone_number', text: 'Call us', phone: '+919876543210' },
  ],
  parameters: {
    header: '{{ cart.image_url }}',
    1: '{{ contact.first_name }}',
    2: '{{ cart.item_count }}',
    'button.2': '{{ params.cart_token }}',
  },
});

const carousel = () => ({
  channel: 'whatsapp',
  language: 'en_US',
  category: 'marketing',
  body: { text: 'Picked for you, {{first_name}}' },
  carousel: {
    cards: [0, 1].map((i) => ({
      header: { format: 'image', link: `{{ order.items[${i}].image_url }}` },
      body: { text: '{{name}} at {{price}}' },
      buttons: [{ type: 'url', text: 'Buy', url: 'https://shop.example/p/{{1}}' }],
    })),
  },
  parameters: {
    first_name: '{{ contact.first_name }}',
    ...Object.fromEntries(
      [0, 1].flatMap((i) => [
        [`card.${i}.name`, `{{ order.items[${i}].name }}`],
        [`card.${i}.price`, `{{ order.items[${i}].price }}`],
        [`card.${i}.button.0`, `{{ order.items[${i}].id }}`],
      ]),
    ),
  },
});

function problems(definition: unknown) {
  const result = validateTemplate(definition);
  if (result.ok) throw new Error('the template was accepted');
  return result.problems;
}
const pathsOf = (definition: unknown) => problems(definition).map((p) => p.path);

describe('validateTemplate: accepted', () => {
  it('accepts a named-parameter utility template, a template with every component and a carousel', () => {
    expect(validateTemplate(orderConfirmation())).toEqual({ ok: true, template: orderConfirmation() });
    expect(validateTemplate(everything()).ok).toBe(true);
    expect(validateTemplate(carousel()).ok).toBe(true);
  });

  it('accepts a text header with its named placeholder, a catalog button on a marketing template, and Messenger templates', () => {
    expect(
      validateTemplate({
        ...orderConfirmation(),
        header: { format: 'text', text: 'Order {{order_number}}' },
        parameters: { ...orderConfirmation().parameters, header: '{{ order.id }}' },
      }).ok,
    ).toBe(true);
    expect(
      validateTemplate({
        channel: 'whatsapp',
        language: 'en',
        category: 'marketing',
        body: { text: 'Our new range is in.' },
        buttons: [{ type: 'catalog', text: 'View catalog' }],
      }).ok,
    ).toBe(true);
    expect(validateTemplate({ channel: 'messenger', type: 'receipt', category: 'utility' }).ok).toBe(true);
    expect(
      validateTemplate({
        channel: 'messenger',
        type: 'shipping_update',
        category: 'utility',
        tag: 'POST_PURCHASE_UPDATE',
        buttonTitle: 'Where is it?',
      }).ok,
    ).toBe(true);
  });
});

describe('validateTemplate: placeholders and parameters', () => {
  it('names a placeholder without a parameter, and a parameter no placeholder takes', () => {
    const { order_number: _, ...onlyFirst } = orderConfirmation().parameters;
    expect(problems({ ...orderConfirmation(), parameters: onlyFirst })).toEqual([
      { path: '/parameters/order_number', message: expect.stringContaining('{{order_number}} has no parameter') },
    ]);
    expect(
      problems({
        ...orderConfirmation(),
        parameters: { ...orderConfirmation().parameters, last_name: '{{ contact.name }}' },
      }),
    ).toEqual([{ path: '/parameters/last_name', message: expect.stringContaining('"first_name", "order_number"') }]);
  });

  it('refuses positional placeholders with gaps, named and positional mixed, or against parameterFormat', () => {
    expect(
      problems({ ...orderConfirmation(), body: { text: 'Hi {{1}}, order {{3}}' }, parameters: { 1: 'a', 3: 'b' } }),
    ).toEqual([{ path: '/body/text', message: expect.stringContaining('{{2}} missing') }]);
    expect(
      pathsOf({
        ...orderConfirmation(),
        body: { text: 'Hi {{first_name}}, order {{2}}' },
        parameters: { first_name: 'a', 2: 'b' },
      }),
    ).toContain('/body/text');
    expect(problems({ ...orderConfirmation(), parameterFormat: 'positional' })[0]).toEqual({
      path: '/body/text',
      message: expect.stringContaining('parameterFormat is "positional"'),
    });
  });

  it('refuses placeholders Meta does not accept, and placeholders in footers and button texts', () => {
    expect(problems({ ...orderConfirmation(), body: { text: 'Hi {{First Name}}' }, parameters: {} })).toEqual([
      { path: '/body/text', message: expect.stringContaining('{{First Name}} is not a placeholder') },
    ]);
    expect(pathsOf({ ...orderConfirmation(), footer: { text: 'Bye {{first_name}}' } })).toEqual(['/footer/text']);
    expect(pathsOf({ ...everything(), buttons: [{ type: 'quick_reply', text: 'Hi {{1}}' }] })).toEqual([
      '/buttons/0/text',
      '/parameters/button.2',
    ]);
  });

  it('names a parameter whose Liquid does not parse, or uses an unknown filter', () => {
    expect(
      problems({
        ...orderConfirmation(),
        parameters: { first_name: '{{ contact.first_name', order_number: '{{ order.id | shout }}' },
      }),
    ).toEqual([
      { path: '/parameters/first_name', message: expect.stringContaining('is not valid Liquid') },
      { path: '/parameters/order_number', message: expect.stringContaining('undefined filter: shout') },
    ]);
    expect(
      pathsOf({
        ...everything(),
        buttons: [{ type: 'copy_code', code: '{% if %}' }],
        parameters: { header: 'x', 1: 'a', 2: 'b' },
      }),
    ).toEqual(['/buttons/0/code']);
  });

  it('wants one value for each media link, url suffix and coupon code, given once', () => {
    const { header: _h, ...noHeader } = everything().parameters;
    expect(pathsOf({ ...everything(), parameters: noHeader })).toEqual(['/parameters/header']);
    expect(pathsOf({ ...everything(), header: { format: 'image', link: '{{ cart.image_url }}' } })).toEqual([
      '/parameters/header',
    ]);
    const { 'button.2': _b, ...noSuffix } = everything().parameters;
    expect(pathsOf({ ...everything(), parameters: noSuffix })).toEqual(['/parameters/button.2']);
    const buttons = everything().buttons.map((b) => (b.type === 'copy_code' ? { type: 'copy_code' } : b));
    expect(pathsOf({ ...everything(), buttons })).toEqual(['/parameters/button.3']);
    expect(
      pathsOf({ ...everything(), parameters: { ...everything().parameters, 'button.0': '{{ contact.id }}' } }),
    ).toEqual(['/parameters/button.0']);
    expect(pathsOf({ ...everything(), parameters: { ...everything().parameters, 'button.4': 'x' } })).toEqual([
      '/parameters/button.4',
    ]);
  });

  it('takes a media header by link or by media id (a document with its file name), never both', () => {
    const { header: _h, ...noHeader } = everything().parameters;
    const byId = { ...everything(), header: { format: 'image', id: '{{ params.media_id }}' }, parameters: noHeader };
    expect(validateTemplate(byId).ok).toBe(true);
    const invoice = {
      ...orderConfirmation(),
      header: { format: 'document', id: '{{ params.invoice_media }}', filename: 'Invoice {{ order.id }}.pdf' },
    };
    expect(validateTemplate(invoice).ok).toBe(true);
    expect(pathsOf({ ...byId, header: { format: 'image', id: '1', link: 'https://a.example/x.jpg' } })).toEqual([
      '/header',
    ]);
    expect(pathsOf({ ...byId, header: { format: 'image', id: '1' }, parameters: everything().parameters })).toEqual([
      '/parameters/header',
    ]);
    expect(pathsOf({ ...invoice, header: { ...invoice.header, filename: '{{ order.id ' } })).toEqual([
      '/header/filename',
    ]);
    expect(pathsOf({ ...byId, header: { format: 'image', id: '1', filename: 'a.jpg' } })).toEqual(['/header/filename']);
  });

  it('keeps a url placeholder at the end of an absolute URL', () => {
    const withUrl = (url: string) => ({
      ...everything(),
      buttons: [{ type: 'url', text: 'Go', url }],
      parameters: { header: 'x', 1: 'a', 2: 'b', 'button.0': 'c' },
    });
    expect(pathsOf(withUrl('https://shop.example/{{1}}/view'))).toEqual(['/buttons/0/url']);
    expect(pathsOf(withUrl('/cart/{{1}}'))).toEqual(['/buttons/0/url']);
    expect(validateTemplate(withUrl('https://shop.example/cart?token={{1}}')).ok).toBe(true);
  });
});

describe("validateTemplate: Meta's limits", () => {
  it('limits body, header, footer and button texts', () => {
    expect(problems({ ...orderConfirmation(), body: { text: 'x'.repeat(1025) } })).toEqual([
      { path: '/body/text', message: 'must not have more than 1024 characters' },
    ]);
    expect(validateTemplate({ ...orderConfirmation(), body: { text: 'x'.repeat(1024) }, parameters: {} }).ok).toBe(
      true,
    );
    expect(pathsOf({ ...orderConfirmation(), header: { format: 'text', text: 'x'.repeat(61) } })).toEqual([
      '/header/text',
    ]);
    expect(pathsOf({ ...orderConfirmation(), footer: { text: 'x'.repeat(61) } })).toEqual(['/footer/text']);
    expect(pathsOf({ ...everything(), buttons: [{ type: 'quick_reply', text: 'x'.repeat(26) }] })).toEqual([
      '/buttons/0/text',
    ]);
  });

  it('allows up to 10 buttons, 2 url buttons, quick replies side by side', () => {
    const quick = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'quick_reply', text: `Option ${i}` }));
    const plain = { channel: 'whatsapp', language: 'en', category: 'marketing', body: { text: 'Choose' } };
    expect(validateTemplate({ ...plain, buttons: quick(10) }).ok).toBe(true);
    expect(problems({ ...plain, buttons: quick(11) })).toEqual([
      { path: '/buttons', message: 'must not have more than 10 items' },
    ]);
    const url = { type: 'url', text: 'Site', url: 'https://shop.example' };
    expect(pathsOf({ ...plain, buttons: [url, url, url] })).toEqual(['/buttons']);
    expect(problems({ ...plain, buttons: [quick(1)[0], url, quick(1)[0]] })).toEqual([
      { path: '/buttons', message: expect.stringContaining('quick_reply buttons must be next to each other') },
    ]);
  });

  it('allows a catalog button only on marketing templates, alone', () => {
    const catalog = {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'See our range' },
      buttons: [{ type: 'catalog', text: 'View catalog' }],
    };
    expect(problems(catalog)).toEqual([
      { path: '/buttons/0', message: 'a catalog button is only for marketing templates' },
    ]);
    expect(
      pathsOf({
        ...catalog,
        category: 'marketing',
        buttons: [...catalog.buttons, { type: 'quick_reply', text: 'Stop' }],
      }),
    ).toEqual(['/buttons/0']);
  });

  it('wants 2 to 10 cards in a carousel, alike, on a marketing template without its own header, footer or buttons', () => {
    const cards = carousel().carousel.cards;
    expect(pathsOf({ ...carousel(), carousel: { cards: [cards[0]] } })).toEqual(['/carousel/cards']);
    expect(pathsOf({ ...carousel(), carousel: { cards: Array(11).fill(cards[0]) } })).toEqual(['/carousel/cards']);
    expect(pathsOf({ ...carousel(), category: 'utility' })).toEqual(['/category']);
    expect(pathsOf({ ...carousel(), footer: { text: 'Bye' } })).toEqual(['/footer']);
    const video = { ...cards[1], header: { format: 'video', link: 'https://shop.example/v.mp4' } };
    expect(pathsOf({ ...carousel(), carousel: { cards: [cards[0], video] } })).toEqual([
      '/carousel/cards/1/header/format',
    ]);
    const noButtons = { ...cards[1], buttons: [] };
    expect(pathsOf({ ...carousel(), carousel: { cards: [cards[0], noButtons] } })).toEqual([
      '/carousel/cards/1/buttons',
      '/parameters/card.1.button.0',
    ]);
    expect(
      pathsOf({ ...carousel(), carousel: { cards: [cards[0], { ...cards[1], body: { text: 'x'.repeat(161) } }] } }),
    ).toEqual(['/carousel/cards/1/body/text']);
    expect(
      pathsOf({ ...carousel(), carousel: { cards: [cards[0], { ...cards[1], buttons: [{ type: 'copy_code' }] }] } }),
    ).toEqual(['/carousel/cards/1/buttons/0/type']);
  });
});

describe('validateTemplate: shape', () => {
  it('names the field: unknown fields, kinds, discriminators and channels', () => {
    expect(problems([])).toEqual([{ path: '', message: 'a template is a JSON object' }]);
    expect(pathsOf({ ...orderConfirmation(), channel: 'sms' })).toEqual(['/channel']);
    expect(problems({ ...orderConfirmation(), colour: 'red' })).toEqual([
      { path: '/colour', message: 'is not a field here' },
    ]);
    expect(problems({ ...orderConfirmation(), category: 'promo' })).toEqual([
      { path: '/category', message: 'must be one of "marketing", "utility", "authentication"' },
    ]);
    expect(problems({ ...orderConfirmation(), header: { format: 'gif' } })[0]!.path).toBe('/header/format');
    expect(problems({ ...everything(), buttons: [{ type: 'url', text: 'Go' }] })).toEqual([
      { path: '/buttons/0', message: 'must have required properties url' },
    ]);
    expect(problems({ ...everything(), buttons: [{ text: 'Go' }] })[0]!.path).toBe('/buttons/0/type');
    expect(problems({ ...orderConfirmation(), parameters: { first_name: 7, order_number: 'x' } })).toEqual([
      { path: '/parameters/first_name', message: 'must be string' },
    ]);
    expect(problems({ channel: 'messenger', type: 'invoice', category: 'utility' })).toEqual([
      { path: '/type', message: 'must be one of "receipt", "shipping_update"' },
    ]);
    expect(problems({ channel: 'messenger', type: 'receipt', category: 'marketing' })).toEqual([
      { path: '/category', message: 'must be "utility"' },
    ]);
  });
});

describe('templateNameProblem', () => {
  it("holds WhatsApp names to Meta's lowercase rule, and every name to 512 characters", () => {
    expect(templateNameProblem('order_confirmation_2', 'whatsapp')).toBeNull();
    expect(templateNameProblem('Order Confirmation', 'whatsapp')).toMatch(/lowercase/);
    expect(templateNameProblem('Order Receipt Push', 'messenger')).toBeNull();
    expect(templateNameProblem('x'.repeat(513), 'messenger')).toMatch(/512/);
  });
});

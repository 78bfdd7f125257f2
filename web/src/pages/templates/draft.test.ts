import { describe, expect, it } from 'vitest';
import type { TemplateDefinition } from '../../api/templates.js';
import { blankForm, canonical, definitionOf, formOf } from './draft.js';

/** docs/templates.md's examples, and the parts they leave out. */
const EXAMPLES: Record<string, TemplateDefinition> = {
  order_confirmation: {
    channel: 'whatsapp',
    language: 'en_US',
    category: 'utility',
    header: { format: 'text', text: 'Order {{order_number}} confirmed' },
    body: { text: 'Thank you, {{first_name}}! Your order {{order_number}} of {{total}} is confirmed.' },
    footer: { text: 'Denim Co' },
    buttons: [
      { type: 'url', text: 'View order', url: 'https://shop.example/orders/{{1}}' },
      { type: 'phone_number', text: 'Call us', phone: '+918041234567' },
    ],
    parameters: {
      header: '{{ order.number }}',
      first_name: "{{ contact.first_name | default: 'there' }}",
      order_number: '{{ order.number }}',
      total: '{{ order.total | money_with_currency: order.currency }}',
      'button.0': '{{ order.id }}',
    },
  },
  new_arrivals_carousel: {
    channel: 'whatsapp',
    language: 'en',
    category: 'marketing',
    parameterFormat: 'positional',
    body: { text: 'Hi {{1}}, picked for you from our new arrivals:' },
    carousel: {
      cards: [0, 1].map((i) => ({
        header: { format: 'image', link: `{{ params.products[${i}].image_url }}` },
        body: { text: '{{1}} for {{2}}' },
        buttons: [
          { type: 'url', text: 'Shop now', url: 'https://shop.example/products/{{1}}' },
          { type: 'quick_reply', text: 'Not for me' },
        ],
      })),
    },
    parameters: { 1: "{{ contact.first_name | default: 'there' }}", 'card.0.1': '{{ params.products[0].title }}' },
  },
  media_and_codes: {
    channel: 'whatsapp',
    language: 'en',
    category: 'marketing',
    header: { format: 'document', id: '{{ params.media_id }}', filename: 'invoice.pdf' },
    body: { text: 'Your code is ready.' },
    buttons: [
      { type: 'copy_code', code: '{{ params.code }}' },
      { type: 'catalog', text: 'View catalog' },
      { type: 'quick_reply', text: 'Stop', payload: 'stop_offers' },
    ],
  },
  video_cards: {
    channel: 'whatsapp',
    language: 'en',
    category: 'marketing',
    body: { text: 'New this week' },
    carousel: {
      cards: [
        { header: { format: 'video', id: '{{ params.video_1 }}' }, body: { text: 'One' } },
        { header: { format: 'image', link: 'https://cdn.example/2.jpg' }, body: { text: 'Two' } },
      ],
    },
  },
  shipping: {
    channel: 'messenger',
    type: 'shipping_update',
    category: 'utility',
    tag: 'POST_PURCHASE_UPDATE',
    buttonTitle: 'Where is it?',
  },
  receipt: { channel: 'messenger', type: 'receipt', category: 'utility' },
};

describe('the template editor’s form', () => {
  it('gives back the very definition it was opened with, so saving unchanged changes nothing', () => {
    for (const [name, definition] of Object.entries(EXAMPLES))
      expect(canonical(definitionOf(formOf(definition))), name).toBe(canonical(definition));
  });

  it('leaves out what is optional and empty, and sends what is required even empty (the API then names it)', () => {
    const form = blankForm('whatsapp');
    if (form.channel !== 'whatsapp') throw new Error('a WhatsApp form');
    const def = definitionOf({ ...form, body: '', params: [] });
    expect(def).toEqual({ channel: 'whatsapp', language: 'en', category: 'utility', body: { text: '' } });
  });

  it('compares definitions whatever the order of their fields', () => {
    expect(canonical({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe(
      canonical({ a: { c: 3, d: [2, { e: 0, f: 1 }] }, b: 1 }),
    );
  });
});

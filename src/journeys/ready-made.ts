import type { JourneyDefinition } from './definition.js';

/**
 * Journeys every store has, disabled, without creating them: `POST /v1/journeys/{id}/enable`
 * stores one and turns it on (installing the suggested templates the store does not have yet),
 * and a PUT replaces it like any journey. docs/journeys.md describes each.
 */
export interface ReadyMade {
  id: string;
  definition: JourneyDefinition;
  /** Templates the journey sends, as suggested definitions (for WhatsApp: submit the same text to Meta). */
  templates: Record<string, Record<string, unknown>>;
}

const firstName = "{{ contact.first_name | default: 'there' }}";

const cartAbandonment: ReadyMade = {
  id: 'cart_abandonment',
  definition: {
    name: 'Cart abandonment',
    description:
      "Reminds a shopper of the cart they left: after 1 hour, 24 hours and 72 hours (the last with the store's discount code). Stops when they order, empty the cart or start checkout.",
    // A cart_update that empties the cart (seed 001's empty_cart) starts nothing.
    trigger: { event: 'cart_update', when: [{ field: 'event.data.empty_cart', op: 'ne', value: true }] },
    entry: { buffer: '15m', reentry: 'every_time' },
    exit: { orderPlaced: true, cartEmptied: true, events: ['checkout_started', 'order_created'], partnerCheck: true },
    steps: [
      { id: 'wait_1h', type: 'wait', duration: '1h' },
      { id: 'reminder_1', type: 'send', channel: 'whatsapp', template: 'cart_reminder_1' },
      { id: 'wait_24h', type: 'wait', duration: '23h' },
      { id: 'reminder_2', type: 'send', channel: 'whatsapp', template: 'cart_reminder_2' },
      { id: 'wait_72h', type: 'wait', duration: '48h' },
      { id: 'reminder_3', type: 'send', channel: 'whatsapp', template: 'cart_reminder_discount' },
    ],
  },
  templates: {
    cart_reminder_1: {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hi {{1}}, you left {{2}} in your cart. It is still waiting for you: {{3}}' },
      parameters: {
        1: firstName,
        2: "{{ cart.items[0].title | default: 'something' }}",
        3: '{{ cart.link | default: store.name }}',
      },
    },
    cart_reminder_2: {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hi {{1}}, your cart at {{2}} is about to expire. Complete your order: {{3}}' },
      parameters: { 1: firstName, 2: '{{ store.name }}', 3: '{{ cart.link | default: store.name }}' },
    },
    cart_reminder_discount: {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hi {{1}}, your cart is still here, and code {{2}} takes something off it: {{3}}' },
      // discount_code comes from the store's journey settings (PUT /v1/journey-settings).
      parameters: { 1: firstName, 2: '{{ params.discount_code }}', 3: '{{ cart.link | default: store.name }}' },
    },
  },
};

const browseAbandonment: ReadyMade = {
  id: 'browse_abandonment',
  definition: {
    name: 'Browse abandonment',
    description:
      'A shopper looked at a product or a collection and left: one reminder after 2 hours, unless they add to cart, check out or order.',
    trigger: { event: ['product_view', 'collection_view'] },
    entry: { buffer: '15m', reentry: { every: '7d' } },
    exit: { orderPlaced: true, events: ['cart_update', 'checkout_started', 'order_created'], partnerCheck: true },
    steps: [
      { id: 'wait_2h', type: 'wait', duration: '2h' },
      {
        id: 'what',
        type: 'branch',
        cases: [{ when: [{ field: 'event.name', op: 'eq', value: 'collection_view' }], next: 'collection_reminder' }],
        else: 'product_reminder',
      },
      { id: 'product_reminder', type: 'send', channel: 'whatsapp', template: 'browse_reminder_product', next: 'done' },
      {
        id: 'collection_reminder',
        type: 'send',
        channel: 'whatsapp',
        template: 'browse_reminder_collection',
        next: 'done',
      },
      { id: 'done', type: 'exit' },
    ],
  },
  templates: {
    // Strict Liquid: every value named here is one the event type always carries (seed 001).
    browse_reminder_product: {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hi {{1}}, still thinking about {{2}}? Take another look: {{3}}' },
      parameters: {
        1: firstName,
        2: "{{ event.data.title | default: 'it' }}",
        3: '{{ event.data.product_url | default: store.name }}',
      },
    },
    browse_reminder_collection: {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hi {{1}}, new favourites are waiting for you: {{2}}' },
      parameters: { 1: firstName, 2: '{{ event.data.collection_url | default: store.name }}' },
    },
  },
};

const orderReceipt: ReadyMade = {
  id: 'order_receipt',
  definition: {
    name: 'Order receipt',
    description:
      "Confirms each new order at once (WhatsApp utility template; edit the step to send seed 002's Messenger receipt instead).",
    trigger: { event: 'order_created' },
    entry: { buffer: '0s', key: 'event.order_id', reentry: 'once' },
    steps: [{ id: 'receipt', type: 'send', channel: 'whatsapp', template: 'order_receipt' }],
  },
  templates: {
    order_receipt: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Thank you, {{1}}! We have your order {{2}} for {{3}}.' },
      parameters: {
        1: firstName,
        2: '{{ order.number }}',
        3: '{{ order.total | money_with_currency: order.currency }}',
      },
    },
  },
};

const shippingUpdates: ReadyMade = {
  id: 'shipping_updates',
  definition: {
    name: 'Shipping updates',
    description: 'Tells the shopper when their order ships, is out for delivery and is delivered.',
    trigger: {
      event: 'shipment_update',
      when: [{ field: 'event.sub_name', op: 'in', value: ['shipped', 'out_for_delivery', 'delivered'] }],
    },
    entry: { buffer: '0s', reentry: 'every_time' },
    steps: [
      {
        id: 'which',
        type: 'branch',
        cases: [
          { when: [{ field: 'event.sub_name', op: 'eq', value: 'shipped' }], next: 'shipped' },
          { when: [{ field: 'event.sub_name', op: 'eq', value: 'out_for_delivery' }], next: 'out_for_delivery' },
        ],
        else: 'delivered',
      },
      { id: 'shipped', type: 'send', channel: 'whatsapp', template: 'shipment_shipped', next: 'done' },
      {
        id: 'out_for_delivery',
        type: 'send',
        channel: 'whatsapp',
        template: 'shipment_out_for_delivery',
        next: 'done',
      },
      { id: 'delivered', type: 'send', channel: 'whatsapp', template: 'shipment_delivered', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  },
  templates: {
    shipment_shipped: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hi {{1}}, your order {{2}} has shipped.' },
      parameters: { 1: firstName, 2: '{{ order.number }}' },
    },
    shipment_out_for_delivery: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hi {{1}}, your order {{2}} is out for delivery today.' },
      parameters: { 1: firstName, 2: '{{ order.number }}' },
    },
    shipment_delivered: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hi {{1}}, your order {{2}} was delivered. Enjoy!' },
      parameters: { 1: firstName, 2: '{{ order.number }}' },
    },
  },
};

const failedDelivery: ReadyMade = {
  id: 'failed_delivery',
  definition: {
    name: 'Failed delivery (NDR)',
    description:
      "A delivery failed: asks the shopper what to do with buttons for the resolutions (seed 004: re-attempt, new date, cancel). The tap goes to the store's webhook (message.reply) and is recorded on the run; without an answer in 24 hours, one reminder.",
    trigger: { event: 'shipment_update', when: [{ field: 'event.sub_name', op: 'eq', value: 'failed_delivery' }] },
    entry: { buffer: '0s', key: 'event.order_id', reentry: 'every_time' },
    steps: [
      { id: 'ask', type: 'send', channel: 'whatsapp', template: 'ndr_options' },
      {
        id: 'answer',
        type: 'wait_for',
        event: 'whatsapp_message_received',
        timeout: '24h',
        next: 'done',
        onTimeout: 'ask_again',
        recordReply: 'shipment',
      },
      { id: 'ask_again', type: 'send', channel: 'whatsapp', template: 'ndr_options', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  },
  templates: {
    ndr_options: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hi {{1}}, we could not deliver your order {{2}}. What would you like us to do?' },
      buttons: [
        { type: 'quick_reply', text: 'Deliver again', payload: 'ndr:reattempt' },
        { type: 'quick_reply', text: 'Choose a new date', payload: 'ndr:new_date' },
        { type: 'quick_reply', text: 'Cancel my order', payload: 'ndr:cancel' },
      ],
      parameters: { 1: firstName, 2: '{{ order.number }}' },
    },
  },
};

const codToPrepaid: ReadyMade = {
  id: 'cod_to_prepaid',
  definition: {
    name: 'COD to prepaid',
    description: 'A cash-on-delivery order: offers a payment link before it is dispatched.',
    trigger: { event: 'order_created' },
    entry: { buffer: '0s', key: 'event.order_id', reentry: 'once' },
    exit: { events: ['shipment_update', 'order_cancelled'] },
    steps: [
      { id: 'wait_10m', type: 'wait', duration: '10m' },
      {
        id: 'is_cod',
        type: 'branch',
        cases: [
          {
            when: [{ field: 'order.attributes.paymentType', op: 'in', value: ['COD', 'cod', 'Cash on Delivery'] }],
            next: 'payment_link',
          },
        ],
        else: 'not_cod',
      },
      { id: 'payment_link', type: 'send', channel: 'whatsapp', template: 'cod_payment_link', next: 'done' },
      { id: 'not_cod', type: 'exit' },
      { id: 'done', type: 'exit' },
    ],
  },
  templates: {
    cod_payment_link: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hi {{1}}, pay {{2}} for order {{3}} now and skip the cash at your door: {{4}}' },
      parameters: {
        1: firstName,
        2: '{{ order.total | money_with_currency: order.currency }}',
        3: '{{ order.number }}',
        4: '{{ params.payment_link }}',
      },
    },
  },
};

export const READY_MADE: ReadyMade[] = [
  cartAbandonment,
  browseAbandonment,
  orderReceipt,
  shippingUpdates,
  failedDelivery,
  codToPrepaid,
];

export const readyMade = (id: string): ReadyMade | undefined => READY_MADE.find((r) => r.id === id);

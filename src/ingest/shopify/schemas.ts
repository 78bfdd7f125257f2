import Type from 'typebox';

/**
 * The parts of Shopify's webhook payloads (REST shapes, API 2024-01 and later) Storewire reads,
 * per topic. Everything else passes through untouched. Each schema also names a field the
 * other topics' payloads lack, so a payload sent under the wrong topic is told apart.
 */

/** Shopify ids are 64-bit integers; those past 2^53 arrive here as digit strings (json-big-ints). */
const Id = Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }), Type.Integer()]);
const Time = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength = 2048) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const Optional = <T extends Parameters<typeof Type.Optional>[0]>(schema: T) => Type.Optional(schema);
const Money = Type.Union([Type.String({ maxLength: 40 }), Type.Number()]);
const NullableId = Type.Union([Id, Type.Null()]);

const Customer = Type.Object({
  id: Id,
  email: Optional(Text(320)),
  phone: Optional(Text(64)),
  first_name: Optional(Text(256)),
  last_name: Optional(Text(256)),
});

export const CheckoutLine = Type.Object({
  product_id: Optional(NullableId),
  variant_id: Optional(NullableId),
  title: Optional(Text(512)),
  variant_title: Optional(Text(512)),
  quantity: Type.Integer({ minimum: 0 }),
  price: Optional(Type.Union([Money, Type.Null()])),
  line_price: Optional(Type.Union([Money, Type.Null()])),
});

/** checkouts/create, checkouts/update: an abandoned checkout. */
export const ShopifyCheckout = Type.Object({
  token: Id,
  updated_at: Time,
  created_at: Optional(Text(64)),
  completed_at: Optional(Text(64)),
  // Only checkouts have a recovery link; the key is there even when Shopify has none yet.
  abandoned_checkout_url: Text(4096),
  line_items: Type.Array(CheckoutLine, { maxItems: 1000 }),
  email: Optional(Text(320)),
  phone: Optional(Text(64)),
  currency: Optional(Text(8)),
  presentment_currency: Optional(Text(8)),
  total_price: Optional(Type.Union([Money, Type.Null()])),
  customer: Optional(Type.Union([Customer, Type.Null()])),
});

export const OrderLine = Type.Object({
  id: Id,
  product_id: Optional(NullableId),
  variant_id: Optional(NullableId),
  title: Optional(Text(512)),
  name: Optional(Text(512)),
  variant_title: Optional(Text(512)),
  sku: Optional(Text(256)),
  quantity: Type.Integer({ minimum: 0 }),
  price: Money,
});

/** orders/create, orders/updated, orders/paid, orders/cancelled, orders/fulfilled. */
export const ShopifyOrder = Type.Object({
  id: Id,
  created_at: Time,
  updated_at: Time,
  // Only orders have a financial status (null on some old orders, but the key is there).
  financial_status: Text(64),
  fulfillment_status: Optional(Text(64)),
  cancelled_at: Optional(Text(64)),
  cancel_reason: Optional(Text(256)),
  name: Optional(Text(256)),
  email: Optional(Text(320)),
  contact_email: Optional(Text(320)),
  phone: Optional(Text(64)),
  currency: Type.String({ minLength: 1, maxLength: 8 }),
  total_price: Money,
  line_items: Type.Array(OrderLine, { maxItems: 1000 }),
  payment_gateway_names: Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 50 })),
  customer: Optional(Type.Union([Customer, Type.Null()])),
});

/** fulfillments/create, fulfillments/update: a shipment of some of an order's items. */
export const ShopifyFulfillment = Type.Object({
  id: Id,
  order_id: Id,
  status: Type.String({ minLength: 1, maxLength: 64 }),
  shipment_status: Optional(Text(64)),
  created_at: Optional(Text(64)),
  updated_at: Time,
  tracking_company: Optional(Text(256)),
  tracking_number: Optional(Text(256)),
  // A fulfillment lists the order lines it carries; a fulfillment event does not.
  line_items: Type.Array(Type.Object({ id: Id }), { maxItems: 1000 }),
});

/** fulfillment_events/create: one step of a shipment's tracking. */
export const ShopifyFulfillmentEvent = Type.Object({
  id: Id,
  fulfillment_id: Id,
  order_id: Id,
  status: Type.String({ minLength: 1, maxLength: 64 }),
  happened_at: Text(64),
  created_at: Optional(Text(64)),
  message: Optional(Text(2048)),
  city: Optional(Text(256)),
  province: Optional(Text(256)),
  country: Optional(Text(256)),
});

const Consent = Type.Union([
  Type.Object({
    state: Type.String({ minLength: 1, maxLength: 64 }),
    opt_in_level: Optional(Text(64)),
    consent_updated_at: Optional(Text(64)),
  }),
  Type.Null(),
]);

/** customers/create, customers/update. */
export const ShopifyCustomer = Type.Object({
  id: Id,
  created_at: Optional(Text(64)),
  updated_at: Optional(Text(64)),
  email: Optional(Text(320)),
  phone: Optional(Text(64)),
  first_name: Optional(Text(256)),
  last_name: Optional(Text(256)),
  state: Optional(Text(64)),
  tags: Optional(Text(4096)),
  email_marketing_consent: Optional(Consent),
  sms_marketing_consent: Optional(Consent),
});

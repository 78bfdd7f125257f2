import Type from 'typebox';

/** Seed 001's event webhooks, as JSON Schema: validation, types and the OpenAPI document. */

const ExternalId = Type.Union([Type.String({ minLength: 1, maxLength: 256, pattern: '\\S' }), Type.Number()]);
const OptionalText = (maxLength = 2048) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
const Amount = Type.Union([Type.Number(), Type.String({ maxLength: 40 })]);

export const NativeCustomer = Type.Object(
  {
    customer_id: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Null()])),
    email: OptionalText(320),
    phone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Null()])),
    name: OptionalText(256),
  },
  { description: 'The shopper: at least one of customer_id, email or phone.' },
);

export const NativeLineItem = Type.Object({
  product_id: ExternalId,
  variant_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
  title: OptionalText(512),
  quantity: Type.Optional(Type.Number({ minimum: 0 })),
  line_price: Type.Optional(Type.Union([Amount, Type.Null()])),
  product_url: OptionalText(),
  image_url: OptionalText(),
});

export const CartEventData = Type.Object(
  {
    empty_cart: Type.Optional(Type.Boolean()),
    cart_link: OptionalText(),
    recent_product_image: OptionalText(),
    price: Type.Optional(
      Type.Object({ amount: Type.Optional(Type.Union([Amount, Type.Null()])), currency: OptionalText(8) }),
    ),
    line_items: Type.Array(NativeLineItem, { maxItems: 1000, description: 'The whole cart after the change.' }),
    items_added: Type.Optional(Type.Array(NativeLineItem, { maxItems: 1000 })),
    items_removed: Type.Optional(Type.Array(NativeLineItem, { maxItems: 1000 })),
  },
  { description: 'cart_update (and optionally checkout_started): the cart after the change.' },
);

export const ProductViewData = Type.Object({
  product_id: ExternalId,
  variant_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
  title: OptionalText(512),
  currency: OptionalText(8),
  price: Type.Optional(Type.Union([Amount, Type.Null()])),
  quantity: Type.Optional(Type.Number()),
  line_price: Type.Optional(Type.Union([Amount, Type.Null()])),
  product_url: OptionalText(),
  image_url: OptionalText(),
});

export const CollectionViewData = Type.Object({
  product_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
  variant_id: Type.Optional(Type.Union([ExternalId, Type.Null()])),
  title: OptionalText(512),
  line_price: Type.Optional(Type.Union([Amount, Type.Null()])),
  collection_url: OptionalText(),
  image_url: OptionalText(),
});

export const NativeEvent = Type.Object(
  {
    event_id: Type.String({
      minLength: 1,
      maxLength: 256,
      pattern: '\\S',
      description: 'Unique per store; a repeat is a duplicate.',
    }),
    organization_id: Type.Optional(Type.String({ maxLength: 256 })),
    event_name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'product_view, collection_view, cart_update, checkout_started, or any custom name.',
    }),
    sub_event_name: OptionalText(100),
    timestamp: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()]),
    customer: NativeCustomer,
    event_data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'A store event (seed 001).' },
);

export const NativeEventsBody = Type.Union(
  [NativeEvent, Type.Array(NativeEvent), Type.Object({ events: Type.Array(NativeEvent) })],
  { description: 'One event, an array of events, or {"events": [...]}.' },
);

export const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      error: Type.Object({ code: Type.String(), message: Type.String(), path: Type.Optional(Type.String()) }),
    }),
  ),
  warnings: Type.Optional(
    Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
  ),
});

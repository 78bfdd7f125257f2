import Type from 'typebox';

/** Seed 003's "Generate event" request. */
export const GenerateEventBody = Type.Object(
  {
    eventTypeKey: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'orderCreated, orderUpdated, orderDelivered, orderCancelled, or a custom event name.',
    }),
    keyValue: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Null()])),
    params: Type.Optional(
      Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), value: Type.Unknown() }), {
        maxItems: 500,
      }),
    ),
  },
  { description: 'Parameter names are matched case-insensitively; items may be an array or a JSON string.' },
);

export const GenerateEventResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('ignored')]),
  eventId: Type.String(),
  contactId: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Optional(Type.String()),
  reason: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
});

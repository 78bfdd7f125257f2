import Type from 'typebox';

/**
 * Segment's HTTP tracking API (track, identify, page, screen, group, alias and batch), as JSON
 * Schema: validation of each message, and the OpenAPI document. Messages carry many more
 * fields (context, integrations, _metadata...); those are allowed and kept out of the way.
 */

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

const Id = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Null()], { description }));
const Time = (description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Null()], { description }));
const Dict = (description: string) =>
  Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description }));
const Text = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

export const SegmentMessage = Type.Object(
  {
    type: Type.Optional(
      Type.Union(
        SEGMENT_TYPES.map((t) => Type.Literal(t)),
        { description: 'Required in a batch; implied by the route otherwise.' },
      ),
    ),
    messageId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()], {
        description: 'Unique per message; a repeat is a duplicate.',
      }),
    ),
    userId: Id("The store's customer id."),
    anonymousId: Id("The browser's or device's id before the shopper is known."),
    previousId: Id('alias: the id the shopper had before (usually the anonymousId).'),
    groupId: Id('group: the account the shopper belongs to.'),
    event: Type.Optional(Type.String({ maxLength: 200, description: 'track: the event name, e.g. "Product Viewed".' })),
    name: Text(512),
    category: Text(512),
    properties: Dict('track, page, screen: what happened.'),
    traits: Dict('identify, group: who the shopper is (email, phone, name, firstName, lastName, and any other).'),
    context: Dict('context.traits may carry the email or phone of the shopper.'),
    timestamp: Time('When it happened, by the client clock (ISO 8601).'),
    originalTimestamp: Time('Read when timestamp is absent.'),
    sentAt: Time('When the client sent it, by the same clock: used to correct its skew.'),
  },
  { description: 'A Segment message (Segment spec).' },
);

export const SegmentBatchBody = Type.Object(
  {
    batch: Type.Array(SegmentMessage, { description: 'Up to 500 KB in all, 32 KB per message.' }),
    sentAt: Time('When the batch was sent, by the client clock.'),
    writeKey: Type.Optional(Type.String({ description: 'The write key, when not sent as HTTP Basic user.' })),
    context: Dict('Context shared by every message of the batch.'),
  },
  { description: 'A Segment batch, as @segment/analytics-node and RudderStack send it.' },
);

export const SegmentResult = Type.Object({
  success: Type.Boolean(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer(),
      error: Type.Object({ code: Type.String(), message: Type.String(), path: Type.Optional(Type.String()) }),
    }),
  ),
  warnings: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
});

import Type from 'typebox';
import { SHIPMENT_STATUSES } from '../domain/store-event.js';
import { NativeCustomer } from './native-schemas.js';

const ExternalId = Type.Union([Type.String({ minLength: 1, maxLength: 256, pattern: '\\S' }), Type.Number()]);

const Ndr = Type.Object(
  {
    ndrCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Null()])),
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
    resolutions: Type.Optional(
      Type.Array(
        Type.Object({
          resolutionCode: Type.String({ minLength: 1, maxLength: 64 }),
          action: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        { maxItems: 20 },
      ),
    ),
  },
  { description: 'Why a delivery failed and what the shopper may choose (seed 004 ndrDetails).' },
);

/** One status update of a shipment (see docs/shipments.md). */
export const ShipmentEvent = Type.Object({
  eventId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'Optional idempotency key; by default shipment + status + time.',
    }),
  ),
  shipmentId: ExternalId,
  orderId: ExternalId,
  status: Type.Union(SHIPMENT_STATUSES.map((s) => Type.Literal(s))),
  updatedAt: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()], {
    description: 'When the status happened: ISO 8601, "YYYY-MM-DD HH:mm:ss" in the store time zone, or epoch.',
  }),
  trackingId: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  courierName: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
  remark: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  location: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
  itemIds: Type.Optional(
    Type.Array(ExternalId, { maxItems: 500, description: 'Order items in this shipment; all when absent.' }),
  ),
  ndr: Type.Optional(Ndr),
  ndrDetails: Type.Optional(Ndr),
  customer: Type.Optional(NativeCustomer),
});

export const ShipmentEventsBody = Type.Union([
  ShipmentEvent,
  Type.Array(ShipmentEvent),
  Type.Object({ events: Type.Array(ShipmentEvent) }),
]);

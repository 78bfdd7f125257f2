import { createHash } from 'node:crypto';
import { resolveIdentity } from '../domain/identity.js';
import type { Adapted, Identity, NdrDetails, ShipmentStatus, StoreContext, Warning } from '../domain/store-event.js';
import { formatIsoUtc, parseTimestamp } from '../domain/time.js';
import { ShipmentEvent } from './shipment-schema.js';
import { checker } from './validate.js';

const shipmentChecker = checker(ShipmentEvent);

type Raw = Record<string, unknown>;
const text = (value: unknown): string | null =>
  typeof value === 'number' ? String(value) : typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** A shipment status update -> StoreEvent named shipment_update, with the status as sub event. */
export function adaptShipmentEvent(raw: unknown, ctx: StoreContext): Adapted {
  const problem = shipmentChecker.check(raw);
  if (problem) return { ok: false, error: problem };
  const input = raw as Raw;
  // The schema allows any non-empty text; an id of only spaces names no shipment or order.
  for (const field of ['shipmentId', 'orderId'] as const) {
    if (text(input[field]) === null) {
      return {
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: `/${field} must not be blank`, path: `/${field}` },
      };
    }
  }
  const occurredAt = parseTimestamp(input.updatedAt, ctx.timeZone);
  if (occurredAt === null) {
    return {
      ok: false,
      error: {
        code: 'INVALID_TIMESTAMP',
        message: `/updatedAt "${String(input.updatedAt)}" is not a time`,
        path: '/updatedAt',
      },
    };
  }

  let identity: Identity = {};
  let warnings: Warning[] = [];
  if (input.customer) {
    const customer = input.customer as Raw;
    const who = resolveIdentity(
      { customerId: customer.customer_id, email: customer.email, phone: customer.phone, name: customer.name },
      ctx.defaultCountry,
    );
    // The order names the shopper; a customer block here is a hint, so a bad one is only a warning.
    if (who.ok) ({ identity, warnings } = who);
    else warnings = [{ code: who.code, message: `${who.message}; the customer block was ignored` }];
  }

  const shipmentId = text(input.shipmentId)!;
  const status = input.status as ShipmentStatus;
  const eventId =
    text(input.eventId) ??
    `sh_${createHash('sha256')
      .update(JSON.stringify([shipmentId, status, occurredAt]))
      .digest('hex')
      .slice(0, 40)}`;

  return {
    ok: true,
    event: {
      eventId,
      name: 'shipment_update',
      subName: status,
      kind: 'activity',
      source: 'shipment_api',
      occurredAt,
      timestamp: typeof input.updatedAt === 'string' ? input.updatedAt : formatIsoUtc(occurredAt),
      data: input,
      identity,
      products: [],
      shipment: {
        shipmentId,
        orderId: text(input.orderId)!,
        status,
        remark: text(input.remark) ?? '',
        location: text(input.location) ?? '',
        trackingId: text(input.trackingId),
        courierName: text(input.courierName),
        ndr: ndrFrom((input.ndr ?? input.ndrDetails) as Raw | undefined),
        itemIds: ((input.itemIds as unknown[] | undefined) ?? []).map((id) => String(id)),
      },
      warnings,
    },
  };
}

function ndrFrom(raw: Raw | undefined): NdrDetails | null {
  if (!raw) return null;
  return {
    ndrCode: text(raw.ndrCode),
    reason: text(raw.reason),
    resolutions: ((raw.resolutions as { resolutionCode: string; action: string }[] | undefined) ?? []).map((r) => ({
      resolutionCode: r.resolutionCode,
      action: r.action,
    })),
  };
}

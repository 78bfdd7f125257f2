import Type from 'typebox';
import type { NdrDetails, Rejection, StoreContext, StoreEvent } from '../../domain/store-event.js';
import { parseTimestamp } from '../../domain/time.js';
import { checker } from '../validate.js';
import { asReturn, shiprocketStatus } from './statuses.js';

type Raw = Record<string, unknown>;

const Id = Type.Union([Type.String({ minLength: 1, maxLength: 256, pattern: '\\S' }), Type.Number()]);
const Text = (maxLength = 1024) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Number(), Type.Null()]));

/** The parts of Shiprocket's tracking webhook Storewire reads (the rest is kept as sent). */
export const ShiprocketTracking = Type.Object({
  awb: Id,
  order_id: Id,
  courier_name: Text(256),
  current_status: Text(256),
  shipment_status: Text(256),
  shipment_status_id: Text(16),
  current_timestamp: Text(64),
  is_return: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 8 }), Type.Null()])),
  scans: Type.Optional(
    Type.Array(Type.Object({ date: Text(64), activity: Text(2048), location: Text(512), status: Text(64) }), {
      maxItems: 2000,
    }),
  ),
});

const trackingChecker = checker(ShiprocketTracking);

/** Shiprocket writes times in India's time, whatever the store's zone. */
const SHIPROCKET_ZONE = 'Asia/Kolkata';

export type ShiprocketAdapted =
  | { kind: 'events'; events: StoreEvent[] }
  | { kind: 'ignored'; topic: string; reason: { code: string; message: string } }
  | { kind: 'invalid'; error: Rejection };

const text = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value)
    ? String(value)
    : typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : null;

/** "23 05 2023 11:43:52" (current_timestamp) or "2023-05-23 11:43:46" (scans), in India's time. */
export function shiprocketTime(value: unknown): number | null {
  const raw = text(value);
  if (!raw) return null;
  const dayFirst = /^(\d{2})[ -/](\d{2})[ -/](\d{4})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(raw);
  return parseTimestamp(
    dayFirst ? `${dayFirst[3]}-${dayFirst[2]}-${dayFirst[1]} ${dayFirst[4]}` : raw,
    SHIPROCKET_ZONE,
  );
}

/**
 * Resolutions a shopper may choose after a failed delivery: Shiprocket's two NDR actions
 * (re-attempt, return), so the store can pass the choice on through Shiprocket's NDR API.
 */
const NDR_RESOLUTIONS = [
  { resolutionCode: 're-attempt', action: 'I would like another delivery attempt' },
  { resolutionCode: 'return', action: 'I no longer want the order' },
];

/**
 * Shiprocket's tracking webhook (one per new scan) -> a shipment_update on the shipment its
 * AWB names, for the order its order_id names, at the time of the current status. Each update
 * is one timeline entry: a redelivery (same AWB, status and time) is a duplicate, and a late
 * one is filed where it belongs. The scans are kept in the event's data.
 */
export function adaptShiprocketTracking(payload: unknown, _ctx: StoreContext): ShiprocketAdapted {
  const problem = trackingChecker.check(payload);
  if (problem) return { kind: 'invalid', error: problem };
  const input = payload as Raw;
  const label = text(input.shipment_status) ?? text(input.current_status) ?? '';
  const code = text(input.shipment_status_id);
  const topic = `status ${code ?? '?'} ${label}`.trim();
  let status = shiprocketStatus(code, label) ?? shiprocketStatus(null, text(input.current_status));
  if (!status) {
    return {
      kind: 'ignored',
      topic,
      reason: {
        code: 'UNKNOWN_STATUS',
        message: `the Shiprocket status ${code ?? ''} "${label}" is not one Storewire maps to the shipment timeline`,
      },
    };
  }
  const returning = input.is_return === 1 || input.is_return === true || input.is_return === '1';
  if (returning) status = asReturn(status);

  const scans = ((input.scans as Raw[] | undefined) ?? [])
    .map((scan) => ({ scan, at: shiprocketTime(scan.date) }))
    .filter((s): s is { scan: Raw; at: number } => s.at !== null)
    .sort((a, b) => a.at - b.at);
  const latest = scans[scans.length - 1];
  const at = shiprocketTime(input.current_timestamp) ?? latest?.at ?? null;
  if (at === null) {
    return {
      kind: 'invalid',
      error: {
        code: 'INVALID_TIMESTAMP',
        message: '/current_timestamp is not a time and no scan has one',
        path: '/current_timestamp',
      },
    };
  }

  const awb = text(input.awb)!;
  const orderId = text(input.order_id)!;
  const remark = text(latest?.scan.activity) ?? label;
  const ndr: NdrDetails | null =
    status === 'failed_delivery' ? { ndrCode: code, reason: remark, resolutions: NDR_RESOLUTIONS } : null;
  const eventId = `shiprocket:${awb}:${code ?? label}:${at}`;
  const events: StoreEvent[] = [
    {
      eventId,
      name: 'shipment_update',
      subName: status,
      kind: 'activity',
      source: 'shiprocket',
      occurredAt: at,
      timestamp: new Date(at).toISOString(),
      data: input,
      identity: {},
      products: [],
      shipment: {
        shipmentId: awb,
        orderId,
        status,
        remark,
        location: text(latest?.scan.location) ?? '',
        trackingId: awb,
        courierName: text(input.courier_name),
        ndr,
        itemIds: [],
      },
      warnings: [],
    },
  ];
  // Delivered to the shopper: the order is DELIVERED (ignored when Storewire does not have it).
  if (status === 'delivered') {
    events.push({
      eventId: `${eventId}:order_delivered`,
      name: 'order_delivered',
      subName: null,
      kind: 'activity',
      source: 'shiprocket',
      occurredAt: at,
      timestamp: new Date(at).toISOString(),
      data: { awb, orderId },
      identity: {},
      products: [],
      order: { kind: 'set_status', orderId, status: 'DELIVERED' },
      warnings: [],
    });
  }
  return { kind: 'events', events };
}

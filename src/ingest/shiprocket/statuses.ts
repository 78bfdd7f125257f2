import type { ShipmentStatus } from '../../domain/store-event.js';

/**
 * Shiprocket's shipment status codes (shipment_status_id, a scan's sr-status) with their labels,
 * and the timeline status each means. Statuses that only say where a parcel is on the way are
 * in_transit; losses and destruction end the shipment as cancelled (the timeline keeps the
 * label as remark). docs/connectors-shopify.md shows the table.
 */
export const SHIPROCKET_STATUSES: Record<number, [label: string, status: ShipmentStatus]> = {
  0: ['NEW', 'created'],
  1: ['AWB ASSIGNED', 'created'],
  2: ['LABEL GENERATED', 'created'],
  3: ['PICKUP SCHEDULED', 'created'],
  4: ['PICKUP QUEUED', 'created'],
  5: ['MANIFEST GENERATED', 'created'],
  6: ['SHIPPED', 'shipped'],
  7: ['DELIVERED', 'delivered'],
  8: ['CANCELED', 'cancelled'],
  9: ['RTO INITIATED', 'rto_initiated'],
  10: ['RTO DELIVERED', 'rto_delivered'],
  11: ['PENDING', 'created'],
  12: ['LOST', 'cancelled'],
  13: ['PICKUP ERROR', 'created'],
  14: ['RTO ACKNOWLEDGED', 'rto_delivered'],
  15: ['PICKUP RESCHEDULED', 'created'],
  17: ['OUT FOR DELIVERY', 'out_for_delivery'],
  18: ['IN TRANSIT', 'in_transit'],
  19: ['OUT FOR PICKUP', 'created'],
  20: ['PICKUP EXCEPTION', 'created'],
  21: ['UNDELIVERED', 'failed_delivery'],
  22: ['DELAYED', 'in_transit'],
  23: ['PARTIAL DELIVERED', 'delivered'],
  24: ['DESTROYED', 'cancelled'],
  25: ['DAMAGED', 'cancelled'],
  26: ['FULFILLED', 'delivered'],
  27: ['PICKUP BOOKED', 'created'],
  38: ['REACHED AT DESTINATION HUB', 'in_transit'],
  39: ['MISROUTED', 'in_transit'],
  40: ['RTO NDR', 'rto_in_transit'],
  41: ['RTO OFD', 'rto_in_transit'],
  42: ['PICKED UP', 'shipped'],
  43: ['SELF FULFILLED', 'delivered'],
  44: ['DISPOSED OFF', 'cancelled'],
  45: ['CANCELLED BEFORE DISPATCHED', 'cancelled'],
  46: ['RTO IN INTRANSIT', 'rto_in_transit'],
  47: ['QC FAILED', 'cancelled'],
  48: ['REACHED WAREHOUSE', 'in_transit'],
  49: ['CUSTOM CLEARED', 'in_transit'],
  50: ['IN FLIGHT', 'in_transit'],
  51: ['HANDOVER TO COURIER', 'shipped'],
  52: ['SHIPMENT BOOKED', 'created'],
  54: ['IN TRANSIT OVERSEAS', 'in_transit'],
  55: ['CONNECTION ALIGNED', 'in_transit'],
  56: ['REACHED OVERSEAS WAREHOUSE', 'in_transit'],
  57: ['CUSTOM CLEARED OVERSEAS', 'in_transit'],
  59: ['BOX PACKING', 'packed'],
  60: ['FC ALLOCATED', 'packed'],
  61: ['PICKLIST GENERATED', 'packed'],
  62: ['READY TO PACK', 'packed'],
  63: ['PACKED', 'packed'],
  67: ['FC MANIFEST GENERATED', 'packed'],
  68: ['PROCESSED AT WAREHOUSE', 'packed'],
  71: ['HANDOVER EXCEPTION', 'in_transit'],
  72: ['PACKED EXCEPTION', 'packed'],
  75: ['RTO LOCK', 'rto_initiated'],
  76: ['UNTRACEABLE', 'in_transit'],
  77: ['ISSUE RELATED TO THE RECIPIENT', 'failed_delivery'],
  78: ['REACHED BACK AT SELLER CITY', 'rto_in_transit'],
};

/** "RTO_NDR", "Rto-Ndr", "rto ndr" -> "RTO NDR". */
export const normalizeLabel = (label: string) =>
  label
    .trim()
    .toUpperCase()
    .replace(/[\s_-]+/g, ' ');

const BY_LABEL = new Map<string, ShipmentStatus>(
  [
    ...Object.values(SHIPROCKET_STATUSES).map(([label, status]) => [label, status] as const),
    // Other spellings seen in Shiprocket payloads.
    ['CANCELLED', 'cancelled'],
    ['RTO IN TRANSIT', 'rto_in_transit'],
    ['PARTIAL_DELIVERED', 'delivered'],
  ].map(([label, status]) => [normalizeLabel(label), status as ShipmentStatus]),
);

/** The timeline status for a status code (preferred: labels vary in spelling) or else a label. */
export function shiprocketStatus(code: unknown, label: unknown): ShipmentStatus | null {
  const number =
    typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code.trim()) ? Number(code) : NaN;
  const byCode = SHIPROCKET_STATUSES[number];
  if (byCode) return byCode[1];
  return typeof label === 'string' ? (BY_LABEL.get(normalizeLabel(label)) ?? null) : null;
}

/**
 * A customer return (is_return) travels back to the seller: the same steps read as the return
 * leg of the timeline, so its "delivered" is never taken for the order's delivery.
 */
export function asReturn(status: ShipmentStatus): ShipmentStatus {
  switch (status) {
    case 'created':
    case 'packed':
    case 'shipped':
      return 'rto_initiated';
    case 'in_transit':
    case 'out_for_delivery':
    case 'failed_delivery':
      return 'rto_in_transit';
    case 'delivered':
      return 'rto_delivered';
    default:
      return status;
  }
}

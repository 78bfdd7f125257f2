import type { NdrDetails, ShipmentStatus, StoreContext, StoreEvent } from '../../domain/store-event.js';
import { checker } from '../validate.js';
import { mismatch, shopifyTime, text, type Raw, type ShopifyAdapted, type ShopifyDelivery } from './common.js';
import { ShopifyFulfillment, ShopifyFulfillmentEvent } from './schemas.js';

const fulfillmentChecker = checker(ShopifyFulfillment);
const fulfillmentEventChecker = checker(ShopifyFulfillmentEvent);

/** A carrier's tracking status (fulfillment shipment_status, fulfillment event status) -> timeline status. */
export const SHOPIFY_TRACKING_STATUS: Record<string, ShipmentStatus> = {
  confirmed: 'created',
  label_purchased: 'packed',
  label_printed: 'packed',
  carrier_picked_up: 'shipped',
  in_transit: 'in_transit',
  delayed: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  // Local pickup: waiting at the store for the shopper, the last step before they have it.
  ready_for_pickup: 'out_for_delivery',
  attempted_delivery: 'failed_delivery',
  failure: 'failed_delivery',
  delivered: 'delivered',
  picked_up: 'delivered',
};

/** A fulfillment's own status, used while the carrier has reported nothing. */
export const SHOPIFY_FULFILLMENT_STATUS: Record<string, ShipmentStatus> = {
  pending: 'created',
  open: 'created',
  success: 'shipped',
  cancelled: 'cancelled',
  error: 'cancelled',
  failure: 'cancelled',
};

const humanize = (status: string) => status.replace(/_/g, ' ');

/**
 * fulfillments/create and fulfillments/update: a shipment (the fulfillment id) of the order,
 * with its tracking number and carrier and the items it carries; its status is the carrier's
 * latest (shipment_status) or, before the carrier reports, the fulfillment's own. It is filed
 * in the shipment's timeline at the fulfillment's updated_at, so a late delivery lands where it
 * belongs and never takes the shipment back.
 */
export function adaptFulfillment(delivery: ShopifyDelivery, _ctx: StoreContext): ShopifyAdapted {
  const { topic, payload } = delivery;
  const problem = fulfillmentChecker.check(payload);
  if (problem) return mismatch(topic, problem.message, problem.path ?? 'body');
  const at = shopifyTime(payload.updated_at);
  if (at === null) return mismatch(topic, `/updated_at "${String(payload.updated_at)}" is not a time`, '/updated_at');

  const tracking = text(payload.shipment_status);
  const own = text(payload.status)!;
  const status = (tracking ? SHOPIFY_TRACKING_STATUS[tracking] : undefined) ?? SHOPIFY_FULFILLMENT_STATUS[own];
  if (!status) return unknownStatus(tracking ?? own);
  const said = tracking ?? own;
  return {
    kind: 'events',
    events: shipmentEvents(delivery, {
      shipmentId: text(payload.id)!,
      orderId: text(payload.order_id)!,
      status,
      at,
      timestamp: String(payload.updated_at),
      remark: humanize(said),
      location: '',
      trackingId: text(payload.tracking_number),
      courierName: text(payload.tracking_company),
      itemIds: (payload.line_items as Raw[]).map((line) => text(line.id)!),
      ndr: status === 'failed_delivery' ? { ndrCode: said, reason: humanize(said), resolutions: [] } : null,
    }),
  };
}

/** fulfillment_events/create: one tracking step, at the time the carrier says it happened. */
export function adaptFulfillmentEvent(delivery: ShopifyDelivery, _ctx: StoreContext): ShopifyAdapted {
  const { topic, payload } = delivery;
  const problem = fulfillmentEventChecker.check(payload);
  if (problem) return mismatch(topic, problem.message, problem.path ?? 'body');
  const when = text(payload.happened_at) ?? text(payload.created_at);
  const at = shopifyTime(when);
  if (at === null)
    return mismatch(topic, `/happened_at "${String(payload.happened_at)}" is not a time`, '/happened_at');

  const said = text(payload.status)!;
  const status = SHOPIFY_TRACKING_STATUS[said];
  if (!status) return unknownStatus(said);
  const message = text(payload.message);
  return {
    kind: 'events',
    events: shipmentEvents(delivery, {
      shipmentId: text(payload.fulfillment_id)!,
      orderId: text(payload.order_id)!,
      status,
      at,
      timestamp: when!,
      remark: message ?? humanize(said),
      location: [payload.city, payload.province, payload.country].map(text).filter(Boolean).join(', '),
      trackingId: null,
      courierName: null,
      itemIds: [],
      ndr: status === 'failed_delivery' ? { ndrCode: said, reason: message ?? humanize(said), resolutions: [] } : null,
    }),
  };
}

interface Step {
  shipmentId: string;
  orderId: string;
  status: ShipmentStatus;
  at: number;
  timestamp: string;
  remark: string;
  location: string;
  trackingId: string | null;
  courierName: string | null;
  itemIds: string[];
  ndr: NdrDetails | null;
}

/**
 * The shipment update, and for a delivered shipment a second event marking the order
 * DELIVERED (ignored when Storewire does not have the order). Shopify puts no "delivered" on
 * the order itself; only DELIVERED orders count for revenue and RFM.
 */
function shipmentEvents(delivery: ShopifyDelivery, step: Step): StoreEvent[] {
  const { shipmentId, orderId, status, at, timestamp, remark, location, trackingId, courierName, itemIds, ndr } = step;
  const base = {
    kind: 'activity' as const,
    source: 'shopify' as const,
    occurredAt: at,
    timestamp,
    identity: {},
    products: [],
    warnings: [],
  };
  const events: StoreEvent[] = [
    {
      ...base,
      eventId: delivery.eventId,
      name: 'shipment_update',
      subName: status,
      data: { topic: delivery.topic, ...delivery.payload },
      shipment: { shipmentId, orderId, status, remark, location, trackingId, courierName, ndr, itemIds },
    },
  ];
  if (status === 'delivered') {
    events.push({
      ...base,
      eventId: `${delivery.eventId}:order_delivered`,
      name: 'order_delivered',
      subName: null,
      data: { topic: delivery.topic, orderId, shipmentId },
      order: { kind: 'set_status', orderId, status: 'DELIVERED' },
    });
  }
  return events;
}

function unknownStatus(status: string): ShopifyAdapted {
  return {
    kind: 'ignored',
    reason: {
      code: 'UNKNOWN_STATUS',
      message: `the fulfillment status "${status}" is not one Storewire maps to the shipment timeline`,
    },
  };
}

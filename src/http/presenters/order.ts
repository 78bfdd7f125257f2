import { fromMinor } from '../../domain/money.js';
import { itemsTotalMinor } from '../../domain/order-rules.js';
import type { ContactRecord, OrderRecord, ShipmentRecord } from '../../domain/records.js';
import { currentNdr, latestEntry } from '../../domain/shipment-rules.js';
import type { Store } from '../../domain/store.js';
import type { OrderItem } from '../../domain/store-event.js';
import { formatLocal } from '../../domain/time.js';

/**
 * An order in seed 004's shape: items each carry the forward tracking timeline of the shipment
 * that holds them, and the order says whether its shopper takes WhatsApp notifications.
 * Parameters the store sent with the order (paymentType, shippingAddress...) are returned as
 * they came, beside the fields Storewire computes.
 */
export function presentOrder(
  store: Store,
  order: OrderRecord,
  shipments: ShipmentRecord[],
  contact: ContactRecord | null,
) {
  const { state } = order;
  const money = (minor: number) => fromMinor(minor, state.currency);
  const local = (at: number) => formatLocal(at, store.timeZone);
  const paymentType = state.attributes.paymentType ?? null;
  const isCod =
    state.attributes.isCOD ?? (typeof paymentType === 'string' && paymentType.toUpperCase() === 'COD' ? 1 : 0);

  return {
    ...state.attributes,
    orderId: order.orderId,
    customerOrderNumber: state.attributes.customerOrderNumber ?? order.orderId,
    vendorOrderNumber: state.attributes.vendorOrderNumber ?? order.orderId,
    orderDate: local(state.orderedAt),
    status: state.status,
    source: order.source,
    currency: state.currency,
    isCOD: isCod,
    paymentType,
    subTotal: money(itemsTotalMinor(state.items)),
    orderTotal: money(state.totalMinor),
    shippingAddress: state.attributes.shippingAddress ?? defaultAddress(contact),
    billingAddress: state.attributes.billingAddress ?? defaultAddress(contact),
    contactId: contact?.id ?? null,
    items: state.items.map((item, index) => presentItem(item, index, shipmentFor(item, shipments), money, local)),
    externalShipmentIds: shipments.map((s) => s.trackingId ?? s.shipmentId),
    createdAt: new Date(order.createdAt).toISOString(),
    updatedAt: new Date(order.updatedAt).toISOString(),
    isWhatsAppEnabledForNotifications: contact?.whatsappStatus === 'ACTIVE' ? '1' : '0',
  };
}

function defaultAddress(contact: ContactRecord | null) {
  if (!contact) return null;
  return { contactPhone: contact.phone, customerName: contact.name, email: contact.email };
}

/** The shipment that lists the item, else one that lists no items (it carries the whole order). */
function shipmentFor(item: OrderItem, shipments: ShipmentRecord[]): ShipmentRecord | null {
  const listed = shipments.filter((s) => s.itemIds.includes(item.externalItemId));
  const pool = listed.length > 0 ? listed : shipments.filter((s) => s.itemIds.length === 0);
  return pool.sort((a, b) => (latestEntry(b.log)?.occurredAt ?? 0) - (latestEntry(a.log)?.occurredAt ?? 0))[0] ?? null;
}

function presentItem(
  item: OrderItem,
  index: number,
  shipment: ShipmentRecord | null,
  money: (minor: number) => number | null,
  local: (at: number) => string,
) {
  const latest = shipment ? latestEntry(shipment.log) : null;
  const ndr = shipment ? currentNdr(shipment.log) : null;
  return {
    ...item.extra,
    orderItemID: item.externalItemId,
    itemID: item.externalItemId,
    productName: item.name,
    quantity: item.quantity,
    customerPrice: money(item.costMinor),
    lineItemTotal: money(item.costMinor * item.quantity),
    productUrl: item.url,
    productImageUrl: item.imageUrl,
    lineItemSequenceNumber: index + 1,
    shipmentId: shipment?.shipmentId ?? null,
    latestStatus: latest?.status ?? null,
    statusUpdatedAt: latest ? local(latest.occurredAt) : null,
    latestRemark: latest?.remark ?? null,
    ndrDetails: latest?.status === 'failed_delivery' && ndr ? ndr : {},
    ...(shipment?.ndrResolution ? { ndrResolutionDetails: shipment.ndrResolution } : {}),
    timeLine: 'forwardTrackingTimeline',
    forwardTrackingTimeline: {
      courierName: shipment?.courierName ?? null,
      trackingID: shipment?.trackingId ?? null,
      statusLog: (shipment?.log ?? []).map((entry) => ({
        remark: entry.remark,
        location: entry.location,
        status: entry.status,
        updatedAt: local(entry.occurredAt),
      })),
    },
  };
}

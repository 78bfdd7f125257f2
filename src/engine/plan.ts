import type { Store } from '../domain/store.js';
import type { StoreEvent, Warning } from '../domain/store-event.js';
import {
  applyCart,
  applyCartChange,
  applyOrder,
  applyShipment,
  decideOrder,
  recordProducts,
  type OrderDecision,
} from './commerce.js';
import { applyConsent } from './consent.js';
import type { EventOutcome } from './outcome.js';
import { applyInbound, applyMessageStatus, fillItemsFromCatalog } from './message-effects.js';
import { applyNdrChoice } from './ndr-choice.js';
import { attachToContact, ownerOfAll, resolveContact } from './resolve-contact.js';
import { WorkingSet, type Changes, type Snapshot } from './working-set.js';

/**
 * Decides, in memory and in order, what each event of a batch does to the store's state.
 * Pure: the snapshot comes in, the changes to write and one outcome per event come out.
 */
export function planBatch(
  store: Store,
  events: StoreEvent[],
  snapshot: Snapshot,
  now: number,
): { changes: Changes; outcomes: EventOutcome[]; missingCarts: Set<string> } {
  const ws = new WorkingSet(snapshot, now);
  const outcomes = events.map((event) => planEvent(ws, store, event));
  for (const outcome of outcomes) {
    if (outcome.status === 'accepted' && outcome.contactId) outcome.contactId = ws.live(outcome.contactId);
  }
  return { changes: ws.changes, outcomes, missingCarts: ws.missingCarts };
}

function planEvent(ws: WorkingSet, store: Store, event: StoreEvent): EventOutcome {
  const { eventId } = event;
  if (ws.snapshot.duplicateIds.has(eventId) || ws.seenEventIds.has(eventId)) return { status: 'duplicate', eventId };

  let order: Extract<OrderDecision, { kind: 'apply' }> | null = null;
  if (event.inbound?.fillItemsFromCatalog) fillItemsFromCatalog(ws, event);
  if (event.order) {
    const decision = decideOrder(ws, store, event.order);
    if (decision.kind === 'reject') return { status: 'rejected', eventId, error: decision.error };
    if (decision.kind === 'ignore') return { status: 'ignored', eventId, reason: decision.reason };
    order = decision;
  }
  const shipped = event.shipment ? ws.snapshot.shipments.get(event.shipment.shipmentId) : undefined;
  if (shipped && shipped.orderId !== event.shipment!.orderId) {
    return {
      status: 'rejected',
      eventId,
      error: {
        code: 'SHIPMENT_ORDER_MISMATCH',
        message: `shipment ${shipped.shipmentId} belongs to order ${shipped.orderId}, not ${event.shipment!.orderId}`,
        path: '/orderId',
      },
    };
  }
  if (event.matchExistingOnly && !ownerOfAll(ws, event)) {
    return {
      status: 'ignored',
      eventId,
      reason: { code: 'CONTACT_NOT_FOUND', message: 'no contact holds all of the identifiers given' },
    };
  }
  ws.seenEventIds.add(eventId);

  const orderId = event.order?.orderId ?? event.shipment?.orderId ?? event.ndrChoice?.orderId;
  const orderOwner = orderId ? ws.snapshot.orders.get(orderId)?.contactId : null;
  let resolved;
  if (event.messageStatus) resolved = { contactId: applyMessageStatus(ws, event), warnings: [] };
  else if (orderOwner) resolved = attachToContact(ws, event, ws.live(orderOwner));
  else resolved = resolveContact(ws, event);
  const warnings: Warning[] = [...event.warnings, ...resolved.warnings];
  const contactId = resolved.contactId;
  if (event.consent && contactId) applyConsent(ws, contactId, event);

  if (order) {
    applyOrder(ws, order, contactId, event);
    warnings.push(...order.warnings);
  }
  if (event.cart && contactId) {
    const stale = applyCart(ws, contactId, event);
    if (stale) warnings.push(stale);
  }
  if (event.cartChange && contactId) {
    const stale = applyCartChange(ws, contactId, event);
    if (stale) warnings.push(stale);
  }
  if (event.shipment) applyShipment(ws, event);
  if (event.inbound) applyInbound(ws, event, contactId);
  if (event.ndrChoice) applyNdrChoice(ws, event, contactId);
  recordProducts(ws, event);

  ws.changes.events.push({
    eventId,
    contactId,
    name: event.name,
    subName: event.subName,
    kind: event.kind,
    source: event.source,
    occurredAt: event.occurredAt,
    timestamp: event.timestamp,
    receivedAt: ws.now,
    data: event.data,
  });
  return { status: 'accepted', eventId, contactId, ...(orderId ? { orderId } : {}), warnings };
}

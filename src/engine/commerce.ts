import { mergeOrder, newOrderState, totalMismatch, type OrderState } from '../domain/order-rules.js';
import type { CartRecord, OrderRecord, ProductRecord } from '../domain/records.js';
import { addToLog } from '../domain/shipment-rules.js';
import type { Store } from '../domain/store.js';
import type { CartLine, OrderChange, Rejection, StoreEvent, Warning } from '../domain/store-event.js';
import { productKey } from '../storage/products.js';
import type { WorkingSet } from './working-set.js';

/** What an order event would do, decided before anything else of the event is applied. */
export type OrderDecision =
  | { kind: 'apply'; orderId: string; state: OrderState; existing: OrderRecord | null; warnings: Warning[] }
  | { kind: 'ignore'; reason: { code: string; message: string } }
  | { kind: 'reject'; error: Rejection };

export function decideOrder(ws: WorkingSet, store: Store, change: OrderChange): OrderDecision {
  const existing = ws.snapshot.orders.get(change.orderId) ?? null;
  if (change.kind === 'set_status') {
    if (!existing) {
      return {
        kind: 'ignore',
        reason: { code: 'ORDER_NOT_FOUND', message: `order ${change.orderId} does not exist; the event was ignored` },
      };
    }
    const merged = mergeOrder(existing.state, { status: change.status });
    return { kind: 'apply', orderId: change.orderId, state: merged.state, existing, warnings: merged.warnings };
  }

  let state: OrderState;
  let warnings: Warning[] = [];
  if (existing) {
    ({ state, warnings } = mergeOrder(existing.state, change.fields));
  } else {
    if (change.whenMissing === 'ignore') {
      return {
        kind: 'ignore',
        reason: { code: 'ORDER_NOT_FOUND', message: `order ${change.orderId} does not exist; the event was ignored` },
      };
    }
    if (change.missingForCreate.length > 0) {
      return {
        kind: 'reject',
        error: {
          code: 'MISSING_REQUIRED_PARAMS',
          message: `order ${change.orderId} does not exist, and creating it needs ${change.missingForCreate.join(', ')}`,
          details: { missing: change.missingForCreate },
        },
      };
    }
    state = newOrderState({ ...change.defaultsForCreate, ...change.fields });
  }
  // A total with shipping and taxes in it (Shopify's) is not meant to equal the items' sum.
  const mismatch = change.kind === 'upsert' && change.totalIncludesCharges ? null : totalMismatch(state);
  if (mismatch) {
    if (store.settings.rejectOrderTotalMismatch)
      return { kind: 'reject', error: { code: mismatch.code, message: mismatch.message } };
    warnings = [...warnings, mismatch];
  }
  return { kind: 'apply', orderId: change.orderId, state, existing, warnings };
}

export function applyOrder(
  ws: WorkingSet,
  decision: Extract<OrderDecision, { kind: 'apply' }>,
  contactId: string | null,
  event: StoreEvent,
): void {
  const { existing, state } = decision;
  ws.saveOrder({
    orderId: decision.orderId,
    // An order keeps the shopper it was placed by; later events only fill in a missing one.
    contactId: existing?.contactId ?? contactId,
    state,
    source: existing?.source ?? event.source,
    createdAt: existing?.createdAt ?? ws.now,
    updatedAt: ws.now,
  });
  const owner = existing?.contactId ?? contactId;
  // The shopper placed a real order (new, or an abandoned cart that became one): the cart is done.
  const placed =
    state.status !== 'ABANDONED_SHOPPING_CART' && (!existing || existing.state.status === 'ABANDONED_SHOPPING_CART');
  if (placed && owner) convertCart(ws, owner, state.orderedAt, event.eventId);
}

/** A placed order ends the shopper's cart (and, later, the abandonment journeys that watch it). */
function convertCart(ws: WorkingSet, contactId: string, at: number, eventId: string): void {
  const cart = ws.cartOf(contactId);
  if (cart?.status !== 'active' || cart.updatedAt > at) return;
  ws.saveCart({ ...cart, status: 'converted', updatedAt: at, lastEventId: eventId });
}

/** The cart becomes the event's snapshot unless a newer event already set it. */
export function applyCart(ws: WorkingSet, contactId: string, event: StoreEvent): Warning | null {
  const snapshot = event.cart!;
  const current = ws.cartOf(contactId);
  if (current && current.updatedAt > event.occurredAt) {
    return { code: 'CART_NOT_CHANGED', message: 'the cart already reflects a newer event; this one was recorded only' };
  }
  const cart: CartRecord = {
    contactId,
    status: snapshot.converted ? 'converted' : snapshot.empty ? 'empty' : 'active',
    lines: snapshot.lines,
    totalMinor: snapshot.totalMinor,
    currency: snapshot.currency,
    cartLink: snapshot.cartLink ?? current?.cartLink ?? null,
    recentProductImage: snapshot.recentProductImage,
    updatedAt: event.occurredAt,
    lastEventId: event.eventId,
    createdAt: current?.createdAt ?? ws.now,
  };
  ws.saveCart(cart);
  return null;
}

/**
 * One product added to or removed from the cart. A cart that is empty or was converted into an
 * order starts afresh; a change older than the cart's last change is recorded only, as for
 * snapshots, so a late event never undoes a newer cart.
 */
export function applyCartChange(ws: WorkingSet, contactId: string, event: StoreEvent): Warning | null {
  const change = event.cartChange!;
  const current = ws.cartOf(contactId);
  if (current && current.updatedAt > event.occurredAt) {
    return { code: 'CART_NOT_CHANGED', message: 'the cart already reflects a newer event; this one was recorded only' };
  }
  const lines = current?.status === 'active' ? [...current.lines] : [];
  const at = lines.findIndex((l) => l.productId === change.productId && l.variantId === change.variantId);
  const line = at >= 0 ? lines[at]! : null;
  if (change.op === 'add') {
    const added = change.quantity ?? 1;
    const quantity = (line?.quantity ?? 0) + added;
    const unit =
      change.unitPriceMinor ??
      (line && line.linePriceMinor !== null && line.quantity > 0 ? line.linePriceMinor / line.quantity : null);
    const next: CartLine = {
      productId: change.productId,
      variantId: change.variantId,
      title: change.title ?? line?.title ?? null,
      quantity,
      linePriceMinor: unit === null ? null : Math.round(unit * quantity),
      url: change.url ?? line?.url ?? null,
      imageUrl: change.imageUrl ?? line?.imageUrl ?? null,
    };
    if (line) lines[at] = next;
    else lines.push(next);
  } else if (line) {
    const left = change.quantity === null ? 0 : line.quantity - change.quantity;
    if (left <= 0) lines.splice(at, 1);
    else
      lines[at] = {
        ...line,
        quantity: left,
        linePriceMinor: line.linePriceMinor === null ? null : Math.round((line.linePriceMinor / line.quantity) * left),
      };
  } else {
    return null; // removing what the cart does not hold changes nothing (a converted cart stays so)
  }
  const priced = lines.every((l) => l.linePriceMinor !== null);
  ws.saveCart({
    contactId,
    status: lines.length > 0 ? 'active' : 'empty',
    lines,
    totalMinor: priced ? lines.reduce((sum, l) => sum + l.linePriceMinor!, 0) : null,
    currency: change.currency ?? current?.currency ?? null,
    cartLink: change.cartLink ?? current?.cartLink ?? null,
    recentProductImage:
      change.op === 'add'
        ? (change.imageUrl ?? current?.recentProductImage ?? null)
        : (current?.recentProductImage ?? null),
    updatedAt: event.occurredAt,
    lastEventId: event.eventId,
    createdAt: current?.createdAt ?? ws.now,
  });
  return null;
}

export function applyShipment(ws: WorkingSet, event: StoreEvent): void {
  const entry = event.shipment!;
  const existing = ws.snapshot.shipments.get(entry.shipmentId);
  const logEntry = {
    status: entry.status,
    occurredAt: event.occurredAt,
    remark: entry.remark,
    location: entry.location,
    ndr: entry.ndr,
  };
  // Tracking id and courier come from the newest update that names them; a late, older update
  // only fills them in when nothing newer did.
  const newest = !existing || existing.log.every((e) => e.occurredAt <= event.occurredAt);
  const pick = (given: string | null, known: string | null | undefined) =>
    (newest ? (given ?? known) : (known ?? given)) ?? null;
  ws.saveShipment({
    shipmentId: entry.shipmentId,
    orderId: entry.orderId,
    trackingId: pick(entry.trackingId, existing?.trackingId),
    courierName: pick(entry.courierName, existing?.courierName),
    itemIds: entry.itemIds.length > 0 ? entry.itemIds : (existing?.itemIds ?? []),
    log: addToLog(existing?.log ?? [], logEntry).log,
    createdAt: existing?.createdAt ?? ws.now,
    updatedAt: ws.now,
  });
}

/**
 * Keeps the newest sighting of each product, older sightings filling its gaps; a product is
 * written only when what is known of it changes.
 */
export function recordProducts(ws: WorkingSet, event: StoreEvent): void {
  for (const p of event.products) {
    const key = productKey(p.productId, p.variantId);
    const known = ws.snapshot.products.get(key);
    const sighting: ProductRecord = { ...p, seenAt: event.occurredAt };
    const merged = known ? mergeSightings(known, sighting) : sighting;
    if (known && sameProduct(known, merged)) continue;
    ws.snapshot.products.set(key, merged);
    ws.changes.products.set(key, merged);
  }
}

function mergeSightings(a: ProductRecord, b: ProductRecord): ProductRecord {
  const [newer, older] = b.seenAt >= a.seenAt ? [b, a] : [a, b];
  return {
    ...newer,
    title: newer.title ?? older.title,
    priceMinor: newer.priceMinor ?? older.priceMinor,
    currency: newer.currency ?? older.currency,
    url: newer.url ?? older.url,
    imageUrl: newer.imageUrl ?? older.imageUrl,
  };
}

const sameProduct = (a: ProductRecord, b: ProductRecord) =>
  a.title === b.title &&
  a.priceMinor === b.priceMinor &&
  a.currency === b.currency &&
  a.url === b.url &&
  a.imageUrl === b.imageUrl;

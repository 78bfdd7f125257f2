import { identityKeys, keyString, type IdentityKey } from '../domain/identity.js';
import type { ChannelName } from '../domain/messages.js';
import type { ContactRecord } from '../domain/records.js';
import type { StoreEvent } from '../domain/store-event.js';
import { findCarts } from '../storage/carts.js';
import { findContacts, findIdentities } from '../storage/contacts.js';
import type { Db } from '../storage/database.js';
import { findExistingEventIds } from '../storage/events.js';
import { findMessagesByProviderIds } from '../storage/messages.js';
import { findOrders } from '../storage/orders.js';
import { findProducts } from '../storage/products.js';
import { findShipments } from '../storage/shipments.js';
import { messageKey, type Snapshot } from './working-set.js';

/** Reads, set by set, every row the batch's events can touch. */
export async function loadSnapshot(
  db: Db,
  storeId: string,
  events: StoreEvent[],
  moreCartOwners: Iterable<string> = [],
): Promise<Snapshot> {
  const duplicateIds = await findExistingEventIds(
    db,
    storeId,
    events.map((e) => e.eventId),
  );
  const fresh = events.filter((e) => !duplicateIds.has(e.eventId));

  const orderIds = fresh
    .flatMap((e) => [e.order?.orderId, e.shipment?.orderId, e.ndrChoice?.orderId])
    .filter((id): id is string => !!id);
  const orders = await findOrders(db, storeId, orderIds);
  const messages = await loadMessages(db, fresh);
  const orderOwners = [...orders.values()].map((o) => o.contactId).filter((id): id is string => !!id);
  const { identities, contacts } = await loadIdentities(db, storeId, fresh, [
    ...orderOwners,
    ...consentOwners(fresh, messages),
  ]);
  const cartsLoadedFor = new Set([...cartOwners(fresh, identities, orders), ...moreCartOwners]);
  const carts = await findCarts(db, storeId, [...cartsLoadedFor]);
  const shipments = await findShipments(
    db,
    storeId,
    fresh.flatMap((e) => (e.shipment ? [e.shipment.shipmentId] : [])),
  );
  const products = await findProducts(
    db,
    storeId,
    fresh.flatMap((e) => e.products),
  );
  return { duplicateIds, identities, contacts, carts, cartsLoadedFor, orders, shipments, products, messages };
}

const primaryKeys = (c: ContactRecord): string[] =>
  [
    c.customerId && keyString({ kind: 'customer_id', value: c.customerId }),
    c.email && keyString({ kind: 'email', value: c.email }),
    c.phone && keyString({ kind: 'phone', value: c.phone }),
  ].filter((k): k is string => !!k);

/**
 * The owner of every identifier the batch names, and those contacts. Most events name a known
 * shopper by the same identifiers as before, so this looks up one identifier per event first;
 * a contact's own email, phone and customer id are always its identifiers, so keys equal to
 * them need no lookup. Only the rest (new or different identifiers) are looked up after.
 */
async function loadIdentities(db: Db, storeId: string, events: StoreEvent[], orderOwners: string[]) {
  // orderOwners: contacts the batch reaches other than by identifiers (an order's, a message's).
  const perEvent = events.map((e) => identityKeys(e.identity));
  const first = perEvent.flatMap((keys) => keys.slice(0, 1));
  const identities = await findIdentities(db, storeId, first);
  const contacts = await findContacts(db, storeId, [...identities.values(), ...orderOwners]);
  const known = new Map<string, string>();
  for (const contact of contacts.values()) for (const key of primaryKeys(contact)) known.set(key, contact.id);

  const rest: IdentityKey[] = [];
  for (const keys of perEvent) {
    for (const key of keys) {
      const ks = keyString(key);
      if (identities.has(ks)) continue;
      const owner = known.get(ks);
      if (owner) identities.set(ks, owner);
      else rest.push(key);
    }
  }
  if (rest.length > 0) {
    const more = await findIdentities(db, storeId, rest);
    const missing = [...new Set(more.values())].filter((id) => !contacts.has(id));
    for (const [id, contact] of await findContacts(db, storeId, missing)) contacts.set(id, contact);
    for (const [ks, id] of more) identities.set(ks, id);
  }
  return { identities, contacts };
}

/** The messages provider statuses and shopper replies refer to, by channel and provider id. */
async function loadMessages(db: Db, events: StoreEvent[]): Promise<Snapshot['messages']> {
  const byChannel = new Map<ChannelName, string[]>();
  for (const event of events) {
    const ref =
      event.messageStatus ??
      (event.inbound?.replyTo ? { channel: event.inbound.channel, providerMessageId: event.inbound.replyTo } : null);
    if (!ref) continue;
    byChannel.set(ref.channel, [...(byChannel.get(ref.channel) ?? []), ref.providerMessageId]);
  }
  const messages: Snapshot['messages'] = new Map();
  for (const [channel, ids] of byChannel) {
    for (const [id, message] of await findMessagesByProviderIds(db, channel, ids))
      messages.set(messageKey(channel, id), message);
  }
  return messages;
}

/** The shoppers of messages a status withdraws consent for (Meta's 131050): their consent changes. */
function consentOwners(events: StoreEvent[], messages: Snapshot['messages']): string[] {
  return events.flatMap((e) => {
    if (!e.consent || !e.messageStatus) return [];
    const owner = messages.get(messageKey(e.messageStatus.channel, e.messageStatus.providerMessageId))?.contactId;
    return owner ? [owner] : [];
  });
}

/** Carts matter to cart events, to new orders (which convert the cart) and to merges. */
function cartOwners(events: StoreEvent[], identities: Map<string, string>, orders: Snapshot['orders']): string[] {
  const owners = new Set<string>();
  for (const event of events) {
    const named = new Set(
      identityKeys(event.identity)
        .map((k) => identities.get(keyString(k)))
        .filter((id): id is string => !!id),
    );
    const orderOwner = event.order ? orders.get(event.order.orderId)?.contactId : undefined;
    if (orderOwner) named.add(orderOwner);
    if (event.cart || event.cartChange || event.order || named.size > 1) for (const id of named) owners.add(id);
  }
  return [...owners];
}

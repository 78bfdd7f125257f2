import { identityKeys, keyString, type IdentityKind } from '../domain/identity.js';
import { newId } from '../domain/ids.js';
import type { ContactRecord } from '../domain/records.js';
import type { StoreEvent, Warning } from '../domain/store-event.js';
import type { WorkingSet } from './working-set.js';

export interface Resolved {
  contactId: string | null;
  warnings: Warning[];
}

/**
 * Finds the contact an event's identifiers name, creating one when none does. When the
 * identifiers belong to two or more contacts, those are one person: the oldest contact absorbs
 * the others, with all their identifiers, events, orders and cart — unless they hold different
 * customer ids, which the store says are different people (IDENTITY_CONFLICT).
 */
export function resolveContact(ws: WorkingSet, event: StoreEvent): Resolved {
  const keys = identityKeys(event.identity);
  if (keys.length === 0) return { contactId: null, warnings: [] };
  const warnings: Warning[] = [];

  const owners = new Set<string>();
  for (const key of keys) {
    const owner = ws.snapshot.identities.get(keyString(key));
    if (owner) owners.add(ws.live(owner));
  }
  const contacts = [...owners].map((id) => ws.contact(id));
  const customerKey = keys.find((k) => k.kind === 'customer_id');
  const customerOwner = customerKey ? ws.snapshot.identities.get(keyString(customerKey)) : undefined;

  // A customer id is the store's own word that two accounts are two people: contacts holding
  // different ones are never merged, and a contact never takes a second customer id.
  const customerIds = new Set(contacts.map((c) => c.customerId).filter((id): id is string => !!id));
  if (customerKey && !customerOwner) customerIds.add(customerKey.value);
  let group = contacts;
  let contactId: string;
  if (customerIds.size > 1) {
    const target = customerOwner
      ? ws.contact(customerOwner)
      : customerKey
        ? ws.contact(createContact(ws))
        : contacts.sort(byAge)[0]!;
    const targetCustomerId = target.customerId ?? customerKey?.value ?? null;
    group = [
      target,
      ...contacts.filter((c) => c.id !== target.id && (!c.customerId || c.customerId === targetCustomerId)),
    ];
    const apart = contacts.filter((c) => !group.includes(c));
    warnings.push({
      code: 'IDENTITY_CONFLICT',
      message: `the event names contacts with different customer ids (${[target, ...apart].map((c) => c.id).join(', ')}); they were not merged and the event was filed on ${target.id}`,
    });
  }
  if (group.length === 0) {
    contactId = createContact(ws);
  } else {
    const [survivor, ...others] = [...group].sort(byAge);
    contactId = survivor!.id;
    for (const other of others) mergeContacts(ws, other.id, contactId);
    if (others.length > 0) {
      warnings.push({
        code: 'CONTACTS_MERGED',
        message: `contacts ${others.map((o) => o.id).join(', ')} were merged into ${contactId}`,
      });
    }
  }

  // Identifiers nobody holds join the contact; those of a contact kept apart stay with it.
  for (const key of keys) {
    const ks = keyString(key);
    if (!ws.snapshot.identities.has(ks)) {
      ws.snapshot.identities.set(ks, contactId);
      ws.changes.identities.push({ ...key, contactId });
    }
  }
  const stale = updateProfile(ws, contactId, event);
  if (stale) warnings.push(stale);
  return { contactId, warnings };
}

/**
 * For an event about something that already has its shopper (an update of a known order, a
 * shipment of it): the event is theirs. Identifiers nobody holds yet are added to them;
 * identifiers of another contact are left alone — an order event is no proof that two people
 * are one, so it never merges.
 */
export function attachToContact(ws: WorkingSet, event: StoreEvent, contactId: string): Resolved {
  for (const key of identityKeys(event.identity)) {
    const ks = keyString(key);
    if (!ws.snapshot.identities.has(ks)) {
      ws.snapshot.identities.set(ks, contactId);
      ws.changes.identities.push({ ...key, contactId });
    }
  }
  const stale = updateProfile(ws, contactId, event);
  return { contactId, warnings: stale ? [stale] : [] };
}

/** The one existing contact that holds every identifier of the event, if there is one. */
export function ownerOfAll(ws: WorkingSet, event: StoreEvent): string | null {
  const keys = identityKeys(event.identity);
  if (keys.length === 0) return null;
  const owners = new Set(
    keys.map((key) => {
      const owner = ws.snapshot.identities.get(keyString(key));
      return owner ? ws.live(owner) : null;
    }),
  );
  const [owner] = owners;
  return owners.size === 1 && owner ? owner : null;
}

const latest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

const byAge = (a: ContactRecord, b: ContactRecord) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

function createContact(ws: WorkingSet): string {
  const contact: ContactRecord = {
    id: newId('ct', ws.now),
    customerId: null,
    email: null,
    phone: null,
    name: null,
    attributes: {},
    whatsappStatus: 'INACTIVE',
    whatsappStatusSource: null,
    whatsappStatusAt: null,
    createdAt: ws.now,
    updatedAt: ws.now,
    whatsappInboundAt: null,
    messengerInboundAt: null,
    whatsappProfileName: null,
    messengerStatus: null,
    messengerStatusSource: null,
    messengerStatusAt: null,
  };
  ws.changes.createdContacts.add(contact.id);
  ws.saveContact(contact);
  return contact.id;
}

/**
 * A contact's email, phone and customer id are the first ones seen (later different ones stay
 * identifiers of the same contact); a contact sync sets them. The name is the latest given.
 */
function updateProfile(ws: WorkingSet, contactId: string, event: StoreEvent): Warning | null {
  const current = ws.contact(contactId);
  const profile = stalenessChecked(current, event);
  const next: ContactRecord = { ...current };
  const authoritative = event.source === 'contacts_api';
  const { customerId, email, phone, name } = event.identity;
  // Only identifiers this contact holds become its email/phone/customer id: an event about
  // someone's order may name another shopper's email, which stays that shopper's.
  const holds = (kind: IdentityKind, value: string) =>
    ws.snapshot.identities.get(keyString({ kind, value })) === contactId;
  if (customerId && holds('customer_id', customerId) && (authoritative || !next.customerId))
    next.customerId = customerId;
  if (email && holds('email', email) && (authoritative || !next.email)) next.email = email;
  if (phone && holds('phone', phone) && (authoritative || !next.phone)) next.phone = phone;
  if (name) next.name = name;
  if (event.identity.whatsappProfileName) next.whatsappProfileName = event.identity.whatsappProfileName;
  if (profile.apply?.name) next.name = profile.apply.name;
  if (profile.apply?.attributes) next.attributes = { ...next.attributes, ...profile.apply.attributes };
  if (event.inbound) {
    // The shopper wrote: the 24-hour customer-service window runs from their latest message.
    if (event.inbound.channel === 'messenger')
      next.messengerInboundAt = Math.max(next.messengerInboundAt ?? 0, event.occurredAt);
    else next.whatsappInboundAt = Math.max(next.whatsappInboundAt ?? 0, event.occurredAt);
  }
  // Most events change nothing about the shopper; their contact row is then not rewritten.
  if (!sameProfile(current, next)) ws.saveContact({ ...next, updatedAt: ws.now });
  return profile.warning;
}

/**
 * The profile an event may apply: none when its source already gave a later one (a webhook
 * delivered late), else the profile with its source time recorded in the named attribute.
 */
function stalenessChecked(
  current: ContactRecord,
  event: StoreEvent,
): { apply: StoreEvent['profile']; warning: Warning | null } {
  const guard = event.profile?.sourceUpdatedAt;
  if (!guard) return { apply: event.profile, warning: null };
  const known = Date.parse(String(current.attributes[guard.attribute] ?? ''));
  if (Number.isFinite(known) && known > guard.at) {
    return {
      apply: undefined,
      warning: {
        code: 'STALE_UPDATE',
        message: 'the contact already reflects a later change from its source; this older one changed nothing',
      },
    };
  }
  const attributes = { ...event.profile!.attributes, [guard.attribute]: new Date(guard.at).toISOString() };
  return { apply: { ...event.profile, attributes }, warning: null };
}

function sameProfile(a: ContactRecord, b: ContactRecord): boolean {
  return (
    a.customerId === b.customerId &&
    a.email === b.email &&
    a.phone === b.phone &&
    a.name === b.name &&
    a.whatsappStatus === b.whatsappStatus &&
    a.whatsappStatusSource === b.whatsappStatusSource &&
    a.whatsappStatusAt === b.whatsappStatusAt &&
    a.whatsappInboundAt === b.whatsappInboundAt &&
    a.messengerInboundAt === b.messengerInboundAt &&
    a.whatsappProfileName === b.whatsappProfileName &&
    a.messengerStatus === b.messengerStatus &&
    a.messengerStatusSource === b.messengerStatusSource &&
    a.messengerStatusAt === b.messengerStatusAt &&
    (a.attributes === b.attributes || JSON.stringify(a.attributes) === JSON.stringify(b.attributes))
  );
}

/** Folds `from` into `into` in the working set; the database follows from ws.changes.merges. */
export function mergeContacts(ws: WorkingSet, from: string, into: string): void {
  const loser = ws.contact(from);
  const winner = ws.contact(into);
  const consentFromLoser = (loser.whatsappStatusAt ?? -1) > (winner.whatsappStatusAt ?? -1);
  const messengerFromLoser = (loser.messengerStatusAt ?? -1) > (winner.messengerStatusAt ?? -1);
  ws.saveContact({
    ...winner,
    customerId: winner.customerId ?? loser.customerId,
    email: winner.email ?? loser.email,
    phone: winner.phone ?? loser.phone,
    name: winner.name ?? loser.name,
    whatsappProfileName: winner.whatsappProfileName ?? loser.whatsappProfileName,
    attributes: { ...loser.attributes, ...winner.attributes },
    whatsappInboundAt: latest(winner.whatsappInboundAt, loser.whatsappInboundAt),
    messengerInboundAt: latest(winner.messengerInboundAt, loser.messengerInboundAt),
    ...(consentFromLoser
      ? {
          whatsappStatus: loser.whatsappStatus,
          whatsappStatusSource: loser.whatsappStatusSource,
          whatsappStatusAt: loser.whatsappStatusAt,
        }
      : {}),
    ...(messengerFromLoser
      ? {
          messengerStatus: loser.messengerStatus,
          messengerStatusSource: loser.messengerStatusSource,
          messengerStatusAt: loser.messengerStatusAt,
        }
      : {}),
    updatedAt: ws.now,
  });

  ws.redirect(from, into);
  ws.changes.contacts.delete(from);
  ws.snapshot.contacts.delete(from);
  for (const [key, owner] of ws.snapshot.identities) if (owner === from) ws.snapshot.identities.set(key, into);
  for (const identity of ws.changes.identities) if (identity.contactId === from) identity.contactId = into;
  for (const event of ws.changes.events) if (event.contactId === from) event.contactId = into;
  for (const order of ws.snapshot.orders.values()) if (order.contactId === from) order.contactId = into;
  for (const message of ws.snapshot.messages.values()) if (message.contactId === from) message.contactId = into;

  const loserCart = ws.cartOf(from);
  const winnerCart = ws.cartOf(into);
  if (loserCart) {
    ws.snapshot.carts.delete(from);
    ws.changes.carts.delete(from);
    ws.changes.deletedCarts.add(from);
    if (!winnerCart || loserCart.updatedAt > winnerCart.updatedAt) ws.saveCart({ ...loserCart, contactId: into });
  }

  if (ws.changes.createdContacts.has(from)) {
    ws.changes.createdContacts.delete(from);
    ws.changes.createdThenMerged.push({ contact: loser, into });
  } else {
    ws.changes.merges.push({ from, into });
  }
}

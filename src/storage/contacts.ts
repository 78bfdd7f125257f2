import type { IdentityKey } from '../domain/identity.js';
import { keyString } from '../domain/identity.js';
import type { ContactRecord, ContactView, WhatsAppStatus } from '../domain/records.js';
import { rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';
import { selectByKeys } from './keyed-select.js';
import type { ContactIdentitiesTable, ContactsTable } from './schema.js';

export function toContactRecord(row: ContactsTable): ContactRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    email: row.email,
    phone: row.phone,
    name: row.name,
    attributes: parseJson(row.attributes, {}),
    whatsappStatus: row.whatsapp_status as WhatsAppStatus,
    whatsappStatusSource: row.whatsapp_status_source,
    whatsappStatusAt: row.whatsapp_status_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    whatsappInboundAt: row.whatsapp_inbound_at,
    messengerInboundAt: row.messenger_inbound_at,
    whatsappProfileName: row.whatsapp_profile_name ?? null,
    messengerStatus: (row.messenger_status as WhatsAppStatus | null) ?? null,
    messengerStatusSource: row.messenger_status_source ?? null,
    messengerStatusAt: row.messenger_status_at ?? null,
  };
}

function toRow(storeId: string, c: ContactRecord): ContactsTable {
  return {
    id: c.id,
    store_id: storeId,
    customer_id: c.customerId,
    email: c.email,
    phone: c.phone,
    name: c.name,
    attributes: toJson(c.attributes),
    whatsapp_status: c.whatsappStatus,
    whatsapp_status_source: c.whatsappStatusSource,
    whatsapp_status_at: c.whatsappStatusAt,
    merged_into: null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    whatsapp_inbound_at: c.whatsappInboundAt,
    messenger_inbound_at: c.messengerInboundAt,
    whatsapp_profile_name: c.whatsappProfileName,
    messenger_status: c.messengerStatus,
    messenger_status_source: c.messengerStatusSource,
    messenger_status_at: c.messengerStatusAt,
  };
}

/** Which contact owns each identifier, as "kind:value" -> contact id. */
export async function findIdentities(db: Db, storeId: string, keys: IdentityKey[]): Promise<Map<string, string>> {
  const rows = await selectByKeys<Pick<ContactIdentitiesTable, 'kind' | 'value' | 'contact_id'>>(db, {
    table: 'contact_identities',
    storeId,
    columns: ['kind', 'value'],
    keys: keys.map((k) => [k.kind, k.value]),
    select: ['kind', 'value', 'contact_id'],
  });
  return new Map(
    rows.map((row) => [keyString({ kind: row.kind as IdentityKey['kind'], value: row.value }), row.contact_id]),
  );
}

export async function findContacts(db: Db, storeId: string, ids: string[]): Promise<Map<string, ContactRecord>> {
  const rows = await selectByKeys<ContactsTable>(db, {
    table: 'contacts',
    storeId,
    columns: ['id'],
    keys: ids.map((id) => [id]),
  });
  return new Map(rows.map((row) => [row.id, toContactRecord(row)]));
}

/** Inserts new contacts and rewrites changed ones in as few statements as the limits allow. */
export async function upsertContacts(db: Db, storeId: string, contacts: ContactRecord[]): Promise<void> {
  const rows = contacts.map((c) => toRow(storeId, c));
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('contacts')
      .values(part)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          customer_id: eb.ref('excluded.customer_id'),
          email: eb.ref('excluded.email'),
          phone: eb.ref('excluded.phone'),
          name: eb.ref('excluded.name'),
          attributes: eb.ref('excluded.attributes'),
          whatsapp_status: eb.ref('excluded.whatsapp_status'),
          whatsapp_status_source: eb.ref('excluded.whatsapp_status_source'),
          whatsapp_status_at: eb.ref('excluded.whatsapp_status_at'),
          updated_at: eb.ref('excluded.updated_at'),
          whatsapp_inbound_at: eb.ref('excluded.whatsapp_inbound_at'),
          messenger_inbound_at: eb.ref('excluded.messenger_inbound_at'),
          whatsapp_profile_name: eb.ref('excluded.whatsapp_profile_name'),
          messenger_status: eb.ref('excluded.messenger_status'),
          messenger_status_source: eb.ref('excluded.messenger_status_source'),
          messenger_status_at: eb.ref('excluded.messenger_status_at'),
        })),
      )
      .execute();
  }
}

/** Rows for contacts that exist only as pointers to the contact they were merged into. */
export async function insertMergedContacts(
  db: Db,
  storeId: string,
  merged: { contact: ContactRecord; into: string }[],
): Promise<void> {
  const rows = merged.map(({ contact, into }) => ({ ...toRow(storeId, contact), merged_into: into }));
  for (const part of rowChunks(rows)) await db.insertInto('contacts').values(part).execute();
}

export interface NewIdentity extends IdentityKey {
  contactId: string;
}

export async function insertIdentities(db: Db, storeId: string, identities: NewIdentity[], now: number): Promise<void> {
  const rows = identities.map((i) => ({
    store_id: storeId,
    kind: i.kind,
    value: i.value,
    contact_id: i.contactId,
    created_at: now,
  }));
  for (const part of rowChunks(rows)) await db.insertInto('contact_identities').values(part).execute();
}

/** Folds contact `from` into `into`: its identifiers move over and its id keeps resolving. */
export async function markMerged(db: Db, storeId: string, from: string, into: string, now: number): Promise<void> {
  await db
    .updateTable('contact_identities')
    .set({ contact_id: into })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', from)
    .execute();
  await db
    .updateTable('contacts')
    .set({ merged_into: into, updated_at: now })
    .where('store_id', '=', storeId)
    .where((eb) => eb.or([eb('id', '=', from), eb('merged_into', '=', from)]))
    .execute();
}

/** Contacts with the time of their latest activity, read from the events index. */
export function selectContactViews(db: Db, storeId: string) {
  return db
    .selectFrom('contacts')
    .selectAll('contacts')
    .select((eb) =>
      eb
        .selectFrom('events')
        .select((e) => e.fn.max('events.occurred_at').as('m'))
        .whereRef('events.store_id', '=', 'contacts.store_id')
        .whereRef('events.contact_id', '=', 'contacts.id')
        .where('events.kind', '=', 'activity')
        .as('last_seen_at'),
    )
    .where('contacts.store_id', '=', storeId);
}

export const toContactView = (row: ContactsTable & { last_seen_at: number | string | null }): ContactView => ({
  ...toContactRecord(row),
  lastSeenAt: row.last_seen_at === null ? null : Number(row.last_seen_at),
});

/** A contact by id; a merged-away id answers with the contact it became. */
export async function getContact(db: Db, storeId: string, id: string): Promise<ContactView | null> {
  const row = await selectContactViews(db, storeId).where('contacts.id', '=', id).executeTakeFirst();
  if (!row) return null;
  if (row.merged_into) return getContact(db, storeId, row.merged_into);
  return toContactView(row);
}

export async function findContactByIdentity(db: Db, storeId: string, key: IdentityKey): Promise<ContactView | null> {
  const ids = await findIdentities(db, storeId, [key]);
  const id = ids.get(keyString(key));
  return id ? getContact(db, storeId, id) : null;
}

export async function identitiesOfContact(db: Db, storeId: string, contactId: string): Promise<IdentityKey[]> {
  const rows = await db
    .selectFrom('contact_identities')
    .select(['kind', 'value'])
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ kind: r.kind as IdentityKey['kind'], value: r.value }));
}

/** A page of live contacts after `afterId`, in id (creation) order, for streaming exports. */
export async function contactsPage(
  db: Db,
  storeId: string,
  afterId: string | null,
  limit: number,
): Promise<ContactView[]> {
  let query = selectContactViews(db, storeId).where('contacts.merged_into', 'is', null);
  if (afterId) query = query.where('contacts.id', '>', afterId);
  const rows = await query.orderBy('contacts.id').limit(limit).execute();
  return rows.map(toContactView);
}

import type { EventRecord } from '../domain/records.js';
import { rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { selectByKeys } from './keyed-select.js';
import { parseJson, toJson } from './json.js';
import type { EventsTable } from './schema.js';

export async function findExistingEventIds(db: Db, storeId: string, eventIds: string[]): Promise<Set<string>> {
  const rows = await selectByKeys<{ event_id: string }>(db, {
    table: 'events',
    storeId,
    columns: ['event_id'],
    keys: eventIds.map((id) => [id]),
    select: ['event_id'],
  });
  return new Set(rows.map((row) => row.event_id));
}

export async function insertEvents(db: Db, storeId: string, events: EventRecord[]): Promise<void> {
  const rows: EventsTable[] = events.map((e) => ({
    store_id: storeId,
    event_id: e.eventId,
    contact_id: e.contactId,
    name: e.name,
    sub_name: e.subName,
    kind: e.kind,
    source: e.source,
    occurred_at: e.occurredAt,
    timestamp: e.timestamp,
    received_at: e.receivedAt,
    data: toJson(e.data),
  }));
  for (const part of rowChunks(rows)) await db.insertInto('events').values(part).execute();
}

export async function repointEvents(db: Db, storeId: string, from: string, into: string): Promise<void> {
  await db
    .updateTable('events')
    .set({ contact_id: into })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', from)
    .execute();
}

function toRecord(row: EventsTable): EventRecord {
  return {
    eventId: row.event_id,
    contactId: row.contact_id,
    name: row.name,
    subName: row.sub_name,
    kind: row.kind,
    source: row.source,
    occurredAt: row.occurred_at,
    timestamp: row.timestamp,
    receivedAt: row.received_at,
    data: parseJson(row.data, {}),
  };
}

export interface EventQuery {
  limit: number;
  /** Only shopper activity (what the recent-events API shows). */
  activityOnly?: boolean;
  /** Only system events of this name (a contact's consent changes). */
  systemName?: string;
}

/** A contact's events, newest first. */
export async function eventsOfContact(
  db: Db,
  storeId: string,
  contactId: string,
  query: EventQuery,
): Promise<EventRecord[]> {
  let select = db.selectFrom('events').selectAll().where('store_id', '=', storeId).where('contact_id', '=', contactId);
  if (query.activityOnly) select = select.where('kind', '=', 'activity');
  if (query.systemName) select = select.where('kind', '=', 'system').where('name', '=', query.systemName);
  const rows = await select.orderBy('occurred_at', 'desc').orderBy('received_at', 'desc').limit(query.limit).execute();
  return rows.map(toRecord);
}

/** Events by id (the journey worker reads a batch's trigger events at once). */
export async function findEvents(db: Db, storeId: string, eventIds: string[]): Promise<Map<string, EventRecord>> {
  const rows = await selectByKeys<EventsTable>(db, {
    table: 'events',
    storeId,
    columns: ['event_id'],
    keys: eventIds.map((id) => [id]),
  });
  return new Map(rows.map((row) => [row.event_id, toRecord(row)]));
}

export async function findEvent(db: Db, storeId: string, eventId: string): Promise<EventRecord | null> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** The shopper's first event of one of `names` received since `since` (a journey's wait_for). */
export async function firstEventSince(
  db: Db,
  storeId: string,
  contactId: string,
  names: string[],
  since: number,
): Promise<{ eventId: string; name: string; data: string } | null> {
  const row = await db
    .selectFrom('events')
    .select(['event_id', 'name', 'data'])
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('name', 'in', names)
    .where('received_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row ? { eventId: row.event_id, name: row.name, data: row.data } : null;
}

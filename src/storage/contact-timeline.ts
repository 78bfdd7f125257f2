import type { MessageRecord } from '../domain/messages.js';
import type { Db } from './database.js';
import { parseJson } from './json.js';
import { toMessage } from './messages.js';

export interface TimelineEvent {
  eventId: string;
  name: string;
  subName: string | null;
  data: Record<string, unknown>;
  occurredAt: number;
}

/** Where a stream of the timeline stopped: the sort key of the last item shown, null before the first. */
export type StreamPosition = { at: number; id: string } | null;

/**
 * The newest `limit` events of a contact older than `after`. Message status reports are left
 * out: the messages beside them carry their statuses.
 */
export async function contactEvents(
  db: Db,
  storeId: string,
  contactId: string,
  after: StreamPosition,
  limit: number,
): Promise<TimelineEvent[]> {
  let query = db
    .selectFrom('events')
    .select(['event_id', 'name', 'sub_name', 'data', 'occurred_at'])
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('name', '!=', 'message_status');
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('occurred_at', '<', after.at),
        eb.and([eb('occurred_at', '=', after.at), eb('event_id', '<', after.id)]),
      ]),
    );
  const rows = await query.orderBy('occurred_at', 'desc').orderBy('event_id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    name: r.name,
    subName: r.sub_name,
    data: parseJson(r.data, {}),
    occurredAt: Number(r.occurred_at),
  }));
}

/** The newest `limit` messages to a contact older than `after`. */
export async function contactMessages(
  db: Db,
  storeId: string,
  contactId: string,
  after: StreamPosition,
  limit: number,
): Promise<MessageRecord[]> {
  let query = db.selectFrom('messages').selectAll().where('store_id', '=', storeId).where('contact_id', '=', contactId);
  if (after)
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', after.at), eb.and([eb('created_at', '=', after.at), eb('id', '<', after.id)])]),
    );
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toMessage);
}

import type { ChannelName } from '../domain/messages.js';
import type { Db } from './database.js';
import type { ChannelErrorsTable } from './schema.js';

/** An error the provider reported about an account (not about one message), as recorded. */
export interface ChannelErrorRecord {
  id: string;
  storeId: string;
  channel: ChannelName;
  externalId: string;
  code: string;
  title: string;
  detail: string | null;
  href: string | null;
  receivedAt: number;
}

/** How many errors are kept per store and channel; older ones are deleted as new ones come. */
export const CHANNEL_ERRORS_KEPT = 100;

const toRecord = (row: ChannelErrorsTable): ChannelErrorRecord => ({
  id: row.id,
  storeId: row.store_id,
  channel: row.channel as ChannelName,
  externalId: row.external_id,
  code: row.code,
  title: row.title,
  detail: row.detail,
  href: row.href,
  receivedAt: row.received_at,
});

/** Records one store's errors of one channel, and forgets those beyond the newest CHANNEL_ERRORS_KEPT. */
export async function insertChannelErrors(db: Db, records: ChannelErrorRecord[]): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto('channel_errors')
    .values(
      records.map((r) => ({
        id: r.id,
        store_id: r.storeId,
        channel: r.channel,
        external_id: r.externalId,
        code: r.code,
        title: r.title,
        detail: r.detail,
        href: r.href,
        received_at: r.receivedAt,
      })),
    )
    .execute();
  const { storeId, channel } = records[0]!;
  const oldestKept = await db
    .selectFrom('channel_errors')
    .select(['received_at', 'id'])
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .offset(CHANNEL_ERRORS_KEPT - 1)
    .limit(1)
    .executeTakeFirst();
  if (!oldestKept) return;
  await db
    .deleteFrom('channel_errors')
    .where('store_id', '=', storeId)
    .where('channel', '=', channel)
    .where((eb) =>
      eb.or([
        eb('received_at', '<', oldestKept.received_at),
        eb.and([eb('received_at', '=', oldestKept.received_at), eb('id', '<', oldestKept.id)]),
      ]),
    )
    .execute();
}

/** An account's latest errors, newest first. */
export async function latestChannelErrors(
  db: Db,
  account: { storeId: string; channel: ChannelName; externalId: string },
  limit: number,
): Promise<ChannelErrorRecord[]> {
  const rows = await db
    .selectFrom('channel_errors')
    .selectAll()
    .where('store_id', '=', account.storeId)
    .where('channel', '=', account.channel)
    .where('external_id', '=', account.externalId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

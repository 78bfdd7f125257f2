import type { ChannelName, ProviderError } from '../domain/messages.js';
import { inListChunks, rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';

/**
 * A provider status that came before the send result recording its message's provider id:
 * parked here, and applied when the send result lands (messaging/send-results.ts).
 */
export interface PendingStatus {
  channel: ChannelName;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  errors: ProviderError[];
}

export async function parkPendingStatuses(db: Db, statuses: PendingStatus[], now: number): Promise<void> {
  const rows = statuses.map((s) => ({
    channel: s.channel,
    provider_message_id: s.providerMessageId,
    status: s.status,
    at: s.at,
    errors: toJson(s.errors),
    received_at: now,
  }));
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('message_status_pending')
      .values(part)
      .onConflict((oc) => oc.columns(['channel', 'provider_message_id', 'status']).doNothing())
      .execute();
  }
}

/** Takes (reads and deletes) the parked statuses of these provider ids. */
export async function takePendingStatuses(
  db: Db,
  channel: ChannelName,
  providerIds: string[],
): Promise<PendingStatus[]> {
  const taken: PendingStatus[] = [];
  for (const part of inListChunks([...new Set(providerIds)])) {
    const rows = await db
      .selectFrom('message_status_pending')
      .selectAll()
      .where('channel', '=', channel)
      .where('provider_message_id', 'in', part)
      .execute();
    if (rows.length === 0) continue;
    await db
      .deleteFrom('message_status_pending')
      .where('channel', '=', channel)
      .where('provider_message_id', 'in', part)
      .execute();
    for (const row of rows) {
      taken.push({
        channel,
        providerMessageId: row.provider_message_id,
        status: row.status as PendingStatus['status'],
        at: row.at,
        errors: parseJson(row.errors, []),
      });
    }
  }
  return taken;
}

/** Parked statuses no message ever claimed (a message sent by another tool on the same number). */
export async function dropStalePendingStatuses(db: Db, olderThan: number): Promise<void> {
  await db.deleteFrom('message_status_pending').where('received_at', '<', olderThan).execute();
}

import type { MessageRecord } from '../domain/messages.js';
import type { Db, Storage } from './database.js';
import { beginAttempts } from './message-attempts.js';
import { toMessage } from './messages.js';
import { sendersLeasedByOthers, takeSenderLeases } from './sender-leases.js';
import type { WorkScope } from './work-scope.js';
import { ownedByDeadWorker, type Liveness } from './workers.js';

/** Messages claimed for sending, and those left "sending" by a worker that stopped (messaging/dispatcher.ts). */

/**
 * Claims up to `limit` due messages for sending: they become "sending" with a lease, so no
 * other dispatcher takes them until the lease runs out; messages of `exceptSenders` (booked
 * ahead) are left alone. With `owner`, only messages of senders it holds or can take the lease
 * of are claimed (one dispatcher paces each sender). On PostgreSQL rows locked by another
 * claimer are skipped (FOR UPDATE SKIP LOCKED); SQLite has one writer.
 */
export async function claimDueMessages(
  storage: Storage,
  now: number,
  leaseUntil: number,
  limit: number,
  {
    scope,
    exceptSenders = [],
    owner,
  }: { scope?: WorkScope | undefined; exceptSenders?: string[]; owner?: SenderOwner | undefined } = {},
): Promise<MessageRecord[]> {
  return storage.transaction(async (trx) => {
    const excluded = owner ? [...exceptSenders, ...(await sendersLeasedByOthers(trx, owner.id, now))] : exceptSenders;
    let due = trx
      .selectFrom('messages')
      .select(['id', 'sender'])
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .$if(scope !== undefined, (q) =>
        q.where('store_id', '=', scope!.storeId).where('contact_id', '=', scope!.contactId),
      )
      .$if(excluded.length > 0, (q) => q.where('sender', 'not in', excluded))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (storage.concurrentWriters) due = due.forUpdate().skipLocked();
    let candidates = await due.execute();
    if (owner && candidates.length > 0) {
      // New senders in the order their oldest message waits, as many as the worker's share allows.
      const senders = [...new Set(candidates.map((c) => c.sender))];
      const fresh = senders.filter((s) => !owner.held.has(s));
      const wanted = [...senders.filter((s) => owner.held.has(s)), ...fresh.slice(0, owner.room(fresh.length))];
      // Sorted, so two claimers take their senders' rows in one order (no deadlock).
      const held = await takeSenderLeases(trx, owner.id, wanted.sort(), owner.until, now);
      candidates = candidates.filter((c) => held.has(c.sender));
    }
    if (candidates.length === 0) return [];
    const rows = await trx
      .updateTable('messages')
      .set((eb) => ({
        status: 'sending',
        lease_until: leaseUntil,
        claimed_by: owner?.id ?? null,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where(
        'id',
        'in',
        candidates.map((c) => c.id),
      )
      .where('status', '=', 'queued')
      .returningAll()
      .execute();
    const messages = rows.map(toMessage);
    await beginAttempts(
      trx,
      messages.map((m) => ({ messageId: m.id, attempt: m.attempts, worker: owner?.id ?? null, at: now })),
    );
    return messages;
  });
}

/**
 * A dispatcher claiming with sender leases (storage/sender-leases.ts): its id, until when it
 * takes them, the senders it holds, and how many of `free` senders with due messages no worker
 * holds it may take (its share of the numbers).
 */
export interface SenderOwner {
  id: string;
  until: number;
  held: ReadonlySet<string>;
  room(free: number): number;
}

/**
 * Messages left "sending" by a dispatcher that stopped before it knew the outcome: the lease is
 * over, or (with `liveness`) the worker that claimed it is taken for dead (work/presence.ts).
 */
export async function findInterruptedMessages(
  db: Db,
  now: number,
  limit: number,
  scope?: WorkScope,
  liveness?: Liveness,
): Promise<MessageRecord[]> {
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('status', '=', 'sending')
    .where((eb) =>
      liveness
        ? eb.or([eb('lease_until', '<', now), ownedByDeadWorker('messages.claimed_by', liveness)])
        : eb('lease_until', '<', now),
    )
    .$if(scope !== undefined, (q) =>
      q.where('store_id', '=', scope!.storeId).where('contact_id', '=', scope!.contactId),
    )
    .limit(limit)
    .execute();
  return rows.map(toMessage);
}

/**
 * How many senders with due messages no worker holds, among the oldest due messages (as many
 * as a claim looks at): the numbers waiting for a worker, counted once a second by each worker
 * to know its share (messaging/sender-share.ts).
 */
export async function countFreeSendersWithWork(db: Db, now: number, look = 500): Promise<number> {
  const held = await sendersLeasedByOthers(db, '', now);
  const rows = await db
    .selectFrom('messages')
    .select('sender')
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .$if(held.length > 0, (q) => q.where('sender', 'not in', held))
    .orderBy('next_attempt_at')
    .limit(look)
    .execute();
  return new Set(rows.map((r) => r.sender)).size;
}

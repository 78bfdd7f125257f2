import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * The worker processes that share the database (migration 0022): each beats its row every
 * second; one whose beat is older than the timeout is taken for dead.
 */

/** This worker is alive at `now` (its first beat registers it); `dispatching`: its dispatcher paces numbers. */
export async function beat(db: Db, id: string, now: number, dispatching = false): Promise<void> {
  const dispatched = dispatching ? { dispatched_at: now } : {};
  await db
    .insertInto('workers')
    .values({ id, started_at: now, heartbeat_at: now, dispatched_at: dispatching ? now : null })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: now, ...dispatched }))
    .execute();
}

/** How many workers' dispatchers beat at `aliveSince` or later: those the numbers are shared among. */
export async function countAliveDispatchers(db: Db, aliveSince: number): Promise<number> {
  const row = await db
    .selectFrom('workers')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('dispatched_at', '>=', aliveSince)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A worker that stops says so: the others count it out at once. Rows of long-dead ones go too. */
export async function leaveWorkers(db: Db, id: string, forgetBefore: number): Promise<void> {
  await db
    .deleteFrom('workers')
    .where((eb) => eb.or([eb('id', '=', id), eb('heartbeat_at', '<', forgetBefore)]))
    .execute();
}

/** A claimer's id, and the beat time before which another claimer is taken for dead (work/presence.ts). */
export interface Liveness {
  self: string;
  deadBefore: number;
}

/**
 * True for a row whose owner (`column`) is another worker that has a heartbeat row older than
 * `deadBefore`: its claim may be taken over at once. An owner with no row is not judged (its
 * lease decides).
 */
export function ownedByDeadWorker(column: string, liveness: Liveness) {
  return sql<boolean>`(${sql.ref(column)} <> ${liveness.self} and exists (select 1 from workers where workers.id = ${sql.ref(column)} and workers.heartbeat_at < ${liveness.deadBefore}))`;
}

import { updateFromValues } from './bulk-sql.js';
import type { Db } from './database.js';
import { toJson } from './json.js';
import type { JourneyRun } from './journeys.js';

const SAVE = {
  table: 'journey_runs',
  key: 'id',
  match: [{ column: 'seq', from: 'claimed_seq' }],
  set: [
    'status',
    'step_id',
    'seq',
    'due_at',
    'waiting_for',
    'wait_started_at',
    'exit_reason',
    'notes',
    'updated_at',
    'ended_at',
  ],
  types: ['text', 'bigint', 'text', 'text', 'bigint', 'bigint', 'text', 'bigint', 'text', 'text', 'bigint', 'bigint'],
  reset: ['lease_until', 'lease_owner'],
};

/**
 * Writes the new state of the runs `owner` still holds at the seq it claimed each at, and
 * gives up their lease; a run another worker took meanwhile is left as it is. One statement
 * for many runs (UPDATE ... FROM a VALUES list, in both databases). Only what a worker changes
 * is written — position, timing, outcome, notes — so a change made meanwhile by someone else
 * (a merge moving the run to the surviving contact) is not overwritten. Returns the ids written.
 */
export async function saveRunsIfHeld(
  db: Db,
  turns: { run: JourneyRun; claimedSeq: number }[],
  owner: string,
): Promise<Set<string>> {
  const rows = turns.map(({ run, claimedSeq }) => [
    run.id,
    claimedSeq,
    run.status,
    run.stepId,
    run.seq,
    run.dueAt,
    run.waitingFor,
    run.waitStartedAt,
    run.exitReason,
    toJson(run.notes),
    run.updatedAt,
    run.endedAt,
  ]);
  return new Set(await updateFromValues(db, { ...SAVE, also: [{ column: 'lease_owner', value: owner }] }, rows));
}

/** Gives runs back unchanged (lease dropped, still due): the next round works them again. */
export async function releaseRuns(db: Db, ids: string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('journey_runs')
    .set({ lease_until: null, lease_owner: null })
    .where('id', 'in', ids)
    .where('lease_owner', '=', owner)
    .execute();
}

import { insertIgnoringConflicts } from './bulk-sql.js';
import type { Db, Storage } from './database.js';
import type { JourneyRunsTable } from './journey-schema.js';
import { parseJson, toJson } from './json.js';
import type { WorkScope } from './work-scope.js';
import { ownedByDeadWorker, type Liveness } from './workers.js';

/**
 * Journey runs (one row per shopper in a journey: its step, due time, lease) and their step
 * log. Nothing per run is held in memory: the worker claims due rows and saves them back.
 */

export type RunStatus = 'active' | 'completed' | 'exited';

export interface RunNote {
  at: number;
  note: string;
}

export interface JourneyRun {
  id: string;
  storeId: string;
  journeyId: string;
  version: number;
  contactId: string;
  runKey: string;
  status: RunStatus;
  stepId: string | null;
  seq: number;
  dueAt: number;
  leaseUntil: number | null;
  leaseOwner: string | null;
  enteredAt: number;
  triggerEventId: string | null;
  triggerAt: number;
  orderId: string | null;
  /** The trigger event as steps see it: {name, sub_name, data, order_id, ...} */
  data: Record<string, unknown>;
  waitingFor: string | null;
  waitStartedAt: number | null;
  exitReason: string | null;
  notes: RunNote[];
  updatedAt: number;
  endedAt: number | null;
}

export const toRun = (r: JourneyRunsTable): JourneyRun => ({
  id: r.id,
  storeId: r.store_id,
  journeyId: r.journey_id,
  version: Number(r.version),
  contactId: r.contact_id,
  runKey: r.run_key,
  status: r.status as RunStatus,
  stepId: r.step_id,
  seq: Number(r.seq),
  dueAt: Number(r.due_at),
  leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
  leaseOwner: r.lease_owner,
  enteredAt: Number(r.entered_at),
  triggerEventId: r.trigger_event_id,
  triggerAt: Number(r.trigger_at),
  orderId: r.order_id,
  data: parseJson<Record<string, unknown>>(r.data, {}),
  waitingFor: r.waiting_for,
  waitStartedAt: r.wait_started_at === null ? null : Number(r.wait_started_at),
  exitReason: r.exit_reason,
  notes: parseJson<RunNote[]>(r.notes, []),
  updatedAt: Number(r.updated_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
});

export const fromRun = (run: JourneyRun): JourneyRunsTable => ({
  id: run.id,
  store_id: run.storeId,
  journey_id: run.journeyId,
  version: run.version,
  contact_id: run.contactId,
  run_key: run.runKey,
  status: run.status,
  step_id: run.stepId,
  seq: run.seq,
  due_at: run.dueAt,
  lease_until: run.leaseUntil,
  lease_owner: run.leaseOwner,
  entered_at: run.enteredAt,
  trigger_event_id: run.triggerEventId,
  trigger_at: run.triggerAt,
  order_id: run.orderId,
  data: toJson(run.data),
  waiting_for: run.waitingFor,
  wait_started_at: run.waitStartedAt,
  exit_reason: run.exitReason,
  notes: toJson(run.notes),
  updated_at: run.updatedAt,
  ended_at: run.endedAt,
});

/** Every run of these journeys for these shoppers (entry rules look at past runs too). */
export async function runsOfShoppers(
  db: Db,
  storeId: string,
  journeyIds: string[],
  contactIds: string[],
): Promise<JourneyRun[]> {
  if (journeyIds.length === 0 || contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('journey_runs')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('journey_id', 'in', journeyIds)
    .where('contact_id', 'in', contactIds)
    .execute();
  return rows.map(toRun);
}

/** A shopper merged into another: their runs, past and present, are the survivor's now. */
export async function moveRunsToContact(db: Db, storeId: string, from: string, into: string): Promise<void> {
  await db
    .updateTable('journey_runs')
    .set({ contact_id: into })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', from)
    .execute();
}

export async function insertRuns(db: Db, runs: JourneyRun[]): Promise<void> {
  for (let i = 0; i < runs.length; i += 500)
    await db
      .insertInto('journey_runs')
      .values(runs.slice(i, i + 500).map(fromRun))
      .execute();
}

/** Rewrites a run that is not leased by a worker (entry: the buffer window resets it). */
export async function updateBufferedRun(db: Db, run: JourneyRun): Promise<void> {
  const row = fromRun(run);
  await db
    .updateTable('journey_runs')
    .set({
      due_at: row.due_at,
      trigger_event_id: row.trigger_event_id,
      trigger_at: row.trigger_at,
      order_id: row.order_id,
      data: row.data,
      entered_at: row.entered_at,
      updated_at: row.updated_at,
    })
    .where('id', '=', run.id)
    .where('seq', '=', 0)
    .where('wait_started_at', 'is', null)
    .where('status', '=', 'active')
    .execute();
}

/** An event the shopper did wakes their runs waiting for it: they are due now. */
export async function wakeWaitingRuns(
  db: Db,
  storeId: string,
  contactIds: string[],
  eventNames: string[],
  now: number,
): Promise<void> {
  if (contactIds.length === 0 || eventNames.length === 0) return;
  await db
    .updateTable('journey_runs')
    .set({ due_at: now, updated_at: now })
    .where('store_id', '=', storeId)
    .where('contact_id', 'in', contactIds)
    .where('waiting_for', 'in', eventNames)
    .where('status', '=', 'active')
    .where('due_at', '>', now)
    .execute();
}

/**
 * Claims due runs for `owner` until `leaseUntil`; a run whose lease ran out — or, with
 * `liveness`, whose owner is taken for dead — is due again. Only `scope`'s runs when given.
 */
export async function claimDueRuns(
  storage: Storage,
  now: number,
  leaseUntil: number,
  owner: string,
  limit: number,
  scope?: WorkScope,
  liveness?: Liveness,
): Promise<JourneyRun[]> {
  return storage.transaction(async (trx) => {
    let due = trx
      .selectFrom('journey_runs')
      .select('id')
      .where('status', '=', 'active')
      .where('due_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('lease_until', 'is', null),
          eb('lease_until', '<', now),
          ...(liveness ? [ownedByDeadWorker('journey_runs.lease_owner', liveness)] : []),
        ]),
      )
      .$if(scope !== undefined, (q) =>
        q.where('store_id', '=', scope!.storeId).where('contact_id', '=', scope!.contactId),
      )
      .orderBy('due_at')
      .limit(limit);
    if (storage.concurrentWriters) due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('journey_runs')
      .set({ lease_until: leaseUntil, lease_owner: owner })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows.map(toRun);
  });
}

/**
 * Writes a run's new state if the worker still holds it at the seq it claimed: a worker whose
 * lease ran out (and whose run another worker took) changes nothing. True when written.
 */
export async function saveRunIfHeld(db: Db, run: JourneyRun, owner: string, claimedSeq: number): Promise<boolean> {
  const { id: _id, ...row } = fromRun(run);
  const result = await db
    .updateTable('journey_runs')
    .set({ ...row, lease_until: null, lease_owner: null })
    .where('id', '=', run.id)
    .where('lease_owner', '=', owner)
    .where('seq', '=', claimedSeq)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface StepLogEntry {
  runId: string;
  seq: number;
  storeId: string;
  journeyId: string;
  stepId: string;
  outcome: string;
  detail: string | null;
  messageId: string | null;
  at: number;
}

/** Records executed steps; an entry for a (run, seq) already recorded is left as it was. */
export async function logSteps(db: Db, entries: StepLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    run_id: e.runId,
    seq: e.seq,
    store_id: e.storeId,
    journey_id: e.journeyId,
    step_id: e.stepId,
    outcome: e.outcome,
    detail: e.detail,
    message_id: e.messageId,
    at: e.at,
  }));
  await insertIgnoringConflicts(db, 'journey_steps', rows, ['run_id', 'seq'], 'run_id');
}

export async function getRun(db: Db, storeId: string, runId: string): Promise<JourneyRun | null> {
  const row = await db
    .selectFrom('journey_runs')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', runId)
    .executeTakeFirst();
  return row ? toRun(row) : null;
}

export async function listRuns(
  db: Db,
  storeId: string,
  journeyId: string,
  filter: { contactId?: string; status?: string; limit: number },
): Promise<JourneyRun[]> {
  let q = db.selectFrom('journey_runs').selectAll().where('store_id', '=', storeId).where('journey_id', '=', journeyId);
  if (filter.contactId) q = q.where('contact_id', '=', filter.contactId);
  if (filter.status) q = q.where('status', '=', filter.status);
  const rows = await q.orderBy('entered_at', 'desc').orderBy('id').limit(filter.limit).execute();
  return rows.map(toRun);
}

export async function stepsOfRun(db: Db, runId: string): Promise<StepLogEntry[]> {
  const rows = await db.selectFrom('journey_steps').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
  return rows.map((r) => ({
    runId: r.run_id,
    seq: Number(r.seq),
    storeId: r.store_id,
    journeyId: r.journey_id,
    stepId: r.step_id,
    outcome: r.outcome,
    detail: r.detail,
    messageId: r.message_id,
    at: Number(r.at),
  }));
}

/** Every run of one shopper, across journeys, oldest first (storewire demo's timeline). */
export async function runsOfContact(db: Db, storeId: string, contactId: string): Promise<JourneyRun[]> {
  const rows = await db
    .selectFrom('journey_runs')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .orderBy('entered_at')
    .orderBy('id')
    .execute();
  return rows.map(toRun);
}

/** Ends a shopper's active runs with `reason` (call it when no worker is at them); returns how many. */
export async function exitActiveRuns(
  db: Db,
  storeId: string,
  contactId: string,
  reason: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('journey_runs')
    .set({
      status: 'exited',
      exit_reason: reason,
      step_id: null,
      waiting_for: null,
      lease_until: null,
      lease_owner: null,
      ended_at: now,
      updated_at: now,
    })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

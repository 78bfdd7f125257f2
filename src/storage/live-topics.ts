import { type Kysely, sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Live updates (docs/overview.md, "Live"): a version per store and topic — `store`,
 * `contact:<id>`, `journey:<id>` — raised in the writer's own transaction by the rollup triggers
 * (storage/rollup-triggers.ts) whenever what the dashboard shows changes. Pages poll the version
 * of what they show (GET /v1/live) and read again when it moved. It lives in the database, so
 * every API process sees every other's writes; only writers that change counters raise it, and
 * those hold their store's lock, so the version rows add no new lock order.
 */
export async function createLiveTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_versions')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('live_versions_pk', ['store_id', 'topic'])
    .execute();
}

/** SQLite (in a row trigger): raise the topics of one row; `topics` are SQL over that row. */
export function sqliteRaise(row: string, topics: string[]): string {
  const list = topics.map((t) => `select ${t} as t`).join(' union all ');
  return `insert into live_versions (store_id, topic, version)
    select ${row}.store_id, t, 1 from (${list}) where t is not null
    on conflict (store_id, topic) do update set version = live_versions.version + 1;`;
}

/** PostgreSQL (in a statement trigger): raise the topics of the rows `from` selects (aliased `r`). */
export function postgresRaise(from: string, topics: string[]): string {
  return `insert into live_versions (store_id, topic, version)
    select store_id, t, count(*) from (select r.store_id, unnest(array[${topics.join(', ')}]) as t ${from}) x
    where t is not null group by store_id, t order by store_id, t
    on conflict (store_id, topic) do update set version = live_versions.version + excluded.version;`;
}

export async function dropLiveTable(db: Kysely<unknown>): Promise<void> {
  await sql.raw('drop table if exists live_versions').execute(db);
}

/** The version of a store's topic: 0 until something it shows changes. */
export async function liveVersion(db: Db, storeId: string, topic: string): Promise<number> {
  const row = await db
    .selectFrom('live_versions')
    .select('version')
    .where('store_id', '=', storeId)
    .where('topic', '=', topic)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

const STEP_LOG = 'live_from_journey_steps';

/**
 * A journey's step log (migration 0021): each step a run executes moves its journey's funnel, so
 * `journey:<id>` is raised for every step logged — a run going from one step to the next changes
 * no rollup counter. Written by the journey worker under its stores' locks, as the rollups are.
 */
export async function installStepLogLive(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  const topics = [`'journey:' || r.journey_id`];
  if (!postgres) {
    const raise = sqliteRaise(
      'new',
      topics.map((t) => t.replace(/\br\./g, 'new.')),
    );
    await sql.raw(`create trigger ${STEP_LOG}_insert after insert on journey_steps begin ${raise} end`).execute(db);
    return;
  }
  await sql
    .raw(
      `create function ${STEP_LOG}() returns trigger language plpgsql as $$
       begin
         ${postgresRaise('from new_rows r', topics)}
         return null;
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${STEP_LOG}_insert after insert on journey_steps referencing new table as new_rows
       for each statement execute function ${STEP_LOG}()`,
    )
    .execute(db);
}

export async function uninstallStepLogLive(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  await sql.raw(`drop trigger if exists ${STEP_LOG}_insert${postgres ? ' on journey_steps' : ''}`).execute(db);
  if (postgres) await sql.raw(`drop function if exists ${STEP_LOG}()`).execute(db);
}

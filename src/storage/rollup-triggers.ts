import { type Kysely, sql } from 'kysely';
import { type Db, isPostgres } from './database.js';
import { postgresRaise, sqliteRaise } from './live-topics.js';

/**
 * The overview's rollups (docs/overview.md): per store, per quarter hour, counters kept by
 * triggers in the writer's own transaction, so every way a row is written (the engine, the
 * dispatcher, status webhooks, bulk SQL) keeps them exact, and the overview never adds up the
 * event log. Quarter hours, not days: every time zone's midnight falls on one (India's +05:30,
 * Nepal's +05:45), so a day of the store's zone is a sum of whole buckets, and changing the
 * store's zone needs no rewrite.
 */
export const SLOT_MS = 900_000;

interface Rollup {
  /** The table a row's counters come from, and the rollup table they go to. */
  source: string;
  target: string;
  /** The rollup's key beside store_id: the slot (from a time column) and one dimension. */
  time: string;
  dimension: [name: string, expression: string];
  /** Counter name → its value for one source row (`r.` is the row). Same SQL in both databases. */
  measures: [name: string, expression: string][];
  /** The row's own key, to pair its old and new versions in an update. */
  id: string[];
  /** The live topics a change of the row moves (storage/live-topics.ts); null ones are skipped. */
  topics: Topic[];
}

/** SQL naming a live topic of row `r`: the same in both databases, or one for each. */
type Topic = string | { sqlite: string; postgres: string };
type Dialect = 'sqlite' | 'postgres';
const topicsOf = (rollup: Rollup, dialect: Dialect) =>
  rollup.topics.map((t) => (typeof t === 'string' ? t : t[dialect]));

const STORE_AND_CONTACT = [`'store'`, `'contact:' || r.contact_id`];

/**
 * A journey's send gives its message the campaign `journey:<journey id>:<step id>`
 * (journeys/message-campaigns.ts; neither id has a colon): its statuses move that journey's funnel.
 */
const JOURNEY_OF_CAMPAIGN: Topic = {
  sqlite: `case when r.campaign like 'journey:%:%' then 'journey:' || substr(r.campaign, 9, instr(substr(r.campaign, 9), ':') - 1) end`,
  postgres: `case when r.campaign like 'journey:%:%' then 'journey:' || split_part(r.campaign, ':', 2) end`,
};

const flag = (condition: string) => `case when ${condition} then 1 else 0 end`;

export const ROLLUPS: readonly Rollup[] = [
  {
    source: 'events',
    target: 'rollup_events',
    time: 'occurred_at',
    // Status reports are stored as events too; the overview counts them as messages, not events.
    dimension: ['kind', `case when r.name = 'message_status' then 'message_status' else r.kind end`],
    measures: [['events', '1']],
    id: ['store_id', 'event_id'],
    topics: STORE_AND_CONTACT,
  },
  {
    // The same conditions as GET /v1/stats/messages (storage/message-queries.ts), by the day
    // each message was queued: the overview's numbers for a period are the stats API's since its start.
    source: 'messages',
    target: 'rollup_messages',
    time: 'created_at',
    dimension: ['template', `coalesce(r.template_name, '')`],
    measures: [
      ['total', '1'],
      ['sent', flag(`r.sent_at is not null or r.status in ('sent', 'delivered', 'read')`)],
      ['delivered', flag(`r.delivered_at is not null or r.read_at is not null or r.status in ('delivered', 'read')`)],
      ['reads', flag(`r.read_at is not null or r.status = 'read'`)],
      ['failed', flag(`r.status = 'failed'`)],
      ['replied', flag('r.replied_at is not null')],
    ],
    id: ['id'],
    topics: [...STORE_AND_CONTACT, JOURNEY_OF_CAMPAIGN],
  },
  {
    source: 'orders',
    target: 'rollup_orders',
    time: 'ordered_at',
    dimension: ['currency', `coalesce(r.currency, '')`],
    measures: [
      ['orders', '1'],
      ['revenue_minor', 'r.total_minor'],
    ],
    id: ['store_id', 'order_id'],
    topics: STORE_AND_CONTACT,
  },
  {
    source: 'journey_runs',
    target: 'rollup_runs',
    time: 'entered_at',
    dimension: ['journey_id', 'r.journey_id'],
    measures: [
      ['entered', '1'],
      ['completed', flag(`r.status = 'completed'`)],
      ['exited', flag(`r.status = 'exited'`)],
    ],
    id: ['id'],
    topics: [`'store'`, `'journey:' || r.journey_id`, `'contact:' || r.contact_id`],
  },
];

const slotOf = (rollup: Rollup, row: string) => `cast(${row}.${rollup.time} / ${SLOT_MS} as bigint)`;
const keyNames = (rollup: Rollup) => ['store_id', 'slot', rollup.dimension[0]];
const of = (expression: string, row: string) => expression.replace(/\br\./g, `${row}.`);

/** The key and counters of one row (`row` is `new`, `old` or an alias), negated when `sign` is -1. */
function rowValues(rollup: Rollup, row: string, sign: 1 | -1): string[] {
  return [
    `${row}.store_id`,
    slotOf(rollup, row),
    of(rollup.dimension[1], row),
    ...rollup.measures.map(([, e]) => (sign === 1 ? `(${of(e, row)})` : `-(${of(e, row)})`)),
  ];
}

function upsertTail(rollup: Rollup): string {
  const set = rollup.measures.map(([m]) => `${m} = ${rollup.target}.${m} + excluded.${m}`).join(', ');
  return `on conflict (${keyNames(rollup).join(', ')}) do update set ${set}`;
}

const columnList = (rollup: Rollup) => [...keyNames(rollup), ...rollup.measures.map(([m]) => m)].join(', ');

export async function createRollupTables(db: Kysely<unknown>): Promise<void> {
  for (const rollup of ROLLUPS) {
    let table = db.schema
      .createTable(rollup.target)
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('slot', 'bigint', (c) => c.notNull())
      .addColumn(rollup.dimension[0], 'text', (c) => c.notNull());
    for (const [m] of rollup.measures) table = table.addColumn(m, 'bigint', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint(`${rollup.target}_pk`, keyNames(rollup) as never).execute();
  }
}

/** Counts what the tables hold already (a database upgraded to this version). */
export async function backfillRollups(db: Kysely<unknown>): Promise<void> {
  for (const rollup of ROLLUPS) {
    const values = rowValues(rollup, 'r', 1);
    const keys = values.slice(0, 3);
    const sums = rollup.measures.map((_, i) => `sum(${values[3 + i]})`);
    await sql
      .raw(
        `insert into ${rollup.target} (${columnList(rollup)})
         select ${[...keys, ...sums].join(', ')} from ${rollup.source} r group by ${keys.join(', ')}`,
      )
      .execute(db);
  }
}

/** SQLite: row triggers; an update that changes no key nor counter (a lease, a retry time) writes nothing. */
export async function installSqliteRollups(db: Kysely<unknown>): Promise<void> {
  for (const rollup of ROLLUPS) {
    const insert = (row: 'new' | 'old', sign: 1 | -1) =>
      `insert into ${rollup.target} (${columnList(rollup)}) values (${rowValues(rollup, row, sign).join(', ')}) ${upsertTail(rollup)};`;
    const oldValues = rowValues(rollup, 'old', 1);
    const newValues = rowValues(rollup, 'new', 1);
    const changed = oldValues.map((o, i) => `(${o}) is not (${newValues[i]})`).join(' or ');
    const name = `${rollup.target}_from_${rollup.source}`;
    const raise = (row: 'new' | 'old') =>
      sqliteRaise(
        row,
        topicsOf(rollup, 'sqlite').map((t) => of(t, row)),
      );
    await sql
      .raw(
        `create trigger ${name}_insert after insert on ${rollup.source} begin ${insert('new', 1)} ${raise('new')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name}_update after update on ${rollup.source} when ${changed} begin ${insert('old', -1)} ${insert('new', 1)} ${raise('new')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${name}_delete after delete on ${rollup.source} begin ${insert('old', -1)} ${raise('old')} end`,
      )
      .execute(db);
  }
}

/**
 * PostgreSQL: statement triggers over the transition tables, so a statement writing a thousand
 * rows does one grouped upsert, not a thousand. Every writer of these tables holds its store's
 * lock (lockStores) and rows are upserted in key order, so two writers cannot deadlock here.
 */
export async function installPostgresRollups(db: Kysely<unknown>): Promise<void> {
  for (const rollup of ROLLUPS) {
    const fn = `${rollup.target}_from_${rollup.source}`;
    const keys = ['store_id', 'slot', rollup.dimension[0]];
    const pairs = rollup.id.map((c) => `o.${c} = r.${c}`).join(' and ');
    const select = (row: string, sign: 1 | -1, table: string) =>
      `select ${rowValues(rollup, row, sign)
        .map((v, i) => `${v} as ${columnList(rollup).split(', ')[i]}`)
        .join(', ')} from ${table} ${row}`;
    const grouped = (from: string) =>
      `insert into ${rollup.target} (${columnList(rollup)})
       select ${keys.join(', ')}, ${rollup.measures.map(([m]) => `sum(${m})`).join(', ')} from (${from}) d
       group by ${keys.join(', ')}
       having ${rollup.measures.map(([m]) => `sum(${m}) <> 0`).join(' or ')}
       order by ${keys.join(', ')}
       ${upsertTail(rollup)};`;
    await sql
      .raw(
        `create function ${fn}() returns trigger language plpgsql as $$
         begin
           if tg_op = 'INSERT' then
             ${grouped(select('n', 1, 'new_rows'))}
             ${postgresRaise('from new_rows r', topicsOf(rollup, 'postgres'))}
           elsif tg_op = 'UPDATE' then
             ${grouped(`${select('n', 1, 'new_rows')} union all ${select('o', -1, 'old_rows')}`)}
             ${postgresRaise(`from new_rows r join old_rows o on ${pairs} where (${rowValues(rollup, 'o', 1).join(', ')}) is distinct from (${rowValues(rollup, 'r', 1).join(', ')})`, topicsOf(rollup, 'postgres'))}
           else
             ${grouped(select('o', -1, 'old_rows'))}
             ${postgresRaise('from old_rows r', topicsOf(rollup, 'postgres'))}
           end if;
           return null;
         end $$`,
      )
      .execute(db);
    const trigger = (op: string, referencing: string) =>
      sql
        .raw(
          `create trigger ${fn}_${op} after ${op} on ${rollup.source} referencing ${referencing} for each statement execute function ${fn}()`,
        )
        .execute(db);
    await trigger('insert', 'new table as new_rows');
    await trigger('update', 'old table as old_rows new table as new_rows');
    await trigger('delete', 'old table as old_rows');
  }
}

/** Drops the triggers (not the counters), so a migration can install them again as they are now. */
export async function dropRollupTriggers(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  for (const rollup of ROLLUPS) {
    const name = `${rollup.target}_from_${rollup.source}`;
    for (const op of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger if exists ${name}_${op}${postgres ? ` on ${rollup.source}` : ''}`).execute(db);
    if (postgres) await sql.raw(`drop function if exists ${name}()`).execute(db);
  }
}

export async function uninstallRollups(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  await dropRollupTriggers(db, postgres);
  for (const rollup of ROLLUPS) await sql.raw(`drop table if exists ${rollup.target}`).execute(db);
}

/**
 * A bulk load (`db` a transaction): `load` writes with the triggers off, then every rollup is
 * counted again from the tables in one grouped pass each and the triggers come back. A million
 * rows inserted under SQLite's row triggers cost a million upserts into the rollups and the live
 * versions; counted afterwards they cost one `group by`. The counts are the same (the backfill
 * of migration 0016). Live versions are not raised: no page shows the store while it loads.
 * PostgreSQL's DDL takes the tables' locks, so no other writer runs until the commit.
 */
export async function bulkLoadWithRollups(trx: Db, load: () => Promise<void>): Promise<void> {
  const db = trx as unknown as Kysely<unknown>;
  const postgres = isPostgres(db);
  await dropRollupTriggers(db, postgres);
  await load();
  for (const rollup of ROLLUPS) await sql.raw(`delete from ${rollup.target}`).execute(db);
  await backfillRollups(db);
  if (postgres) await installPostgresRollups(db);
  else await installSqliteRollups(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Each journey run's conversion candidate (migration 0023): the first order of the run's shopper
 * created at or after the run entered, other than the order that started the run (oldest by
 * creation time, then by order id), kept by triggers in the writer's own transaction, so every way
 * an order or a run is written (the engine, a contact merge moving orders and runs, a buffered
 * run's new entry time, bulk SQL) keeps it exact. Whether it converts depends on the journey's
 * attribution window, which a new version may change: the stats page compares `after_ms` (the
 * order's creation minus the run's entry) with the window when it reads (storage/journey-stats.ts),
 * so it reads the few conversions by index instead of joining the journey's runs to the store's
 * orders. Revenue is read from the order itself (its total may change later).
 */

const TABLE = 'journey_conversions';

/** Recomputes the conversion rows of the runs whose ids `runs` selects (a subquery). */
function recompute(runs: string): string {
  return `delete from ${TABLE} where run_id in (${runs}); ${insertFor(runs)};`;
}

/** Inserts the conversion rows of the runs `runs` selects (none for a run without an order). */
function insertFor(runs: string): string {
  return `insert into ${TABLE} (run_id, store_id, journey_id, entered_at, order_id, created_at, after_ms)
    select r.id, r.store_id, r.journey_id, r.entered_at, o.order_id, o.created_at, o.created_at - r.entered_at
    from journey_runs r join orders o on o.store_id = r.store_id and o.order_id = (
      select f.order_id from orders f
      where f.store_id = r.store_id and f.contact_id = r.contact_id and f.created_at >= r.entered_at
        and (r.order_id is null or f.order_id <> r.order_id)
      order by f.created_at, f.order_id limit 1)
    where r.id in (${runs})`;
}

/** Runs of shopper `contact` (SQL) in store `store` that entered at or before `at` (null: any time). */
const runsOf = (store: string, contact: string, at: string | null) =>
  `select id from journey_runs where store_id = ${store} and contact_id = ${contact}${at ? ` and entered_at <= ${at}` : ''}`;

/** A run's fields its conversion depends on; an order's. */
const RUN_FIELDS = ['store_id', 'contact_id', 'entered_at', 'order_id'];
const ORDER_FIELDS = ['store_id', 'contact_id', 'created_at', 'order_id'];
const changedSqlite = (fields: string[]) => fields.map((f) => `old.${f} is not new.${f}`).join(' or ');
const changedPostgres = (fields: string[]) => fields.map((f) => `old.${f} is distinct from new.${f}`).join(' or ');

export async function createConversionsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable(TABLE)
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('after_ms', 'bigint', (c) => c.notNull())
    .execute();
  // The stats page: a journey's conversions within its window, read from the index alone.
  await db.schema
    .createIndex('journey_conversions_by_delay')
    .on(TABLE)
    .columns(['store_id', 'journey_id', 'after_ms', 'created_at', 'order_id', 'run_id'])
    .execute();
  // An order arriving finds its shopper's runs; a merge moves them.
  await db.schema
    .createIndex('journey_runs_by_contact')
    .on('journey_runs')
    .columns(['store_id', 'contact_id', 'entered_at'])
    .execute();
}

/** Computes every run's row from what the tables hold (a database upgraded to this version, a bulk load). */
export async function backfillConversions(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`delete from ${TABLE}`).execute(db);
  await sql.raw(insertFor('select id from journey_runs')).execute(db);
}

export async function installConversionTriggers(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  const statements = postgres ? postgresTriggers() : sqliteTriggers();
  for (const s of statements) await sql.raw(s).execute(db);
}

function sqliteTriggers(): string[] {
  return [
    `create trigger ${TABLE}_from_orders_insert after insert on orders when new.contact_id is not null begin
       ${recompute(runsOf('new.store_id', 'new.contact_id', 'new.created_at'))} end`,
    `create trigger ${TABLE}_from_orders_update after update on orders when ${changedSqlite(ORDER_FIELDS)} begin
       ${recompute(`${runsOf('old.store_id', 'old.contact_id', null)} union ${runsOf('new.store_id', 'new.contact_id', null)}`)} end`,
    `create trigger ${TABLE}_from_orders_delete after delete on orders begin
       ${recompute(runsOf('old.store_id', 'old.contact_id', null))} end`,
    `create trigger ${TABLE}_from_runs_insert after insert on journey_runs begin
       ${recompute('select new.id')} end`,
    `create trigger ${TABLE}_from_runs_update after update on journey_runs when ${changedSqlite(RUN_FIELDS)} begin
       ${recompute('select new.id')} end`,
    `create trigger ${TABLE}_from_runs_delete after delete on journey_runs begin
       delete from ${TABLE} where run_id = old.id; end`,
  ];
}

/**
 * PostgreSQL: inserts by statement over the transition table (a bulk insert recomputes its runs in
 * one pass); updates and deletes by row, filtered by WHEN, so the worker's many run updates (step,
 * due time, lease) call nothing.
 */
function postgresTriggers(): string[] {
  const fn = (name: string, body: string) =>
    `create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`;
  return [
    fn(
      `${TABLE}_from_orders_insert`,
      recompute(
        'select r.id from new_rows n join journey_runs r on r.store_id = n.store_id and r.contact_id = n.contact_id and r.entered_at <= n.created_at',
      ),
    ),
    `create trigger ${TABLE}_from_orders_insert after insert on orders referencing new table as new_rows
       for each statement execute function ${TABLE}_from_orders_insert()`,
    fn(
      `${TABLE}_from_orders_change`,
      `if tg_op = 'UPDATE' then
         ${recompute(`${runsOf('old.store_id', 'old.contact_id', null)} union ${runsOf('new.store_id', 'new.contact_id', null)}`)}
       else
         ${recompute(runsOf('old.store_id', 'old.contact_id', null))}
       end if;`,
    ),
    `create trigger ${TABLE}_from_orders_update after update on orders for each row
       when (${changedPostgres(ORDER_FIELDS)}) execute function ${TABLE}_from_orders_change()`,
    `create trigger ${TABLE}_from_orders_delete after delete on orders for each row execute function ${TABLE}_from_orders_change()`,
    fn(`${TABLE}_from_runs_insert`, recompute('select id from new_rows')),
    `create trigger ${TABLE}_from_runs_insert after insert on journey_runs referencing new table as new_rows
       for each statement execute function ${TABLE}_from_runs_insert()`,
    fn(
      `${TABLE}_from_runs_change`,
      `if tg_op = 'UPDATE' then
         ${recompute('select new.id')}
       else
         delete from ${TABLE} where run_id = old.id;
       end if;`,
    ),
    `create trigger ${TABLE}_from_runs_update after update on journey_runs for each row
       when (${changedPostgres(RUN_FIELDS)}) execute function ${TABLE}_from_runs_change()`,
    `create trigger ${TABLE}_from_runs_delete after delete on journey_runs for each row execute function ${TABLE}_from_runs_change()`,
  ];
}

export async function uninstallConversions(db: Kysely<unknown>, postgres: boolean): Promise<void> {
  for (const [table, op] of [
    ['orders', 'insert'],
    ['orders', 'update'],
    ['orders', 'delete'],
    ['journey_runs', 'insert'],
    ['journey_runs', 'update'],
    ['journey_runs', 'delete'],
  ] as const) {
    const name = `${TABLE}_from_${table === 'orders' ? 'orders' : 'runs'}_${op}`;
    await sql.raw(`drop trigger if exists ${name}${postgres ? ` on ${table}` : ''}`).execute(db);
  }
  if (postgres)
    for (const f of ['orders_insert', 'orders_change', 'runs_insert', 'runs_change'])
      await sql.raw(`drop function if exists ${TABLE}_from_${f}()`).execute(db);
  await db.schema.dropIndex('journey_runs_by_contact').ifExists().execute();
  await sql.raw(`drop table if exists ${TABLE}`).execute(db);
}

import type { Kysely } from 'kysely';

/** Journeys: definitions and their versions, runs waiting on the scheduler, the step log, settings. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('journeys')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journeys_pk', ['store_id', 'id'])
    .execute();

  // A run stays on the version it entered; every version is kept.
  await db.schema
    .createTable('journey_versions')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('journey_versions_pk', ['store_id', 'journey_id', 'version'])
    .execute();

  await db.schema
    .createTable('journey_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    // '' unless the journey is keyed (one run per order, say).
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // The step to run when due; null once the run has ended.
    .addColumn('step_id', 'text')
    // Steps executed so far: (run, seq) names one execution of one step.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('entered_at', 'bigint', (c) => c.notNull())
    .addColumn('trigger_event_id', 'text')
    .addColumn('trigger_at', 'bigint', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('waiting_for', 'text')
    .addColumn('wait_started_at', 'bigint')
    .addColumn('exit_reason', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('journey_runs_due').on('journey_runs').columns(['status', 'due_at']).execute();
  await db.schema
    .createIndex('journey_runs_by_shopper')
    .on('journey_runs')
    .columns(['store_id', 'journey_id', 'contact_id', 'run_key'])
    .execute();
  await db.schema
    .createIndex('journey_runs_waiting_for')
    .on('journey_runs')
    .columns(['store_id', 'contact_id', 'waiting_for'])
    .execute();

  await db.schema
    .createTable('journey_steps')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('journey_id', 'text', (c) => c.notNull())
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('message_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    // At most one execution of each (run, seq): a second worker's insert changes nothing.
    .addPrimaryKeyConstraint('journey_steps_pk', ['run_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('journey_steps_by_journey')
    .on('journey_steps')
    .columns(['store_id', 'journey_id', 'step_id'])
    .execute();

  // The shopper's answer to a failed delivery (seed 004's ndrResolutionDetails), written by the failed-delivery journey.
  await db.schema.alterTable('shipments').addColumn('ndr_resolution', 'text').execute();

  await db.schema
    .createTable('journey_settings')
    .addColumn('store_id', 'text', (c) => c.primaryKey())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['journey_settings', 'journey_steps', 'journey_runs', 'journey_versions', 'journeys'])
    await db.schema.dropTable(table).execute();
}

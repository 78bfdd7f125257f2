import type { Kysely } from 'kysely';

/**
 * Worker processes that know each other (issue 12): each running dispatcher beats a row here
 * every second, so the others can count the workers alive — each paces about its share of the
 * numbers — and tell a dead one from a slow one within seconds. A message claimed for sending
 * names its worker (`claimed_by`): when that worker's heartbeat stops, its sends in flight are
 * recovered at once instead of after the 30-second message lease.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    /** When its dispatcher last beat: only workers that pace numbers share them out. */
    .addColumn('dispatched_at', 'bigint')
    .execute();
  await db.schema.alterTable('messages').addColumn('claimed_by', 'text').execute();
  // The worker holding a store webhook delivery's lease (its claimer), like journey_runs.lease_owner.
  await db.schema.alterTable('webhook_deliveries').addColumn('lease_owner', 'text').execute();
  // Every attempt to send a message, with what is known of it (docs/messages.md, "The log").
  await db.schema
    .createTable('message_attempts')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    /** null while in flight; sent, error or unknown (the worker stopped before it knew). */
    .addColumn('outcome', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('error_code', 'text')
    .addPrimaryKeyConstraint('message_attempts_pk', ['message_id', 'attempt'])
    .execute();
  // Attempts whose outcome stayed unknown: a message sent after one may have reached the shopper twice.
  await db.schema
    .alterTable('messages')
    .addColumn('unknown_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('unknown_attempts').execute();
  await db.schema.dropTable('message_attempts').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('lease_owner').execute();
  await db.schema.alterTable('messages').dropColumn('claimed_by').execute();
  await db.schema.dropTable('workers').execute();
}

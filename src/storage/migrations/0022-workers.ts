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
    .execute();
  await db.schema.alterTable('messages').addColumn('claimed_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('claimed_by').execute();
  await db.schema.dropTable('workers').execute();
}

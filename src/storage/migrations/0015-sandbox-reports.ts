import type { Kysely } from 'kysely';

/**
 * The sandbox channel's status reports (sent, delivered, read, failed) waiting for their time.
 * They lived in memory and were lost when the process stopped; as rows, a message sent before a
 * restart is still reported delivered and read after it. The status feed worker claims due rows
 * with a lease, applies them as a webhook would, and deletes them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sandbox_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('account_external_id', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('errors', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    /** The report's place among its message's: sent before delivered before read, due at once or not. */
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .execute();
  await db.schema.createIndex('sandbox_reports_due').on('sandbox_reports').columns(['due_at', 'ord']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sandbox_reports').execute();
}

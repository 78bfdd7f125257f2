import type { Kysely } from 'kysely';

/**
 * Errors Meta reports about a connected account rather than one message (WhatsApp's error
 * webhooks: a system error, the whole number rate-limited with 130429). GET /v1/channels shows
 * each account's latest; the store is told by a `channel.error` webhook.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_errors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('href', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_errors_by_account')
    .on('channel_errors')
    .columns(['store_id', 'channel', 'received_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_errors').execute();
}

import type { Kysely } from 'kysely';

/**
 * The demo store's API key and ingest token in clear, so that every `storewire start` and
 * `storewire stores demo` on this database can show them, whatever folder it runs in. Only the
 * demo store's: every other store's secrets exist only as hashes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('demo_credentials')
    .addColumn('store_id', 'text', (c) => c.primaryKey())
    .addColumn('api_key', 'text', (c) => c.notNull())
    .addColumn('ingest_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('demo_credentials').execute();
}

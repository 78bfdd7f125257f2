import type { Kysely } from 'kysely';

/** Connectors (Shopify, the shipping partner) and what their webhooks sent that Storewire set aside. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('store_connectors')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    // How an inbound webhook finds its store: the shop domain (Shopify), the token's hash (Shiprocket).
    .addColumn('lookup_key', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_connectors_pk', ['store_id', 'connector'])
    .execute();
  await db.schema
    .createIndex('store_connectors_by_lookup_key')
    .on('store_connectors')
    .columns(['connector', 'lookup_key'])
    .execute();

  // Deliveries answered 200 but not applied (an unknown topic, a checkout that names nobody):
  // counted per topic and reason so a store can see what it subscribed to in vain.
  await db.schema
    .createTable('connector_ignored')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('last_delivery_id', 'text')
    .addPrimaryKeyConstraint('connector_ignored_pk', ['store_id', 'connector', 'topic', 'reason'])
    .execute();
}

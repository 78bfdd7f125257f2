import type { Kysely } from 'kysely';
import { contactSearchOf } from '../database.js';

/**
 * The dashboard's lists (issue 13): the contacts' word index for search (storage/contact-search*),
 * the order list newest first (by store, and by store and status), and the message log newest
 * first (by store: without it a page of 200,000 messages sorted them all, 500 ms on SQLite).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await contactSearchOf(db).install(db);
  await db.schema.createIndex('orders_by_date').on('orders').columns(['store_id', 'ordered_at', 'order_id']).execute();
  await db.schema
    .createIndex('orders_by_status')
    .on('orders')
    .columns(['store_id', 'status', 'ordered_at', 'order_id'])
    .execute();
  await db.schema.createIndex('messages_by_store_time').on('messages').columns(['store_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_by_store_time').execute();
  await db.schema.dropIndex('orders_by_status').execute();
  await db.schema.dropIndex('orders_by_date').execute();
  await contactSearchOf(db).uninstall(db);
}

import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * The hosted order-tracking page (issue 13): every order gets a random token, the secret part of
 * its public link PUBLIC_URL/t/<token> (never the order id). Orders that exist get theirs here;
 * new orders get one as they are written (storage/orders.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').addColumn('tracking_token', 'text').execute();
  for (;;) {
    const rows = await db
      .selectFrom('orders')
      .select(['store_id', 'order_id'])
      .where('tracking_token', 'is', null)
      .limit(1000)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows)
      await db
        .updateTable('orders')
        .set({ tracking_token: randomBytes(16).toString('base64url') })
        .where('store_id', '=', row.store_id)
        .where('order_id', '=', row.order_id)
        .execute();
  }
  await db.schema.createIndex('orders_by_tracking_token').unique().on('orders').column('tracking_token').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_by_tracking_token').execute();
  await db.schema.alterTable('orders').dropColumn('tracking_token').execute();
}

import type { Kysely } from 'kysely';

/**
 * Which dispatcher paces each sender (a WhatsApp number, a Messenger page) right now. Meta counts
 * a number's messages per second over all who send for it: two worker processes pacing the same
 * number each at its limit would send at twice it. A dispatcher claims messages only of senders
 * it holds a lease on here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sender_leases')
    .addColumn('sender', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sender_leases').execute();
}

import type { Kysely } from 'kysely';

/**
 * Marketing consent on Messenger, beside WhatsApp's: null until the shopper says something
 * (marketing allowed, as before), INACTIVE once they write STOP, ACTIVE when they write START.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('messenger_status', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('messenger_status_source', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('messenger_status_at', 'bigint').execute();
}

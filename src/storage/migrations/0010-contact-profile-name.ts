import type { Kysely } from 'kysely';

/**
 * The name a shopper gave themselves on WhatsApp (the webhook's `contacts[].profile.name`),
 * kept beside the name the store gave the contact instead of overwriting it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('whatsapp_profile_name', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('whatsapp_profile_name').execute();
}

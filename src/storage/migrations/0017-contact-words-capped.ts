import type { Kysely } from 'kysely';
import { contactSearchOf, isPostgres } from '../database.js';

/**
 * PostgreSQL's contact words are rebuilt with each word cut to 200 characters
 * (storage/contact-search-postgres.ts): a customer id or name of one 2,048-byte word made every
 * event naming that shopper fail. SQLite's FTS5 index has no such limit and is left as it is.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await contactSearchOf(db).uninstall(db);
  await contactSearchOf(db).install(db);
}

export async function down(): Promise<void> {
  // The capped words are a superset of what the old column could hold: nothing to undo.
}

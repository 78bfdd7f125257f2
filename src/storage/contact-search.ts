import type { Expression, Kysely, SqlBool } from 'kysely';
import type { ContactQuery } from '../domain/contact-query.js';

/**
 * The word index over contacts' name, email, phone and customer id that dashboard search uses
 * (domain/contact-query.ts says what a query means). Each database has its own: SQLite an FTS5
 * table kept by triggers, PostgreSQL a GIN index over the words. Both are kept in step with the
 * contacts table by the database itself, so no writer has to remember them.
 */
export interface ContactSearch {
  /** Creates the index (and fills it with the contacts there are): migration 0008. */
  install(db: Kysely<unknown>): Promise<void>;
  uninstall(db: Kysely<unknown>): Promise<void>;
  /** A condition on `contacts` rows: the contact of the store matches every group of the query. */
  matches(storeId: string, query: ContactQuery): Expression<SqlBool>;
}

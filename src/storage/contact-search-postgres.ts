import { sql } from 'kysely';
import type { ContactQuery } from '../domain/contact-query.js';
import type { ContactSearch } from './contact-search.js';

/**
 * PostgreSQL: each contact's words (letters and digits, lower case) in a generated column, as a
 * tsvector made without any text-search dictionary — words are kept as they are, and a query term
 * matches the beginning of a word (`term:*`) — with a GIN index over it. PostgreSQL computes the
 * column on every write. Stored, not computed when read: a search matching most of a store's
 * contacts ("+91 98") is then answered by reading the newest contacts and testing their stored
 * words, instead of splitting 100,000 names with a regular expression (2.5 s → milliseconds).
 */
const TEXT = `lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(customer_id, ''))`;
/**
 * A tsvector refuses a word over 2,047 bytes ("word is too long"), and a refused contact write
 * fails the event that carried it: a run of letters and digits is cut to its first 200 characters
 * (800 bytes at most) before it becomes a word. Search matches the beginning of words, so a cut
 * word is still found by anything a person would type.
 */
const CAPPED = `regexp_replace(${TEXT}, '([[:alnum:]]{200})[[:alnum:]]+', '\\1', 'g')`;
const WORDS = `array_to_tsvector(array_remove(regexp_split_to_array(${CAPPED}, '[^[:alnum:]]+'), ''))`;

export const postgresContactSearch: ContactSearch = {
  async install(db) {
    await sql
      .raw(`alter table contacts add column search_words tsvector generated always as (${WORDS}) stored`)
      .execute(db);
    await sql.raw('create index contacts_words on contacts using gin (search_words)').execute(db);
  },

  async uninstall(db) {
    await sql.raw('drop index if exists contacts_words').execute(db);
    await sql.raw('alter table contacts drop column if exists search_words').execute(db);
  },

  matches(storeId: string, query: ContactQuery) {
    // Terms are runs of letters and digits (contact-query.ts): nothing in them needs escaping but
    // the quote, which they cannot hold; it is doubled all the same.
    const lexeme = (term: string) => `'${term.replace(/'/g, "''")}':*`;
    const tsquery = query.map((group) => `(${group.map(lexeme).join(' | ')})`).join(' & ');
    return sql<boolean>`(contacts.store_id = ${storeId} and contacts.search_words @@ ${tsquery}::tsquery)`;
  },
};

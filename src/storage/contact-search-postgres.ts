import { sql } from 'kysely';
import type { ContactQuery } from '../domain/contact-query.js';
import type { ContactSearch } from './contact-search.js';

/**
 * PostgreSQL: a GIN index over the words of each contact (letters and digits, lower case), as a
 * tsvector built without any text-search dictionary, so words are kept as they are and a query
 * term matches the beginning of a word (`term:*`). The index is on an expression of the contacts'
 * own columns: PostgreSQL keeps it up to date with every write.
 */
const WORDS = `array_to_tsvector(array_remove(regexp_split_to_array(lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(customer_id, '')), '[^[:alnum:]]+'), ''))`;

export const postgresContactSearch: ContactSearch = {
  async install(db) {
    await sql.raw(`create index contacts_words on contacts using gin ((${WORDS}))`).execute(db);
  },

  async uninstall(db) {
    await sql.raw('drop index if exists contacts_words').execute(db);
  },

  matches(storeId: string, query: ContactQuery) {
    // Terms are runs of letters and digits (contact-query.ts): nothing in them needs escaping but
    // the quote, which they cannot hold; it is doubled all the same.
    const lexeme = (term: string) => `'${term.replace(/'/g, "''")}':*`;
    const tsquery = query.map((group) => `(${group.map(lexeme).join(' | ')})`).join(' & ');
    return sql<boolean>`(contacts.store_id = ${storeId} and ${sql.raw(WORDS.replace(/\b(name|email|phone|customer_id)\b/g, 'contacts.$1'))} @@ ${tsquery}::tsquery)`;
  },
};

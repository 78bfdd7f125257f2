import { type Kysely, sql } from 'kysely';
import type { ContactQuery } from '../domain/contact-query.js';
import type { ContactSearch } from './contact-search.js';

const COLUMNS = 'store_id, name, email, phone, customer_id';
const values = (row: 'new' | 'old') => COLUMNS.split(', ').map((c) => `${row}.${c}`);

/**
 * SQLite: an FTS5 table over the contacts table (external content: it keeps only the index,
 * keyed by the contacts' rowid), updated by triggers in the writer's own transaction. Rowids of a
 * table without an INTEGER PRIMARY KEY may change in a VACUUM: after one, run
 * `INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')`.
 */
export const sqliteContactSearch: ContactSearch = {
  async install(db) {
    await sql
      .raw(
        `create virtual table contacts_fts using fts5(${COLUMNS}, content='contacts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3')`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger contacts_fts_insert after insert on contacts begin
           insert into contacts_fts(rowid, ${COLUMNS}) values (new.rowid, ${values('new').join(', ')});
         end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger contacts_fts_delete after delete on contacts begin
           insert into contacts_fts(contacts_fts, rowid, ${COLUMNS}) values ('delete', old.rowid, ${values('old').join(', ')});
         end`,
      )
      .execute(db);
    // Every upsert of a contact sets these columns; only a real change rewrites its words.
    const changed = COLUMNS.split(', ')
      .map((c) => `old.${c} is not new.${c}`)
      .join(' or ');
    await sql
      .raw(
        `create trigger contacts_fts_update after update of ${COLUMNS} on contacts when ${changed} begin
           insert into contacts_fts(contacts_fts, rowid, ${COLUMNS}) values ('delete', old.rowid, ${values('old').join(', ')});
           insert into contacts_fts(rowid, ${COLUMNS}) values (new.rowid, ${values('new').join(', ')});
         end`,
      )
      .execute(db);
    await sql.raw(`insert into contacts_fts(contacts_fts) values ('rebuild')`).execute(db);
  },

  async uninstall(db: Kysely<unknown>) {
    for (const trigger of ['contacts_fts_insert', 'contacts_fts_delete', 'contacts_fts_update'])
      await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
    await sql.raw('drop table if exists contacts_fts').execute(db);
  },

  matches(storeId: string, query: ContactQuery) {
    const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
    const words = query.map((group) => `(${group.map((term) => `${quote(term)}*`).join(' OR ')})`).join(' AND ');
    const match = `store_id : ${quote(storeId)} AND {name email phone customer_id} : (${words})`;
    return sql<boolean>`contacts.rowid in (select rowid from contacts_fts where contacts_fts match ${match})`;
  },
};

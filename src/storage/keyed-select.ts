import { sql } from 'kysely';
import { chunk } from './bulk.js';
import { capabilitiesOf, type Db } from './database.js';
import type { Schema } from './schema.js';

export interface KeyedSelect {
  table: keyof Schema;
  storeId: string;
  /** The key columns, matched together against each tuple of `keys`. */
  columns: string[];
  keys: string[][];
  /** Columns to return (default all). */
  select?: string[];
}

/**
 * The rows of one store whose key columns equal one of the given tuples.
 *
 * On PostgreSQL, while a table has no statistics yet (a new install, before autovacuum has
 * analyzed it), both `IN (...)` and a join against the key list are planned as a scan of all
 * the store's rows with a filter — tens of milliseconds per batch, growing with the table. A
 * LATERAL subquery fenced with OFFSET 0 cannot be reordered or flattened, so it is one index
 * lookup per key whatever the statistics. SQLite plans an IN-list as lookups already.
 */
export async function selectByKeys<Row>(db: Db, query: KeyedSelect): Promise<Row[]> {
  const seen = new Set<string>();
  const keys = query.keys.filter((key) => {
    const id = key.join('\u0000');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (keys.length === 0) return [];
  const selected = query.select ? sql.join(query.select.map((c) => sql.ref(`t.${c}`))) : sql`t.*`;
  const table = sql.table(query.table);
  const refs = query.columns.map((c) => sql.ref(`t.${c}`));

  if (capabilitiesOf(db).bindsArrays) {
    const arrays = query.columns.map((_, i) => sql`${keys.map((k) => k[i])}::text[]`);
    const names = sql.join(query.columns.map((_, i) => sql.raw(`k${i}`)));
    const match = sql.join(
      refs.map((ref, i) => sql`${ref} = ${sql.raw(`k.k${i}`)}`),
      sql` and `,
    );
    const result =
      await sql<Row>`select ${selected} from unnest(${sql.join(arrays)}) as k(${names}) cross join lateral (select * from ${table} as t where t.store_id = ${query.storeId} and ${match} offset 0) as t`.execute(
        db,
      );
    return result.rows;
  }

  const rows: Row[] = [];
  const perStatement = Math.floor(900 / query.columns.length);
  for (const part of chunk(keys, perStatement)) {
    const condition =
      query.columns.length === 1
        ? sql`${refs[0]} in (${sql.join(part.map((k) => k[0]))})`
        : sql`(${sql.join(refs)}) in (values ${sql.join(part.map((k) => sql`(${sql.join(k)})`))})`;
    const result =
      await sql<Row>`select ${selected} from ${table} as t where t.store_id = ${query.storeId} and ${condition}`.execute(
        db,
      );
    rows.push(...result.rows);
  }
  return rows;
}

import { CompiledQuery } from 'kysely';
import { chunk } from './bulk.js';
import { capabilitiesOf, type Db } from './database.js';

/**
 * Multi-row statements written as SQL text, for the hottest bulk writes (the journey worker's
 * messages, step log and run states). Kysely's builder compiles every value it binds — 15–35 ms
 * for 500 messages of 29 columns on the bench machine, more than SQLite takes to write them —
 * while the text for one shape of statement is the same every time: built once, kept, bound
 * with the values as they are.
 */

const MAX_PARAMS = 30_000;
const texts = new Map<string, string>();

const quote = (name: string) => `"${name}"`;

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: `rows` groups of `width` placeholders, optionally wrapping each with `wrap[i]`. */
function placeholders(numbered: boolean, rows: number, width: number, wrap?: (i: number, p: string) => string): string {
  const groups: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const one: string[] = [];
    for (let c = 0; c < width; c++) {
      const p = numbered ? `$${++n}` : '?';
      one.push(wrap && r === 0 ? wrap(c, p) : p);
    }
    groups.push(`(${one.join(', ')})`);
  }
  return groups.join(', ');
}

function cached(key: string, build: () => string): string {
  let text = texts.get(key);
  if (!text) {
    text = build();
    if (texts.size > 200) texts.clear();
    texts.set(key, text);
  }
  return text;
}

/**
 * INSERT of `rows` (objects with the same keys, in the same order) that skips rows conflicting
 * on `conflict`; returns the `returning` column of the rows inserted.
 */
export async function insertIgnoringConflicts<Row extends object>(
  db: Db,
  table: string,
  rows: Row[],
  conflict: string[],
  returning: string,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const numbered = capabilitiesOf(db).numberedParams;
  const columns = Object.keys(rows[0]!);
  const inserted: string[] = [];
  for (const part of chunk(rows, Math.max(1, Math.floor(MAX_PARAMS / columns.length)))) {
    const text = cached(
      `insert\u0000${numbered}\u0000${table}\u0000${columns.join()}\u0000${part.length}\u0000${conflict.join()}\u0000${returning}`,
      () =>
        `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${placeholders(numbered, part.length, columns.length)} on conflict (${conflict.map(quote).join(', ')}) do nothing returning ${quote(returning)}`,
    );
    const params: unknown[] = [];
    for (const row of part) for (const column of columns) params.push((row as Record<string, unknown>)[column] ?? null);
    const result = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(text, params));
    for (const r of result.rows) inserted.push(r[returning]!);
  }
  return inserted;
}

export interface RowUpdate {
  table: string;
  key: string;
  /** Columns that must still hold the row's value for `from` (compare-and-set). */
  match: { column: string; from: string }[];
  set: string[];
  /** SQL types of `key`, then of each `match`, then of each `set`. */
  types: string[];
  /** Columns that must equal one value for every row. */
  also: { column: string; value: unknown }[];
  /** Columns set to null. */
  reset: string[];
}

/**
 * UPDATE of many rows, each to its own values (rows: key, then each `match` value, then each
 * `set` value), only where the `match` and `also` columns still hold what is given; returns
 * the keys of the rows updated. PostgreSQL takes them in one statement, UPDATE ... FROM a
 * VALUES list (one round trip). SQLite runs that form ~10x slower than one prepared UPDATE per
 * row (measured: 43–57 µs against 4–7 µs a row), and an embedded database has no round trip
 * to save, so there it is one statement per row.
 */
export async function updateFromValues(db: Db, spec: RowUpdate, rows: unknown[][]): Promise<string[]> {
  if (rows.length === 0) return [];
  const capabilities = capabilitiesOf(db);
  if (!capabilities.updatesFromValues) return updateEach(db, spec, rows);
  const numbered = capabilities.numberedParams;
  const names = [spec.key, ...spec.match.map((m) => m.from), ...spec.set];
  const updated: string[] = [];
  for (const part of chunk(rows, Math.max(1, Math.floor((MAX_PARAMS - spec.also.length) / names.length)))) {
    const shape = JSON.stringify({ ...spec, also: spec.also.map((a) => a.column) });
    const text = cached(`update\u0000${numbered}\u0000${shape}\u0000${part.length}`, () => {
      const values = placeholders(numbered, part.length, names.length, (i, p) => `cast(${p} as ${spec.types[i]})`);
      let n = part.length * names.length;
      const t = quote(spec.table);
      const conditions = [
        `${t}.${quote(spec.key)} = v.${quote(spec.key)}`,
        ...spec.match.map((m) => `${t}.${quote(m.column)} = v.${quote(m.from)}`),
        ...spec.also.map((a) => `${t}.${quote(a.column)} = ${numbered ? `$${++n}` : '?'}`),
      ];
      const assignments = [
        ...spec.set.map((c) => `${quote(c)} = v.${quote(c)}`),
        ...spec.reset.map((c) => `${quote(c)} = null`),
      ];
      return `with v (${names.map(quote).join(', ')}) as (values ${values}) update ${t} set ${assignments.join(', ')} from v where ${conditions.join(' and ')} returning ${t}.${quote(spec.key)}`;
    });
    const params = [...part.flat(), ...spec.also.map((a) => a.value)];
    const result = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(text, params));
    for (const r of result.rows) updated.push(r[spec.key]!);
  }
  return updated;
}

async function updateEach(db: Db, spec: RowUpdate, rows: unknown[][]): Promise<string[]> {
  const shape = JSON.stringify({ ...spec, also: spec.also.map((a) => a.column) });
  const text = cached(`update-one\u0000${shape}`, () => {
    const assignments = [...spec.set.map((c) => `${quote(c)} = ?`), ...spec.reset.map((c) => `${quote(c)} = null`)];
    const conditions = [spec.key, ...spec.match.map((m) => m.column), ...spec.also.map((a) => a.column)].map(
      (c) => `${quote(c)} = ?`,
    );
    return `update ${quote(spec.table)} set ${assignments.join(', ')} where ${conditions.join(' and ')}`;
  });
  const matched = 1 + spec.match.length;
  const also = spec.also.map((a) => a.value);
  const updated: string[] = [];
  for (const row of rows) {
    const result = await db.executeQuery(
      CompiledQuery.raw(text, [...row.slice(matched), ...row.slice(0, matched), ...also]),
    );
    if (Number(result.numAffectedRows ?? 0) === 1) updated.push(row[0] as string);
  }
  return updated;
}

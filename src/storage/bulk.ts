/**
 * Bulk statements stay under both databases' bound-parameter limits (SQLite 32,766,
 * PostgreSQL 65,535) by splitting rows and IN-lists into chunks.
 */
const MAX_PARAMS = 30_000;
const MAX_IN_LIST = 1_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows of `columns` values each, in chunks one statement can carry. */
export function rowChunks<T extends object>(rows: readonly T[]): T[][] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!).length;
  return chunk(rows, Math.max(1, Math.floor(MAX_PARAMS / columns)));
}

export const inListChunks = <T>(values: readonly T[]): T[][] => chunk(values, MAX_IN_LIST);

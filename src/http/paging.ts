import Type from 'typebox';
import { AppError } from '../errors.js';

/** Keyset paging of the dashboard's lists: `limit` (default 50, at most 200) and `after` (a `next` of the list). */
export const PagingQuery = {
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'Items per page: 1 to 200 (default 50).' })),
  after: Type.Optional(
    Type.String({ maxLength: 500, description: 'The `next` of the previous page: the page after it.' }),
  ),
};

export function pageLimit(raw: string | undefined, max = 200): number {
  return Math.min(Math.max(Number(raw ?? 50), 1), max);
}

/** An opaque cursor: the sort key of the last item shown. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor holds, checked against its expected shape ("s" string, "n" number). */
export function decodeCursor(cursor: string, shape: string): (string | number)[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const fits =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((v, i) => (shape[i] === 'n' ? Number.isSafeInteger(v) : typeof v === 'string' && v.length <= 300));
  if (!fits) throw new AppError('INVALID_CURSOR', 'the after cursor is not one this list gave; start again without it');
  return key as (string | number)[];
}

/** A page of `limit` items from `limit + 1` rows read, and the cursor of the next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (last: T) => readonly (string | number)[]) {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}

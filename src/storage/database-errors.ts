/**
 * Database faults that are not any request's fault — the database is busy, full or out of
 * reach — as opposed to a statement this code got wrong. Those are answered 503 (retry later)
 * at once, never retried request by request.
 */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code.startsWith('SQLITE_BUSY') ||
    code === 'SQLITE_FULL' ||
    code === 'SQLITE_IOERR' ||
    code === '57P01' ||
    code === '53300' ||
    code.startsWith('08')
  );
}

/** A statement broke a unique constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

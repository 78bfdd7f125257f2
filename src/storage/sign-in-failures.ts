import { sql } from 'kysely';
import type { Db } from './database.js';

export type FailureKind = 'account' | 'address';

export async function recordSignInFailure(
  db: Db,
  failures: { kind: FailureKind; subject: string }[],
  at: number,
): Promise<void> {
  await db
    .insertInto('sign_in_failures')
    .values(failures.map((f) => ({ kind: f.kind, subject: f.subject, at })))
    .execute();
}

/** How many failures the subject had since `since`, and when the oldest of them was. */
export async function signInFailuresSince(
  db: Db,
  kind: FailureKind,
  subject: string,
  since: number,
): Promise<{ count: number; oldest: number | null }> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`min(at)`.as('oldest')])
    .where('kind', '=', kind)
    .where('subject', '=', subject)
    .where('at', '>', since)
    .executeTakeFirst();
  return { count: Number(row?.n ?? 0), oldest: row?.oldest == null ? null : Number(row.oldest) };
}

/** A successful sign-in clears the account's count (the address keeps its own). */
export async function clearSignInFailures(db: Db, kind: FailureKind, subject: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('kind', '=', kind).where('subject', '=', subject).execute();
}

/** Forgets failures too old to count. */
export async function pruneSignInFailures(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('at', '<=', before).execute();
}

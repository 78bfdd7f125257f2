import type { Store } from '../domain/store.js';
import type { Db } from './database.js';
import { toStore } from './stores.js';

export interface SessionRow {
  tokenHash: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface SessionUser {
  session: SessionRow;
  user: { id: string; email: string; name: string | null };
}

export async function insertSession(db: Db, session: SessionRow): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: session.createdAt,
      last_seen_at: session.lastSeenAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

const sessionColumns = [
  'sessions.token_hash',
  'sessions.user_id',
  'sessions.created_at',
  'sessions.last_seen_at',
  'sessions.expires_at',
  'users.email',
  'users.name',
] as const;

type SessionJoinRow = {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  email: string;
  name: string | null;
};

const toSessionUser = (row: SessionJoinRow): SessionUser => ({
  session: {
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
  },
  user: { id: row.user_id, email: row.email, name: row.name },
});

/** The session with its user, however old (the caller judges expiry). */
export async function findSession(db: Db, tokenHash: string): Promise<SessionUser | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(sessionColumns)
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row ? toSessionUser(row) : null;
}

/** The session, and the user's role in the store with the store itself when they belong to it: one query per request. */
export async function findSessionInStore(
  db: Db,
  tokenHash: string,
  storeId: string,
): Promise<(SessionUser & { member: { role: string; store: Store } | null }) | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('memberships', (join) =>
      join.onRef('memberships.user_id', '=', 'sessions.user_id').on('memberships.store_id', '=', storeId),
    )
    .leftJoin('stores', 'stores.id', 'memberships.store_id')
    .select(sessionColumns)
    .select([
      'memberships.role as role',
      'stores.id as store_id',
      'stores.name as store_name',
      'stores.default_country',
      'stores.time_zone',
      'stores.api_key_hash',
      'stores.ingest_token_hash',
      'stores.settings',
      'stores.is_demo',
      'stores.created_at as store_created_at',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  const member =
    row.role && row.store_id
      ? {
          role: row.role,
          store: toStore({
            id: row.store_id,
            name: row.store_name!,
            default_country: row.default_country!,
            time_zone: row.time_zone!,
            api_key_hash: row.api_key_hash!,
            ingest_token_hash: row.ingest_token_hash!,
            settings: row.settings!,
            is_demo: row.is_demo!,
            created_at: Number(row.store_created_at),
          }),
        }
      : null;
  return { ...toSessionUser(row), member };
}

/** The session was used: its idle expiry counts from now. */
export async function touchSession(db: Db, tokenHash: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of the user (a new password signs everyone out). */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Forgets the user's sessions that ran out (absolutely, or idle since `idleBefore`). */
export async function deleteEndedSessions(db: Db, userId: string, now: number, idleBefore: number): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}

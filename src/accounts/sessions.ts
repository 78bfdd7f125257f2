import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../storage/database.js';
import {
  deleteEndedSessions,
  deleteSession,
  findSession,
  findSessionInStore,
  insertSession,
  type SessionRow,
  type SessionUser,
  touchSession,
} from '../storage/sessions.js';
import { hashSecret } from '../storage/stores.js';

/** The browser's session: the cookie holds a random token, the database only its SHA-256. */
export const SESSION_COOKIE = 'sw_session';
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often per session: a page of API calls costs no writes. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface StartedSession {
  token: string;
  expiresAt: number;
}

export async function startSession(db: Db, userId: string, now: number): Promise<StartedSession> {
  const token = randomBytes(32).toString('base64url');
  await deleteEndedSessions(db, userId, now, now - SESSION_IDLE_MS);
  const expiresAt = now + SESSION_MAX_MS;
  await insertSession(db, { tokenHash: hashSecret(token), userId, createdAt: now, lastSeenAt: now, expiresAt });
  return { token, expiresAt };
}

const isLive = (session: SessionRow, now: number) =>
  now < session.expiresAt && now - session.lastSeenAt < SESSION_IDLE_MS;

/** Keeps a session in use alive; an ended one is forgotten. Returns whether it is live. */
async function keepAlive(db: Db, session: SessionRow, now: number): Promise<boolean> {
  if (!isLive(session, now)) {
    await deleteSession(db, session.tokenHash);
    return false;
  }
  if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await touchSession(db, session.tokenHash, now);
  return true;
}

/** The live session a cookie's token names, or null (unknown, signed out, idle too long, too old). */
export async function resumeSession(db: Db, token: string, now: number): Promise<SessionUser | null> {
  const found = await findSession(db, hashSecret(token));
  return found && (await keepAlive(db, found.session, now)) ? found : null;
}

/** resumeSession, with the user's role in the store and the store, when they belong to it. */
export async function resumeSessionInStore(db: Db, token: string, storeId: string, now: number) {
  const found = await findSessionInStore(db, hashSecret(token), storeId);
  return found && (await keepAlive(db, found.session, now)) ? found : null;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await deleteSession(db, hashSecret(token));
}

/**
 * The CSRF token of a session, derived from its token: only a page that could read the session
 * (our own, through GET /v1/session) knows it, and nothing more has to be stored.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`storewire csrf\u0000${sessionToken}`).digest('base64url');
}

export function csrfTokenMatches(sessionToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

import type { Db } from '../storage/database.js';
import { findUserByEmail } from '../storage/users.js';
import { verifyNothing, verifyPassword } from './password.js';
import { startSession, type StartedSession } from './sessions.js';
import { recordFailedSignIn, recordSuccessfulSignIn, signInBlockedFor } from './sign-in-limits.js';

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string | null }; session: StartedSession }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'too_many_attempts'; retryAfterSeconds: number };

/**
 * Email and password to a session. A wrong password and an unknown email are one answer and
 * take the same time; after too many failures the account (or the address) is refused before
 * any password is checked, until the window lets it try again.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string; address: string },
  now: number,
): Promise<SignInResult> {
  const subject = { account: input.email.trim().toLowerCase(), address: input.address };
  const blockedFor = await signInBlockedFor(db, subject, now);
  if (blockedFor !== null) return { ok: false, reason: 'too_many_attempts', retryAfterSeconds: blockedFor };
  const user = await findUserByEmail(db, subject.account);
  const valid = user ? await verifyPassword(input.password, user.passwordHash) : await verifyNothing(input.password);
  if (!user || !valid) {
    await recordFailedSignIn(db, subject, now);
    return { ok: false, reason: 'invalid_credentials' };
  }
  await recordSuccessfulSignIn(db, subject);
  const session = await startSession(db, user.id, now);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name }, session };
}

import type { Db } from '../storage/database.js';
import {
  clearSignInFailures,
  type FailureKind,
  pruneSignInFailures,
  recordSignInFailure,
  signInFailuresSince,
} from '../storage/sign-in-failures.js';

/** Failed sign-ins allowed in a window, per account (the email tried) and per client address. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_ADDRESS = 50;

const LIMITS: Record<FailureKind, number> = { account: FAILURES_PER_ACCOUNT, address: FAILURES_PER_ADDRESS };

export interface SignInSubject {
  /** The lower-cased email tried, whether or not it has an account (so the limit tells nothing). */
  account: string;
  address: string;
}

/**
 * Null when the subject may try again now, else the seconds until it may: when the oldest failure
 * that counts leaves the window. Counted in the database, so every API process shares the limit.
 */
export async function signInBlockedFor(db: Db, subject: SignInSubject, now: number): Promise<number | null> {
  const since = now - SIGN_IN_WINDOW_MS;
  let waitMs = 0;
  for (const kind of ['account', 'address'] as const) {
    const { count, oldest } = await signInFailuresSince(db, kind, subject[kind], since);
    if (count >= LIMITS[kind] && oldest !== null) waitMs = Math.max(waitMs, oldest + SIGN_IN_WINDOW_MS - now);
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : null;
}

export async function recordFailedSignIn(db: Db, subject: SignInSubject, now: number): Promise<void> {
  await pruneSignInFailures(db, now - SIGN_IN_WINDOW_MS);
  await recordSignInFailure(
    db,
    [
      { kind: 'account', subject: subject.account },
      { kind: 'address', subject: subject.address },
    ],
    now,
  );
}

export async function recordSuccessfulSignIn(db: Db, subject: SignInSubject): Promise<void> {
  await clearSignInFailures(db, 'account', subject.account);
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/database.js';
import { deleteDeadSignInLinks, insertSignInLink, useSignInLink } from '../storage/sign-in-links.js';
import { hashSecret } from '../storage/stores.js';

/** A single-use link that signs its user in to a store's dashboard (`npm start` prints one). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;

export const signInLinkPath = (token: string) => `/sign-in/${token}`;

export async function createSignInLink(db: Db, userId: string, storeId: string, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await deleteDeadSignInLinks(db, now);
  await insertSignInLink(db, {
    tokenHash: hashSecret(token),
    userId,
    storeId,
    createdAt: now,
    expiresAt: now + SIGN_IN_LINK_TTL_MS,
  });
  return token;
}

/** Whom the link signs in, once: null when it is unknown, used or expired. */
export function redeemSignInLink(db: Db, token: string, now: number) {
  return useSignInLink(db, hashSecret(token), now);
}

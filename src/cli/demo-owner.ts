import { generatePassword } from '../accounts/password.js';
import { createSignInLink, signInLinkPath } from '../accounts/sign-in-links.js';
import { addMember } from '../accounts/users.js';
import type { Storage } from '../storage/database.js';
import { firstOwnerOfStore } from '../storage/memberships.js';
import { findUserById } from '../storage/users.js';

export const DEMO_OWNER_EMAIL = 'owner@demo-store.example';

/**
 * The demo store's owner, made on first start so that a newcomer reaches the dashboard in one
 * click: `start` prints a single-use sign-in link for them each time. Their password is random
 * and never shown; `storewire users reset-password --email owner@demo-store.example` sets one.
 */
export async function demoOwnerSignInLink(
  storage: Storage,
  storeId: string,
  publicUrl: string,
  now = Date.now(),
): Promise<{ email: string; url: string }> {
  const ownerId = await firstOwnerOfStore(storage.db, storeId);
  const owner = ownerId ? await findUserById(storage.db, ownerId) : null;
  const userId = owner
    ? owner.id
    : (
        await addMember(
          storage,
          { email: DEMO_OWNER_EMAIL, name: 'Demo Owner', storeId, role: 'owner', password: generatePassword() },
          now,
        )
      ).userId;
  const token = await createSignInLink(storage.db, userId, storeId, now);
  return { email: owner?.email ?? DEMO_OWNER_EMAIL, url: `${publicUrl}${signInLinkPath(token)}` };
}

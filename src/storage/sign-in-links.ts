import type { Db } from './database.js';

export async function insertSignInLink(
  db: Db,
  link: { tokenHash: string; userId: string; storeId: string; createdAt: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('sign_in_links')
    .values({
      token_hash: link.tokenHash,
      user_id: link.userId,
      store_id: link.storeId,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Marks the link used if it is still unused and unexpired, in one statement, so two clicks
 * racing cannot both sign in. Returns whom it signs in, or null.
 */
export async function useSignInLink(
  db: Db,
  tokenHash: string,
  now: number,
): Promise<{ userId: string; storeId: string } | null> {
  const row = await db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'store_id'])
    .executeTakeFirst();
  return row ? { userId: row.user_id, storeId: row.store_id } : null;
}

/** Forgets links that can no longer be used. */
export async function deleteDeadSignInLinks(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('sign_in_links')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('used_at', 'is not', null)]))
    .execute();
}

import type { Db } from './database.js';

export interface MembershipView {
  storeId: string;
  storeName: string;
  role: string;
}

/** Gives the user the role in the store, or changes the role they had there. */
export async function putMembership(db: Db, userId: string, storeId: string, role: string, now: number) {
  await db
    .insertInto('memberships')
    .values({ user_id: userId, store_id: storeId, role, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'store_id']).doUpdateSet({ role }))
    .execute();
}

/** The stores a user belongs to, by name. */
export async function membershipsOfUser(db: Db, userId: string): Promise<MembershipView[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('stores', 'stores.id', 'memberships.store_id')
    .select(['memberships.store_id as storeId', 'stores.name as storeName', 'memberships.role as role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('stores.name')
    .orderBy('memberships.store_id')
    .execute();
  return rows;
}

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: string;
  createdAt: number;
}

/** The people of a store, by email. */
export async function membersOfStore(db: Db, storeId: string): Promise<MemberView[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as userId',
      'users.email as email',
      'users.name as name',
      'memberships.role as role',
      'memberships.created_at as createdAt',
    ])
    .where('memberships.store_id', '=', storeId)
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({ ...r, createdAt: Number(r.createdAt) }));
}

/** The owner of a store who joined first, if it has one. */
export async function firstOwnerOfStore(db: Db, storeId: string): Promise<string | null> {
  const row = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('store_id', '=', storeId)
    .where('role', '=', 'owner')
    .orderBy('created_at')
    .orderBy('user_id')
    .executeTakeFirst();
  return row?.user_id ?? null;
}

/** One person's role in one store, or null when they are not a member. */
export async function roleInStore(db: Db, storeId: string, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('store_id', '=', storeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

export async function countOwners(db: Db, storeId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('store_id', '=', storeId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setRoleInStore(db: Db, storeId: string, userId: string, role: string): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('store_id', '=', storeId)
    .where('user_id', '=', userId)
    .execute();
}

/** Takes the person out of the store; their account and other stores stay. */
export async function deleteMembership(db: Db, storeId: string, userId: string): Promise<void> {
  await db.deleteFrom('memberships').where('store_id', '=', storeId).where('user_id', '=', userId).execute();
}

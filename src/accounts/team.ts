import { newId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';
import { AppError } from '../errors.js';
import type { Storage } from '../storage/database.js';
import {
  countOwners,
  deleteMembership,
  type MemberView,
  membersOfStore,
  putMembership,
  roleInStore,
  setRoleInStore,
} from '../storage/memberships.js';
import { findUserByEmail, insertUser } from '../storage/users.js';
import { generatePassword, hashPassword } from './password.js';
import { validEmail, validRole } from './users.js';

/**
 * A store's team as its owner manages it from the dashboard (docs/dashboard.md, "Team"): who
 * belongs to the store and with which role. A store always keeps at least one owner, so nobody
 * can lock everyone out of its channels, keys and users.
 */

export interface TeamMember {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: number;
}

export const listTeam = async (storage: Storage, storeId: string): Promise<TeamMember[]> =>
  (await membersOfStore(storage.db, storeId)) as (MemberView & { role: Role })[];

export interface AddedToTeam {
  member: TeamMember;
  /**
   * A new account's password, generated and shown once (stored as a scrypt hash); null when the
   * email already had an account, which keeps its password and now also belongs to this store.
   */
  password: string | null;
}

export async function addToTeam(
  storage: Storage,
  storeId: string,
  input: { email: string; role: string; name?: string },
  now: number,
): Promise<AddedToTeam> {
  const email = validEmail(input.email);
  const role = validRole(input.role);
  const name = input.name?.trim() || null;
  const existing = await findUserByEmail(storage.db, email);
  // Hashing takes a while: done before the transaction, which then only writes.
  const password = existing ? null : generatePassword();
  const passwordHash = password ? await hashPassword(password) : null;
  return storage.transaction(async (trx) => {
    await storage.lockStore(trx, storeId);
    // Another store's member keeps their own name: this store's owner cannot rename them.
    const user = existing ?? (await findUserByEmail(trx, email));
    if (user && (await roleInStore(trx, storeId, user.id)) !== null)
      throw new AppError('MEMBER_EXISTS', `${email} is already in this store; change their role instead`);
    const userId = user?.id ?? newId('usr', now);
    if (!user) await insertUser(trx, { id: userId, email, name, passwordHash: passwordHash!, createdAt: now });
    await putMembership(trx, userId, storeId, role, now);
    return {
      member: { userId, email, name: user ? user.name : name, role, createdAt: now },
      // A user made by someone else in the meantime keeps their password: ours was never stored.
      password: user ? null : password,
    };
  });
}

/** Changes a member's role; the last owner cannot stop being one. */
export async function changeRole(
  storage: Storage,
  storeId: string,
  userId: string,
  rawRole: string,
): Promise<TeamMember> {
  const role = validRole(rawRole);
  await storage.transaction(async (trx) => {
    // The store's lock makes two owners demoting each other at once take turns: one stays owner.
    await storage.lockStore(trx, storeId);
    const current = await roleInStore(trx, storeId, userId);
    if (current === null) throw new AppError('MEMBER_NOT_FOUND', `no member ${userId} in this store`);
    if (current === 'owner' && role !== 'owner' && (await countOwners(trx, storeId)) <= 1)
      throw new AppError('LAST_OWNER', 'this is the store’s only owner: make someone else an owner first');
    await setRoleInStore(trx, storeId, userId, role);
  });
  const member = (await listTeam(storage, storeId)).find((m) => m.userId === userId);
  if (!member) throw new AppError('MEMBER_NOT_FOUND', `no member ${userId} in this store`);
  return member;
}

/** Takes a member out of the store (their account stays, with their other stores); never the last owner. */
export async function removeFromTeam(storage: Storage, storeId: string, userId: string): Promise<void> {
  await storage.transaction(async (trx) => {
    await storage.lockStore(trx, storeId);
    const current = await roleInStore(trx, storeId, userId);
    if (current === null) throw new AppError('MEMBER_NOT_FOUND', `no member ${userId} in this store`);
    if (current === 'owner' && (await countOwners(trx, storeId)) <= 1)
      throw new AppError('LAST_OWNER', 'this is the store’s only owner: make someone else an owner first');
    await deleteMembership(trx, storeId, userId);
  });
}

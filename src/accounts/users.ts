import { normalizeEmail } from '../domain/identity.js';
import { newId } from '../domain/ids.js';
import { isRole, ROLES, type Role } from '../domain/roles.js';
import { AppError } from '../errors.js';
import type { Storage } from '../storage/database.js';
import { putMembership } from '../storage/memberships.js';
import { deleteSessionsOfUser } from '../storage/sessions.js';
import { findStoreById } from '../storage/stores.js';
import { findUserByEmail, insertUser, setPasswordHash, setUserName } from '../storage/users.js';
import { hashPassword, passwordProblem } from './password.js';

export interface NewMember {
  email: string;
  name?: string;
  storeId: string;
  role: string;
  /** Needed for a new user; ignored (the password is kept) when the email already has an account. */
  password?: string;
}

export interface MemberAdded {
  userId: string;
  email: string;
  role: Role;
  /** false: the email already had an account, which now also belongs to this store (or got the new role). */
  createdUser: boolean;
}

export function validEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) throw new AppError('INVALID_USER', `"${raw}" is not an email address`);
  return email;
}

export function validRole(raw: string): Role {
  if (!isRole(raw)) throw new AppError('INVALID_USER', `the role must be one of ${ROLES.join(', ')} (got "${raw}")`);
  return raw;
}

export function validPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('INVALID_USER', problem);
  return password;
}

/**
 * Gives a person a role in a store: a new account for a new email (with the password given),
 * or one more store (or a new role) for an existing account, whose password is left alone.
 */
export async function addMember(storage: Storage, input: NewMember, now: number): Promise<MemberAdded> {
  const email = validEmail(input.email);
  const role = validRole(input.role);
  if (!(await findStoreById(storage.db, input.storeId)))
    throw new AppError('STORE_NOT_FOUND', `no store ${input.storeId}`);
  const existing = await findUserByEmail(storage.db, email);
  if (existing) {
    if (input.name && input.name !== existing.name) await setUserName(storage.db, existing.id, input.name, now);
    await putMembership(storage.db, existing.id, input.storeId, role, now);
    return { userId: existing.id, email, role, createdUser: false };
  }
  if (input.password === undefined) throw new AppError('INVALID_USER', 'a new user needs a password');
  const passwordHash = await hashPassword(validPassword(input.password));
  const userId = newId('usr', now);
  await storage.transaction(async (trx) => {
    await insertUser(trx, { id: userId, email, name: input.name?.trim() || null, passwordHash, createdAt: now });
    await putMembership(trx, userId, input.storeId, role, now);
  });
  return { userId, email, role, createdUser: true };
}

/** Sets a new password and signs the user out everywhere. */
export async function resetPassword(
  storage: Storage,
  rawEmail: string,
  password: string,
  now: number,
): Promise<{ userId: string; sessionsEnded: number }> {
  const email = validEmail(rawEmail);
  const user = await findUserByEmail(storage.db, email);
  if (!user) throw new AppError('USER_NOT_FOUND', `no user with the email ${email}`);
  const passwordHash = await hashPassword(validPassword(password));
  let sessionsEnded = 0;
  await storage.transaction(async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash, now);
    sessionsEnded = await deleteSessionsOfUser(trx, user.id);
  });
  return { userId: user.id, sessionsEnded };
}

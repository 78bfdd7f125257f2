/** Row types of the team-account tables (migration 0007). */

export interface UsersTable {
  id: string;
  /** lower case */
  email: string;
  name: string | null;
  /** scrypt, as accounts/password.ts writes it */
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface MembershipsTable {
  user_id: string;
  store_id: string;
  /** owner | marketer | agent */
  role: string;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the cookie's token: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  store_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SignInFailuresTable {
  kind: string;
  subject: string;
  at: number;
}

export interface AccountTables {
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  sign_in_failures: SignInFailuresTable;
}

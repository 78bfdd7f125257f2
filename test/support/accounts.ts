import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { addMember } from '../../src/accounts/users.js';
import type { Role } from '../../src/domain/roles.js';
import type { Harness } from './harness.js';

let people = 0;

/** A signed-in browser: its session cookie and CSRF token, and calls made the way the dashboard makes them. */
export interface Browser {
  email: string;
  userId: string;
  cookie: string;
  csrfToken: string;
  /** A request with the cookie, X-Store-Id (when `store` is given) and, for POST/PUT/PATCH/DELETE, X-CSRF-Token. */
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { store?: string | null; body?: unknown; csrf?: string | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
}

export const PASSWORD = 'correct horse battery';

/** A new user with `role` in the store (another store may be added with member() again, same email). */
export async function member(
  h: Harness,
  storeId: string,
  role: Role,
  email = `person${++people}-${Date.now() % 1e6}@team.example`,
): Promise<{ email: string; userId: string }> {
  const added = await addMember(h.app.storage, { email, storeId, role, password: PASSWORD }, Date.now());
  return { email: added.email, userId: added.userId };
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0]! : header!;
  return line.split(';')[0]!;
}

export async function signIn(h: Harness, email: string, password = PASSWORD): Promise<Browser> {
  const res = await h.call('POST', '/v1/session', { email, password }, { as: null });
  expect(res.statusCode, res.body).toBe(200);
  return browser(h, email, res.json().user.id, cookieFrom(res), res.json().csrfToken);
}

export function browser(h: Harness, email: string, userId: string, cookie: string, csrfToken: string): Browser {
  return {
    email,
    userId,
    cookie,
    csrfToken,
    call(method, url, options = {}) {
      const headers: Record<string, string> = { cookie, ...(options.headers ?? {}) };
      if (options.store) headers['x-store-id'] = options.store;
      const csrf = options.csrf === undefined ? csrfToken : options.csrf;
      if (csrf !== null && !['GET', 'HEAD'].includes(String(method))) headers['x-csrf-token'] = csrf;
      return h.call(method, url, options.body, { as: null, headers });
    },
  };
}

/** A member of the store with the role, signed in. */
export async function signedIn(h: Harness, storeId: string, role: Role): Promise<Browser> {
  const { email } = await member(h, storeId, role);
  return signIn(h, email);
}

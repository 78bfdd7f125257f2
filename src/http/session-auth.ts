import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenMatches, resumeSession, resumeSessionInStore } from '../accounts/sessions.js';
import type { Clock } from '../clock.js';
import { isRole, type Role } from '../domain/roles.js';
import type { Db } from '../storage/database.js';
import { mayUse } from './access.js';
import { clearSessionCookie, sessionTokenOf } from './cookies.js';
import { sendError } from './reply-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in team member and their role in request.store (session requests only). */
    member: { userId: string; role: Role } | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isStateChanging = (request: FastifyRequest) => !SAFE_METHODS.has(request.method);

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface SessionAuthOptions {
  db: Db;
  clock: Clock;
  /** The cookie is Secure (PUBLIC_URL is https): a cleared cookie must say so too. */
  secureCookie: boolean;
}

/**
 * A store route called by the dashboard: the session cookie, the store named by X-Store-Id, and
 * the member's role there. In order: no live session 401; a state-changing request without the
 * session's CSRF token 403; no X-Store-Id 400; a store the user does not belong to 404, exactly
 * as an unknown route (nothing tells it exists); a role without the right 403.
 */
export async function authenticateSession(
  options: SessionAuthOptions,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  const token = sessionTokenOf(request)!;
  const now = options.clock.now();
  const storeId = headerValue(request, 'x-store-id')?.trim();
  const inStore = storeId ? await resumeSessionInStore(options.db, token, storeId, now) : null;
  const found = storeId ? inStore : await resumeSession(options.db, token, now);
  if (!found) {
    clearSessionCookie(reply, options.secureCookie);
    await sendError(reply, 'UNAUTHORIZED', 'not signed in, or the session ended: sign in again');
    return false;
  }
  if (isStateChanging(request) && !csrfTokenMatches(token, headerValue(request, 'x-csrf-token'))) {
    await sendError(reply, 'CSRF_FAILED', 'send the X-CSRF-Token header GET /v1/session gives');
    return false;
  }
  const member = inStore?.member ?? null;
  if (!storeId) {
    await sendError(reply, 'STORE_REQUIRED', 'name the store in the X-Store-Id header');
    return false;
  }
  const path = request.routeOptions.url ?? request.url;
  if (!member || !isRole(member.role)) {
    await sendError(reply, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    return false;
  }
  if (!mayUse(member.role, request.method, path)) {
    await sendError(
      reply,
      'FORBIDDEN',
      `the ${member.role} role cannot ${request.method} ${path}; ask the store's owner`,
    );
    return false;
  }
  request.store = member.store;
  request.member = { userId: found.user.id, role: member.role };
  return true;
}

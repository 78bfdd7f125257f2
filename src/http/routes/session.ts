import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  csrfTokenFor,
  csrfTokenMatches,
  endSession,
  resumeSession,
  SESSION_MAX_MS,
  startSession,
} from '../../accounts/sessions.js';
import { signIn } from '../../accounts/sign-in.js';
import { redeemSignInLink } from '../../accounts/sign-in-links.js';
import type { Db } from '../../storage/database.js';
import { membershipsOfUser } from '../../storage/memberships.js';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from '../cookies.js';
import { sendError } from '../reply-error.js';
import type { RouteDeps } from '../route-deps.js';

const SignInBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const SessionBody = Type.Object({
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  stores: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      role: Type.Union([Type.Literal('owner'), Type.Literal('marketer'), Type.Literal('agent')]),
    }),
  ),
  csrfToken: Type.String({ description: 'Send it as X-CSRF-Token with every POST, PUT, PATCH and DELETE.' }),
});

const sessionSecurity = [{ session: [] as string[] }];

async function sessionBody(db: Db, user: { id: string; email: string; name: string | null }, token: string) {
  const stores = await membershipsOfUser(db, user.id);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    stores: stores.map((s) => ({ id: s.storeId, name: s.storeName, role: s.role })),
    csrfToken: csrfTokenFor(token),
  };
}

/**
 * A sign-in form posted from another site (login CSRF) carries that site's Origin: refused.
 * Browsers send Origin with every POST; clients without one (curl) are not browsers.
 */
function fromAnotherSite(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (!origin) return request.headers['sec-fetch-site'] === 'cross-site';
  try {
    const from = new URL(origin);
    // Read the Host header with the origin's scheme, so a default port compares equal to none.
    const here = new URL(`${from.protocol}//${request.headers.host ?? ''}`);
    return from.host !== here.host && from.origin !== new URL(publicUrl).origin;
  } catch {
    return true;
  }
}

/** The dashboard's sign-in: sessions (docs/dashboard.md) and the single-use links `npm start` prints. */
export function sessionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;
  const secure = deps.publicUrl.startsWith('https:');

  const signedIn = (reply: FastifyReply, started: { token: string }) => {
    // A new session: the browser keeps the cookie as long as the session can live.
    setSessionCookie(reply, started.token, SESSION_MAX_MS, secure);
    // Sessions are personal: no cache on the way may keep or share the answer.
    reply.header('cache-control', 'no-store');
  };

  app.post<{ Body: Type.Static<typeof SignInBody> }>('/v1/session', {
    schema: {
      summary: 'Sign in with email and password: sets the session cookie',
      tags: ['session'],
      body: SignInBody,
      response: { 200: SessionBody },
    },
    handler: async (request, reply) => {
      if (fromAnotherSite(request, deps.publicUrl))
        return sendError(reply, 'CSRF_FAILED', 'sign in from the Storewire dashboard itself');
      const result = await signIn(
        db,
        { email: request.body.email, password: request.body.password, address: request.ip },
        deps.clock.now(),
      );
      if (!result.ok && result.reason === 'too_many_attempts') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return sendError(
          reply,
          'TOO_MANY_SIGN_IN_ATTEMPTS',
          `too many failed sign-ins; try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes`,
        );
      }
      if (!result.ok) return sendError(reply, 'INVALID_CREDENTIALS', 'the email or the password is wrong');
      signedIn(reply, result.session);
      return sessionBody(db, result.user, result.session.token);
    },
  });

  app.get('/v1/session', {
    schema: {
      summary: 'Who is signed in, their stores and roles, and the CSRF token',
      tags: ['session'],
      security: sessionSecurity,
      response: { 200: SessionBody },
    },
    handler: async (request, reply) => {
      const token = sessionTokenOf(request);
      const found = token ? await resumeSession(db, token, deps.clock.now()) : null;
      if (!token || !found) {
        if (token) clearSessionCookie(reply, secure);
        return sendError(reply, 'UNAUTHORIZED', 'not signed in');
      }
      reply.header('cache-control', 'no-store');
      return sessionBody(db, found.user, token);
    },
  });

  app.delete('/v1/session', {
    schema: {
      summary: 'Sign out: ends the session and clears the cookie (needs X-CSRF-Token)',
      tags: ['session'],
      security: sessionSecurity,
      response: { 204: Type.Null() },
    },
    handler: async (request, reply) => {
      const token = sessionTokenOf(request);
      if (token) {
        const given = request.headers['x-csrf-token'];
        if (!csrfTokenMatches(token, Array.isArray(given) ? given[0] : given))
          return sendError(reply, 'CSRF_FAILED', 'send the X-CSRF-Token header GET /v1/session gives');
        await endSession(db, token);
      }
      clearSessionCookie(reply, secure);
      return reply.code(204).send();
    },
  });

  app.get<{ Params: { token: string } }>('/sign-in/:token', {
    schema: {
      summary: 'A single-use sign-in link (15 minutes): sets the session cookie and opens the dashboard',
      tags: ['session'],
      params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
    },
    handler: async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const now = deps.clock.now();
      const link = /^[A-Za-z0-9_-]{20,100}$/.test(request.params.token)
        ? await redeemSignInLink(db, request.params.token, now)
        : null;
      if (!link) return reply.redirect('/sign-in?error=link_expired', 303);
      signedIn(reply, await startSession(db, link.userId, now));
      return reply.redirect(`/?store=${encodeURIComponent(link.storeId)}`, 303);
    },
  });
}

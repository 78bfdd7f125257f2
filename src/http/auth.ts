import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../domain/store.js';
import type { Clock } from '../clock.js';
import type { Db } from '../storage/database.js';
import { findStoreByApiKey, findStoreByIngestToken } from '../storage/stores.js';
import { sessionTokenOf } from './cookies.js';
import { sendError } from './reply-error.js';
import { authenticateSession } from './session-auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The store the request is authenticated as; set by the auth hooks. */
    store: Store | null;
  }
}

/**
 * Secret -> store, remembered for a few seconds so ingest does not read the stores table on
 * every request. A rotated key stops working within that time.
 */
export class StoreCache {
  private readonly entries = new Map<string, { store: Store; until: number }>();
  constructor(
    private readonly ttlMs = 5_000,
    private readonly max = 10_000,
  ) {}

  /** The cached store, if still fresh: no promise on the hot path. */
  peek(secret: string): Store | null {
    const hit = this.entries.get(secret);
    return hit && hit.until > Date.now() ? hit.store : null;
  }

  async load(secret: string, load: () => Promise<Store | null>): Promise<Store | null> {
    const store = await load();
    if (store) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(secret, { store, until: Date.now() + this.ttlMs });
    } else {
      this.entries.delete(secret);
    }
    return store;
  }

  /** Drops every secret of a store: its settings changed, the next request reads them again. */
  forgetStore(storeId: string): void {
    for (const [secret, entry] of this.entries) if (entry.store.id === storeId) this.entries.delete(secret);
  }
}

type Hook<R extends FastifyRequest = FastifyRequest> = (
  request: R,
  reply: FastifyReply,
  done: (error?: Error) => void,
) => void;

/**
 * An onRequest hook that finds the store for a secret: synchronously when it is cached (the
 * common case), else from the database.
 */
function storeHook<R extends FastifyRequest>(
  cache: StoreCache,
  secretOf: (request: R) => string | null,
  find: (secret: string) => Promise<Store | null>,
  missing: string,
  unknown: string,
): Hook<R> {
  return (request, reply, done) => {
    const secret = secretOf(request);
    if (!secret) {
      void sendError(reply, 'UNAUTHORIZED', missing);
      return;
    }
    const cached = cache.peek(secret);
    if (cached) {
      request.store = cached;
      done();
      return;
    }
    cache
      .load(secret, () => find(secret))
      .then(
        (store) => {
          if (!store) {
            void sendError(reply, 'UNAUTHORIZED', unknown);
            return;
          }
          request.store = store;
          done();
        },
        (error: Error) => done(error),
      );
  };
}

export interface Authenticator {
  /**
   * onRequest hook of every store route: `Authorization: Bearer <store API key>`, or (the
   * dashboard) the session cookie with `X-Store-Id`, checked against the member's role.
   */
  storeKey: Hook;
  /** onRequest hook: the ingest token in the URL. */
  ingestToken: Hook<FastifyRequest<{ Params: { ingestToken: string } }>>;
  /** A store changed (its settings, a secret made anew): forget what was cached of it. */
  forget(storeId: string): void;
  /** Another cache of stores by secret (Segment's write keys) forgets with this one. */
  onForget(listener: (storeId: string) => void): void;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export function createAuthenticator(db: Db, session: { clock: Clock; secureCookie: boolean }): Authenticator {
  const byKey = new StoreCache();
  const byToken = new StoreCache();
  const listeners: ((storeId: string) => void)[] = [];
  const keyHook = storeHook(
    byKey,
    (request) => bearerToken(request.headers.authorization),
    (key) => findStoreByApiKey(db, key),
    'send the store API key as "Authorization: Bearer <key>", or sign in',
    'unknown API key',
  );
  const sessionOptions = { db, clock: session.clock, secureCookie: session.secureCookie };
  return {
    // A key wins over a cookie: API clients are never asked for a CSRF token.
    storeKey: (request, reply, done) => {
      if (request.headers.authorization || !sessionTokenOf(request)) return keyHook(request, reply, done);
      authenticateSession(sessionOptions, request, reply).then((ok) => {
        if (ok) done();
      }, done);
    },
    ingestToken: storeHook(
      byToken,
      (request: FastifyRequest<{ Params: { ingestToken: string } }>) => request.params.ingestToken,
      (token) => findStoreByIngestToken(db, token),
      'the ingest URL needs its token',
      'unknown ingest token',
    ),
    forget(storeId) {
      byKey.forgetStore(storeId);
      byToken.forgetStore(storeId);
      for (const listener of listeners) listener(storeId);
    },
    onForget(listener) {
      listeners.push(listener);
    },
  };
}

export function storeOf(request: FastifyRequest): Store {
  if (!request.store) throw new Error('route is missing its auth hook');
  return request.store;
}

import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createStore, type CreateStoreInput, type StoreCredentials } from '../../src/engine/stores.js';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseTarget, TestDatabase } from './databases.js';

export interface Harness {
  app: App;
  /** The store every helper below talks as. */
  shop: StoreCredentials;
  newStore(input?: Partial<CreateStoreInput>): Promise<StoreCredentials>;
  /** A request authenticated with `as` (default: the harness store). */
  call(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    options?: { as?: StoreCredentials | null; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  post(url: string, body: unknown, as?: StoreCredentials): Promise<LightMyRequestResponse>;
  get(url: string, as?: StoreCredentials): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real app (storage, engine, HTTP) on a test database, with one store made for the test. */
export interface HarnessOptions {
  clock?: Clock;
  store?: Partial<CreateStoreInput>;
  /** Settings beyond the defaults (PUBLIC_URL, TRUST_PROXY...). */
  config?: Partial<Config>;
  logger?: Logger;
}

export async function startHarness(database: TestDatabase, options: HarnessOptions = {}): Promise<Harness> {
  const config = {
    ...loadConfig({}),
    databaseUrl: database.url,
    sqliteSynchronous: 'NORMAL' as const,
    ...options.config,
  };
  const app = await createApp(config, {
    clock: options.clock,
    logger: options.logger ?? (await import('pino')).default({ level: 'silent' }),
  });
  const newStore = (input: Partial<CreateStoreInput> = {}) =>
    createStore(app.storage, { name: 'Test Shop', defaultCountry: 'IN', timeZone: 'Asia/Kolkata', ...input });
  const shop = await newStore(options.store);

  const call: Harness['call'] = (method, url, body, opts = {}) => {
    const as = opts.as === undefined ? shop : opts.as;
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (as) headers.authorization = `Bearer ${as.apiKey}`;
    const request: InjectOptions = { method, url, headers };
    if (body !== undefined) {
      request.payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    return app.server.inject(request);
  };

  return {
    app,
    shop,
    newStore,
    call,
    post: (url, body, as) => call('POST', url, body, { as }),
    get: (url, as) => call('GET', url, undefined, { as }),
    close: () => app.close(),
  };
}

/**
 * A suite's harness on a fresh database of `target`: made before the suite's tests, closed and
 * dropped after them. Returns a stand-in that forwards to the harness once it exists.
 */
export function useHarness(target: DatabaseTarget, options: HarnessOptions = {}): Harness {
  let database: TestDatabase | undefined;
  let harness: Harness | undefined;
  beforeAll(async () => {
    database = await target.create();
    harness = await startHarness(database, options);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.drop();
  });
  return new Proxy({} as Harness, {
    get(_, property) {
      if (!harness) throw new Error('the harness is only ready inside tests (beforeAll has not run)');
      const value = harness[property as keyof Harness];
      return typeof value === 'function' ? value.bind(harness) : value;
    },
  });
}

import type { FastifyRequest } from 'fastify';
import type { Store } from '../domain/store.js';
import type { Db } from '../storage/database.js';
import { findStoreByApiKey, findStoreByIngestToken } from '../storage/stores.js';
import { StoreCache } from './auth.js';

/**
 * Segment's write key, where Segment clients put it: HTTP Basic with the key as user and an
 * empty password (analytics-node, RudderStack, most server libraries), a Bearer token, or
 * `writeKey` in the body (analytics.js, which sends no header). A header wins over the body.
 */
export function writeKeyOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
      const password = colon >= 0 ? decoded.slice(colon + 1) : '';
      return user || password || null;
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return bearer ? bearer[1]! : null;
  }
  const body = request.body as { writeKey?: unknown } | null;
  return body && typeof body === 'object' && typeof body.writeKey === 'string' && body.writeKey !== ''
    ? body.writeKey
    : null;
}

/**
 * The write key is the store's ingest token (ingest-only, fit for a browser snippet); the store
 * API key is accepted as well. Found stores are cached for a few seconds, as for other routes.
 */
export class WriteKeyAuth {
  private readonly cache = new StoreCache();
  constructor(private readonly db: Db) {}

  /** A secret of the store was made anew: its old one must not be found here either. */
  forgetStore(storeId: string): void {
    this.cache.forgetStore(storeId);
  }

  /** The store, synchronously when cached. */
  find(key: string): Store | null | Promise<Store | null> {
    return this.cache.peek(key) ?? this.cache.load(key, () => this.lookUp(key));
  }

  private async lookUp(key: string): Promise<Store | null> {
    // Keys are prefixed by kind (sw_key_..., sw_ing_...): look in the likely column first.
    const apiKeyFirst = key.startsWith('sw_key');
    const first = apiKeyFirst ? findStoreByApiKey : findStoreByIngestToken;
    const second = apiKeyFirst ? findStoreByIngestToken : findStoreByApiKey;
    return (await first(this.db, key)) ?? second(this.db, key);
  }
}

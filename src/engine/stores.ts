import { newId, newSecret } from '../domain/ids.js';
import { isKnownCountry } from '../domain/phone.js';
import { DEFAULT_STORE_SETTINGS, type Store } from '../domain/store.js';
import { isValidTimeZone } from '../domain/time.js';
import { AppError } from '../errors.js';
import type { Db, Storage } from '../storage/database.js';
import { sandboxAccount } from '../channels/sandbox/account.js';
import { putChannelAccount } from '../storage/channel-accounts.js';
import {
  hashSecret,
  insertStore,
  replaceApiKeyHash,
  replaceIngestTokenHash,
  replaceStoreSecrets,
} from '../storage/stores.js';

export interface CreateStoreInput {
  name: string;
  defaultCountry?: string;
  timeZone?: string;
}

/** A store with its secrets in clear text: they exist only in this value, never in the database. */
export interface StoreCredentials {
  store: Store;
  apiKey: string;
  ingestToken: string;
}

export function ingestPath(ingestToken: string): string {
  return `/v1/ingest/${ingestToken}/events`;
}

export function validateStoreInput(input: CreateStoreInput): Required<CreateStoreInput> {
  const name = input.name?.trim() ?? '';
  if (name === '' || name.length > 200) {
    throw new AppError('INVALID_STORE', 'a store needs a name of 1 to 200 characters');
  }
  const defaultCountry = (input.defaultCountry ?? 'US').toUpperCase();
  if (!isKnownCountry(defaultCountry)) {
    throw new AppError(
      'INVALID_STORE',
      `"${input.defaultCountry}" is not a known country code (two letters, ISO 3166-1, e.g. IN or US)`,
    );
  }
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    throw new AppError('INVALID_STORE', `"${timeZone}" is not an IANA time zone such as Asia/Kolkata`);
  }
  return { name, defaultCountry, timeZone };
}

export async function createStore(
  storage: Storage,
  input: CreateStoreInput,
  now = Date.now(),
  options: { demo?: boolean } = {},
): Promise<StoreCredentials> {
  const valid = validateStoreInput(input);
  return storage.transaction((trx) => insertNewStore(trx, valid, now, options));
}

/** createStore's writes, in the caller's transaction. */
export async function insertNewStore(
  trx: Db,
  input: CreateStoreInput,
  now: number,
  options: { demo?: boolean } = {},
): Promise<StoreCredentials> {
  const valid = validateStoreInput(input);
  const apiKey = newSecret('sw_key');
  const ingestToken = newSecret('sw_ing');
  const store = await insertStore(trx, {
    id: newId('st', now),
    ...valid,
    apiKeyHash: hashSecret(apiKey),
    ingestTokenHash: hashSecret(ingestToken),
    settings: DEFAULT_STORE_SETTINGS,
    createdAt: now,
    demo: options.demo ?? false,
  });
  // Every store can send from its first minute: through the offline sandbox until it connects
  // a WhatsApp number, which then takes over (DELETE /v1/channels/sandbox removes it).
  await putChannelAccount(trx, sandboxAccount(store.id), now);
  return { store, apiKey, ingestToken };
}

/** New API key and ingest token; the old ones stop working at once. */
export async function rotateStoreSecrets(db: Db, store: Store): Promise<StoreCredentials> {
  const apiKey = newSecret('sw_key');
  const ingestToken = newSecret('sw_ing');
  await replaceStoreSecrets(db, store.id, hashSecret(apiKey), hashSecret(ingestToken));
  return { store, apiKey, ingestToken };
}

/**
 * A new API key for the store (POST /v1/store/api-key): the old one stops working at once (in
 * other API processes within their few seconds of cache). The ingest token is left alone: it is
 * in the storefront's pages, and a key leaked from a server should not break them.
 */
export async function rotateApiKey(db: Db, storeId: string): Promise<string> {
  const apiKey = newSecret('sw_key');
  await replaceApiKeyHash(db, storeId, hashSecret(apiKey));
  return apiKey;
}

/**
 * A new ingest token (POST /v1/store/ingest-token): the secret of the ingest URL, which is also
 * the Segment write key. The old one stops working as the API key's does; the API key stays.
 */
export async function rotateIngestToken(db: Db, storeId: string): Promise<string> {
  const ingestToken = newSecret('sw_ing');
  await replaceIngestTokenHash(db, storeId, hashSecret(ingestToken));
  return ingestToken;
}

import { createHash } from 'node:crypto';
import { DEFAULT_STORE_SETTINGS, type Store, type StoreSettings } from '../domain/store.js';
import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';
import type { StoresTable } from './schema.js';

/** Secrets are stored as SHA-256: they are long and random, so a slow hash would add nothing. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function toStore(row: StoresTable): Store {
  return {
    id: row.id,
    name: row.name,
    defaultCountry: row.default_country,
    timeZone: row.time_zone,
    settings: { ...DEFAULT_STORE_SETTINGS, ...parseJson<Partial<StoreSettings>>(row.settings, {}) },
    createdAt: row.created_at,
  };
}

export interface NewStoreRow {
  id: string;
  name: string;
  defaultCountry: string;
  timeZone: string;
  apiKeyHash: string;
  ingestTokenHash: string;
  settings: StoreSettings;
  createdAt: number;
  demo?: boolean;
}

export async function insertStore(db: Db, row: NewStoreRow): Promise<Store> {
  const values: StoresTable = {
    id: row.id,
    name: row.name,
    default_country: row.defaultCountry,
    time_zone: row.timeZone,
    api_key_hash: row.apiKeyHash,
    ingest_token_hash: row.ingestTokenHash,
    settings: toJson(row.settings),
    is_demo: row.demo ? 1 : 0,
    created_at: row.createdAt,
  };
  await db.insertInto('stores').values(values).execute();
  return toStore(values);
}

export async function findStoreById(db: Db, id: string): Promise<Store | null> {
  const row = await db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStore(row) : null;
}

export async function findDemoStore(db: Db): Promise<Store | null> {
  const row = await db
    .selectFrom('stores')
    .selectAll()
    .where('is_demo', '=', 1)
    .orderBy('created_at')
    .executeTakeFirst();
  return row ? toStore(row) : null;
}

export async function findStoreByApiKey(db: Db, apiKey: string): Promise<Store | null> {
  const row = await db
    .selectFrom('stores')
    .selectAll()
    .where('api_key_hash', '=', hashSecret(apiKey))
    .executeTakeFirst();
  return row ? toStore(row) : null;
}

export async function findStoreByIngestToken(db: Db, token: string): Promise<Store | null> {
  const row = await db
    .selectFrom('stores')
    .selectAll()
    .where('ingest_token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  return row ? toStore(row) : null;
}

export async function replaceStoreSecrets(
  db: Db,
  id: string,
  apiKeyHash: string,
  ingestTokenHash: string,
): Promise<void> {
  await db
    .updateTable('stores')
    .set({ api_key_hash: apiKeyHash, ingest_token_hash: ingestTokenHash })
    .where('id', '=', id)
    .execute();
}

/** Writes what a store sets about itself: its name, country, time zone and settings. */
export async function saveStore(db: Db, store: Store): Promise<void> {
  await db
    .updateTable('stores')
    .set({
      name: store.name,
      default_country: store.defaultCountry,
      time_zone: store.timeZone,
      settings: toJson(store.settings),
    })
    .where('id', '=', store.id)
    .execute();
}

/** A new API key (its hash); the ingest token stays, so the storefront's ingest URL keeps working. */
export async function replaceApiKeyHash(db: Db, id: string, apiKeyHash: string): Promise<void> {
  await db.updateTable('stores').set({ api_key_hash: apiKeyHash }).where('id', '=', id).execute();
}

/** A new ingest token (its hash): the ingest URL and the Segment write key change; the API key stays. */
export async function replaceIngestTokenHash(db: Db, id: string, ingestTokenHash: string): Promise<void> {
  await db.updateTable('stores').set({ ingest_token_hash: ingestTokenHash }).where('id', '=', id).execute();
}

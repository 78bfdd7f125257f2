import { resolve } from 'node:path';
import { Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { ContactSearch } from './contact-search.js';
import { postgresContactSearch } from './contact-search-postgres.js';
import { sqliteContactSearch } from './contact-search-sqlite.js';
import { createDatabaseIfMissing, openPostgres } from './postgres.js';
import type { Schema } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Db = Kysely<Schema>;
export type DialectName = 'sqlite' | 'postgres';

/**
 * What one database can do that the other cannot, named for what it allows, so code that
 * writes SQL by hand asks for a capability rather than checking which database it talks to.
 */
export interface DialectCapabilities {
  /** Several processes may write at once (PostgreSQL); SQLite has one writer at a time. */
  concurrentWriters: boolean;
  /** A whole array binds as one parameter (`unnest($1::text[])`); SQLite binds scalars only. */
  bindsArrays: boolean;
  /** Placeholders are numbered (`$1, $2`) rather than `?`. */
  numberedParams: boolean;
  /**
   * One UPDATE ... FROM a VALUES list beats one prepared UPDATE per row: true where each
   * statement is a round trip to a server; SQLite runs the per-row form ~10x faster.
   */
  updatesFromValues: boolean;
}

const POSTGRES: DialectCapabilities = {
  concurrentWriters: true,
  bindsArrays: true,
  numberedParams: true,
  updatesFromValues: true,
};
const SQLITE: DialectCapabilities = {
  concurrentWriters: false,
  bindsArrays: false,
  numberedParams: false,
  updatesFromValues: false,
};

/**
 * The capabilities of the database a bare handle talks to (a transaction, or a migration's
 * handle): the one place that looks at the adapter.
 */
export function capabilitiesOf(db: Kysely<unknown> | Db): DialectCapabilities {
  return db.getExecutor().adapter instanceof PostgresAdapter ? POSTGRES : SQLITE;
}

/**
 * One handle for both databases. What differs between them is stated here, once, as what
 * each can do; the rest of the code asks, never checks the dialect name.
 */
export interface Storage {
  db: Db;
  dialect: DialectName;
  /** What this database can do that the other cannot (capabilitiesOf answers the same for a transaction). */
  capabilities: DialectCapabilities;
  /** Several processes may write at once (PostgreSQL); SQLite has one writer at a time. */
  concurrentWriters: boolean;
  /** Runs fn in a write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE). */
  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  /** Serializes writers of one store until the transaction ends (no-op with one writer). */
  lockStore(trx: Db, storeId: string): Promise<void>;
  /** lockStore for several stores, always in the same order, so two writers cannot deadlock. */
  lockStores(trx: Db, storeIds: Iterable<string>): Promise<void>;
  /** The word index dashboard search uses (each database has its own). */
  contactSearch: ContactSearch;
  /**
   * Makes sure the database exists (PostgreSQL: creates the one the URL names when it is missing
   * and the user may; SQLite files are made when opened). True when it created it. Checked once
   * per Storage.
   */
  ensureDatabase(): Promise<boolean>;
  /** A printable description without secrets. */
  describe: string;
  close(): Promise<void>;
}

export interface StorageOptions {
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  poolSize?: number;
}

export function parseDatabaseUrl(
  url: string,
): { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string } {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error(`DATABASE_URL "${url}" has no file path`);
    return { dialect: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}")`);
}

export function openStorage(url: string, options: StorageOptions = {}): Storage {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const { dialect } = openSqlite({ path: target.path, synchronous: options.sqliteSynchronous ?? 'FULL' });
    const db = new Kysely<Schema>({ dialect });
    return {
      db,
      dialect: 'sqlite',
      capabilities: SQLITE,
      concurrentWriters: SQLITE.concurrentWriters,
      transaction: (fn) => runTransaction(db, 'begin immediate', fn),
      lockStore: async () => {},
      lockStores: async () => {},
      contactSearch: sqliteContactSearch,
      ensureDatabase: async () => false,
      describe: `sqlite:${target.path}`,
      close: () => db.destroy(),
    };
  }
  const { dialect } = openPostgres(target.url, options.poolSize ?? 10);
  const db = new Kysely<Schema>({ dialect });
  let ensured: Promise<boolean> | null = null;
  return {
    db,
    dialect: 'postgres',
    capabilities: POSTGRES,
    concurrentWriters: POSTGRES.concurrentWriters,
    transaction: (fn) => db.transaction().execute((trx: Transaction<Schema>) => fn(trx)),
    lockStore: async (trx, storeId) => {
      await sql`select pg_advisory_xact_lock(hashtext(${storeId}))`.execute(trx);
    },
    // Locks are taken in the order of their keys (the hashes), not of the store ids: two ids
    // with one hash would otherwise be locked in different orders by different writers.
    lockStores: async (trx, storeIds) => {
      const ids = [...new Set(storeIds)];
      if (ids.length === 0) return;
      await sql`select pg_advisory_xact_lock(k) from (select distinct hashtext(s) as k from unnest(${ids}::text[]) as s order by k) as keys`.execute(
        trx,
      );
    },
    contactSearch: postgresContactSearch,
    ensureDatabase: () => {
      ensured ??= createDatabaseIfMissing(target.url);
      return ensured;
    },
    describe: target.url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@'),
    close: () => db.destroy(),
  };
}

/** Whether a bare handle (a migration's) talks to PostgreSQL: the two build triggers differently. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return capabilitiesOf(db) === POSTGRES;
}

/** The contact search of the database a handle talks to (migrations get a bare handle). */
export function contactSearchOf(db: Kysely<unknown>): ContactSearch {
  return capabilitiesOf(db) === POSTGRES ? postgresContactSearch : sqliteContactSearch;
}

async function runTransaction<T>(db: Db, begin: string, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql.raw(begin).execute(connection);
    try {
      const result = await fn(connection);
      await sql.raw('commit').execute(connection);
      return result;
    } catch (error) {
      await sql.raw('rollback').execute(connection);
      throw error;
    }
  });
}

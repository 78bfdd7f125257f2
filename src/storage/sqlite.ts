import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

export interface SqliteOptions {
  path: string;
  /** FULL survives power loss; NORMAL survives a process crash. See docs/architecture.md. */
  synchronous: 'FULL' | 'NORMAL';
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * The embedded database. Kysely prepares every query it runs; better-sqlite3's prepare costs
 * more than running a simple statement, so the handle Kysely sees keeps prepared statements
 * by their SQL text (Kysely only needs `prepare` and `close` of it).
 */
export function openSqlite(options: SqliteOptions): { dialect: SqliteDialect; raw: Database.Database } {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const raw = new Database(options.path);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${options.synchronous}`);
  raw.pragma('busy_timeout = 5000');
  // 16 MB of page cache: the hot pages of the indexes; more only raises memory use.
  raw.pragma('cache_size = -16384');
  raw.pragma('temp_store = MEMORY');
  // A commit of a large batch dirties many pages; checkpointing every 1,000 pages (the default)
  // would copy them to the database file and sync it on nearly every commit. 10,000 pages
  // (40 MB of WAL) lets a page changed by many commits be copied once.
  raw.pragma('wal_autocheckpoint = 10000');

  const statements = new Map<string, Database.Statement>();
  const handle = {
    prepare(sqlText: string) {
      let statement = statements.get(sqlText);
      if (statement) return statement;
      statement = raw.prepare(sqlText);
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        statements.delete(statements.keys().next().value!);
      }
      statements.set(sqlText, statement);
      return statement;
    },
    close() {
      statements.clear();
      raw.close();
    },
  };
  return { dialect: new SqliteDialect({ database: handle }), raw };
}

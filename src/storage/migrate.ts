import { Migrator, type MigrationResultSet } from 'kysely';
import type { Storage } from './database.js';
import { takeMigrationNotices } from './migration-notices.js';
import { migrations } from './migrations/index.js';

/**
 * Brings the database to the newest schema; safe to run at every start and from many processes.
 * What a migration changed in existing rows is told to `notice` (default: standard error).
 */
export async function migrateToLatest(
  storage: Storage,
  notice: (text: string) => void = (text) => process.stderr.write(`storewire migrate: ${text}\n`),
): Promise<string[]> {
  await storage.ensureDatabase();
  const migrator = new Migrator({
    db: storage.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'storewire_migrations',
    migrationLockTableName: 'storewire_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  for (const text of takeMigrationNotices()) notice(text);
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${cause}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

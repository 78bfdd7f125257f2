import type { Kysely } from 'kysely';
import { isPostgres } from '../database.js';
import { createLiveTable, dropLiveTable } from '../live-topics.js';
import {
  backfillRollups,
  createRollupTables,
  installPostgresRollups,
  installSqliteRollups,
  uninstallRollups,
} from '../rollup-triggers.js';

/**
 * The overview's rollups (issue 14): counters of events, messages, orders and journey runs per
 * store and quarter hour, kept by triggers as rows arrive and change (storage/rollup-triggers.ts),
 * and counted once here from what the database already holds; and the versions live pages poll
 * (storage/live-topics.ts), raised by the same triggers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createRollupTables(db);
  await createLiveTable(db);
  await backfillRollups(db);
  if (isPostgres(db)) await installPostgresRollups(db);
  else await installSqliteRollups(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await uninstallRollups(db, isPostgres(db));
  await dropLiveTable(db);
}

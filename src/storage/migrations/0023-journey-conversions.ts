import type { Kysely } from 'kysely';
import { isPostgres } from '../database.js';
import {
  backfillConversions,
  createConversionsTable,
  installConversionTriggers,
  uninstallConversions,
} from '../journey-conversions.js';

/**
 * Journey conversions kept as orders and runs are written (issue 14, docs/benchmarks.md
 * "Dashboard"): each run's first order after it entered, other than its own, kept by triggers
 * (storage/journey-conversions.ts) and computed here once from what the database already holds,
 * so the journey's stats read their conversions by index instead of joining every run of the
 * journey to every order of the store.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createConversionsTable(db);
  await backfillConversions(db);
  await installConversionTriggers(db, isPostgres(db));
}

export async function down(db: Kysely<any>): Promise<void> {
  await uninstallConversions(db, isPostgres(db));
}

import type { Kysely } from 'kysely';
import { isPostgres } from '../database.js';
import { installStepLogLive, uninstallStepLogLive } from '../live-topics.js';
import { dropRollupTriggers, installPostgresRollups, installSqliteRollups } from '../rollup-triggers.js';

/**
 * A journey's page updates live (issue 14, docs/overview.md "Live"): `journey:<id>` now also
 * moves with each step its runs log and with the statuses of the messages its sends queued. The
 * rollup triggers are installed again as storage/rollup-triggers.ts now writes them (the
 * counters they keep are not touched), and the step log gets a trigger of its own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);
  await dropRollupTriggers(db, postgres);
  if (postgres) await installPostgresRollups(db);
  else await installSqliteRollups(db);
  await installStepLogLive(db, postgres);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The rollup triggers stay as they are: a topic raised more often than before is harmless.
  await uninstallStepLogLive(db, isPostgres(db));
}

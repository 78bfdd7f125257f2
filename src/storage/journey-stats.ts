import type { Db } from './database.js';

/** The grouped counts a journey's statistics are made of (journeys/stats.ts adds them up). */
export interface JourneyStatsRows {
  runs: { status: string; exit_reason: string | null; step_id: string | null; n: unknown }[];
  steps: { step_id: string; outcome: string; detail: string | null; n: unknown }[];
  messages: { campaign: string | null; status: string; n: unknown; replied: unknown }[];
  /** Orders of each run's shopper within `windowMs` after the run entered, oldest first. */
  conversions: {
    run_id: string;
    order_id: string;
    created_at: number;
    total_minor: number | null;
    currency: string | null;
    trigger_order: string | null;
  }[];
}

/**
 * Each count reads an index alone (migration 0020): runs by status, the step log by outcome, the
 * messages of the send steps' campaigns (`campaigns`, exact names: a `like 'journey:id:%'`
 * prefix used no index on either database) by status and reply.
 */
export async function journeyStatsRows(
  db: Db,
  storeId: string,
  journeyId: string,
  campaigns: string[],
  windowMs: number,
): Promise<JourneyStatsRows> {
  const runs = await db
    .selectFrom('journey_runs')
    .select(['status', 'exit_reason', 'step_id', (eb) => eb.fn.countAll().as('n')])
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .groupBy(['status', 'exit_reason', 'step_id'])
    .execute();
  const steps = await db
    .selectFrom('journey_steps')
    .select(['step_id', 'outcome', 'detail', (eb) => eb.fn.countAll().as('n')])
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .groupBy(['step_id', 'outcome', 'detail'])
    .execute();
  const messages = campaigns.length
    ? await db
        .selectFrom('messages')
        .select([
          'campaign',
          'status',
          (eb) => eb.fn.countAll().as('n'),
          (eb) => eb.fn.count('replied_at').as('replied'),
        ])
        .where('store_id', '=', storeId)
        .where('campaign', 'in', campaigns)
        .groupBy(['campaign', 'status'])
        .execute()
    : [];
  // The journey's runs first, each shopper's orders looked up by index: SQLite keeps a CROSS
  // JOIN's order. Left free, without statistics it went the other way round (every order, then
  // the runs entered within the window before it, by the entry-time index): over a minute at
  // 40,000 runs and 50,000 orders. PostgreSQL plans a cross join with conditions as any join.
  const conversions = await db
    .selectFrom('journey_runs as r')
    .crossJoin('orders as o')
    .whereRef('o.store_id', '=', 'r.store_id')
    .whereRef('o.contact_id', '=', 'r.contact_id')
    .select([
      'r.id as run_id',
      'o.order_id',
      'o.created_at',
      'o.total_minor',
      'o.currency',
      'r.order_id as trigger_order',
    ])
    .where('r.store_id', '=', storeId)
    .where('r.journey_id', '=', journeyId)
    .whereRef('o.created_at', '>=', 'r.entered_at')
    .where((eb) => eb('o.created_at', '<=', eb('r.entered_at', '+', windowMs)))
    .orderBy('o.created_at')
    .execute();
  return { runs, steps, messages, conversions };
}

/** The journey's sends of these runs, oldest first (last-touch attribution). */
export async function sendsOfRuns(
  db: Db,
  storeId: string,
  journeyId: string,
  runIds: string[],
): Promise<{ run_id: string; step_id: string; at: number }[]> {
  return db
    .selectFrom('journey_steps')
    .select(['run_id', 'step_id', 'at'])
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .where('outcome', '=', 'sent')
    .where('run_id', 'in', runIds)
    .orderBy('at')
    .execute();
}

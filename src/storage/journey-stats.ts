import type { Db } from './database.js';

/** The grouped counts a journey's statistics are made of (journeys/stats.ts adds them up). */
export interface JourneyStatsRows {
  runs: { status: string; exit_reason: string | null; step_id: string | null; n: unknown }[];
  steps: { step_id: string; outcome: string; detail: string | null; n: unknown }[];
  messages: { campaign: string | null; status: string; n: unknown; replied: unknown }[];
  /**
   * Each run's first order within `windowMs` after the run entered, other than the order that
   * started it, oldest first: at most one per run.
   */
  conversions: {
    run_id: string;
    order_id: string;
    created_at: number;
    total_minor: number | null;
    currency: string | null;
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
  // Each run's first order after entering, other than its own, is kept as orders and runs are
  // written (storage/journey-conversions.ts, migration 0023); those within the window are read
  // from their index, and only their orders' rows (revenue: an order's total may change).
  const conversions = await db
    .selectFrom('journey_conversions as c')
    .innerJoin('orders as o', (join) =>
      join.onRef('o.store_id', '=', 'c.store_id').onRef('o.order_id', '=', 'c.order_id'),
    )
    .select(['c.run_id', 'c.order_id', 'c.created_at', 'o.total_minor', 'o.currency'])
    .where('c.store_id', '=', storeId)
    .where('c.journey_id', '=', journeyId)
    .where('c.after_ms', '<=', windowMs)
    .orderBy('c.created_at')
    .orderBy('c.order_id')
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

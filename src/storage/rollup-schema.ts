/** The overview's rollup tables (storage/rollup-triggers.ts): counters per store, quarter hour and one dimension. */
interface RollupKey {
  store_id: string;
  /** Epoch milliseconds / 900,000: the quarter hour. */
  slot: number;
}

export interface RollupTables {
  rollup_events: RollupKey & { kind: string; events: number };
  rollup_messages: RollupKey & {
    template: string;
    total: number;
    sent: number;
    delivered: number;
    reads: number;
    failed: number;
    replied: number;
  };
  rollup_orders: RollupKey & { currency: string; orders: number; revenue_minor: number };
  rollup_runs: RollupKey & { journey_id: string; entered: number; completed: number; exited: number };
}

/** Live pages' versions (storage/live-topics.ts). */
export interface LiveTables {
  live_versions: { store_id: string; topic: string; version: number };
}

/** Each journey run's first order after it entered, other than its own (storage/journey-conversions.ts). */
export interface JourneyConversionTables {
  journey_conversions: {
    run_id: string;
    store_id: string;
    journey_id: string;
    entered_at: number;
    order_id: string;
    /** The order's creation time. */
    created_at: number;
    /** created_at - entered_at: compared with the journey's attribution window when read. */
    after_ms: number;
  };
}

import type { Clock } from '../clock.js';
import { newId } from '../domain/ids.js';
import type { FrequencyCap, Store } from '../domain/store.js';
import type { Storage } from '../storage/database.js';
import { claimDueRuns } from '../storage/journeys.js';
import { findStoreById } from '../storage/stores.js';
import type { WorkScope } from '../storage/work-scope.js';
import { BatchReads } from './batch-reads.js';
import { definitionOf } from './definition-cache.js';
import type { JourneyDefinition } from './definition.js';
import type { WorkerPresence } from '../work/presence.js';
import { BackgroundLoop, type LoopReport } from '../work/background-loop.js';
import { advanceRun, type StepDeps } from './run-steps.js';
import { saveTurns, type Turn } from './save-turns.js';

export interface JourneyWorkerOptions {
  /** Runs claimed per round. */
  batchSize: number;
  /** How long a claimed run is this worker's; a crashed worker's runs are taken after it. */
  leaseMs: number;
  /** How long the loop sleeps when nothing is due. */
  idlePollMs: number;
  /** Runs worked on at once (sends wait on the database; a partner check on the network). */
  concurrency: number;
  /** Only this shopper's runs (storewire demo); every due run when absent. */
  scope?: WorkScope;
  /** PUBLIC_URL: links in messages (order.tracking_url). */
  publicUrl?: string;
  /**
   * The worker process (work/presence.ts): its id owns the runs claimed, and a dead worker's runs
   * are taken over as soon as its heartbeat is old rather than when their lease ends.
   */
  presence?: WorkerPresence;
}

export const DEFAULT_JOURNEY_WORKER_OPTIONS: JourneyWorkerOptions = {
  batchSize: 500,
  leaseMs: 60_000,
  idlePollMs: 250,
  concurrency: 16,
};

/**
 * A batch's turns are written together, in one transaction (on SQLite each commit is an
 * fsync), or sooner when the oldest has waited a quarter of the lease (a slow partner check
 * must not hold the rest until their lease runs out).
 */

/**
 * Runs journeys: claims due runs with a lease, executes their steps, writes the new state only
 * while it still holds the lease at the seq it claimed. A send is queued with the idempotency
 * key journey:<run>:<seq>, so a step repeated after a crash or a lost lease finds the message
 * already queued and sends nothing twice; the step log keeps one entry per (run, seq).
 *
 * Each run's steps are executed by run-steps.ts. A claimed batch is worked as a set: what its runs read is loaded with one query per table
 * (batch-reads.ts), and their new states, messages and step logs are written together in one
 * transaction (save-turns.ts) — a step costs no query of its own unless it needs one only it
 * asks (a wait_for, a branch on a message, a partner check).
 */
export class JourneyWorker {
  readonly options: JourneyWorkerOptions;
  readonly owner: string;
  readonly stats = { claimed: 0, steps: 0, sent: 0, lostLeases: 0 };
  private readonly loop: BackgroundLoop;
  private readonly stores = new Map<string, { store: Store; until: number }>();
  private readonly steps: StepDeps;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    options: Partial<JourneyWorkerOptions> = {},
    private readonly onQueued: () => void = () => {},
  ) {
    this.options = { ...DEFAULT_JOURNEY_WORKER_OPTIONS, ...options };
    this.owner = this.options.presence?.id ?? newId('wrk');
    this.steps = { storage, clock, publicUrl: this.options.publicUrl };
    // A round that claimed goes on at once (the loop yields to the event loop first: SQLite
    // answers synchronously, and a backlog would otherwise hold HTTP, timers and the dispatcher).
    this.loop = new BackgroundLoop(async () => ((await this.runOnce()) > 0 ? 'more' : 'idle'), {
      name: 'journeys',
      clock,
      idlePollMs: this.options.idlePollMs,
    });
  }

  /** One round: claim due runs and work them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const { presence } = this.options;
    await presence?.alive(now);
    const runs = await claimDueRuns(
      this.storage,
      now,
      now + this.options.leaseMs,
      this.owner,
      this.options.batchSize,
      this.options.scope,
      presence?.liveness(now),
    );
    this.stats.claimed += runs.length;
    if (runs.length === 0) return 0;
    const definitions = new Map<string, JourneyDefinition | null>();
    const stores = new Map<string, Store | null>();
    for (const run of runs) {
      const key = `${run.journeyId}\u0000${run.version}`;
      if (!definitions.has(key))
        definitions.set(key, await definitionOf(this.storage.db, run.storeId, run.journeyId, run.version));
      if (!stores.has(run.storeId)) stores.set(run.storeId, await this.storeOf(run.storeId));
    }
    const reads = await BatchReads.load(this.storage.db, runs, definitions, stores, now);
    const caps = new Map<string, FrequencyCap>(
      [...stores].flatMap(([id, store]) => (store ? [[id, store.settings.marketingFrequencyCap] as const] : [])),
    );

    let pending: Turn[] = [];
    let oldest = 0;
    let saving: Promise<void> = Promise.resolve();
    const flush = () => {
      const turns = pending;
      pending = [];
      saving = saving.then(() => this.save(turns, caps));
    };
    let next = 0;
    const work = async () => {
      while (next < runs.length) {
        const claimed = runs[next++]!;
        const turn = await advanceRun(
          this.steps,
          claimed,
          reads,
          definitions.get(`${claimed.journeyId}\u0000${claimed.version}`) ?? null,
          stores.get(claimed.storeId) ?? null,
        ).catch(() => null);
        // A turn that failed is not written: the lease runs out and the run is claimed again; nothing is lost, nothing repeated.
        if (!turn) continue;
        if (pending.length === 0) oldest = Date.now();
        pending.push(turn);
        if (Date.now() - oldest > this.options.leaseMs / 4) flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, runs.length) }, work));
    flush();
    await saving;
    return runs.length;
  }

  private async save(turns: Turn[], caps: Map<string, FrequencyCap>): Promise<void> {
    try {
      const outcome = await saveTurns(this.storage, turns, this.owner, caps, this.clock.now());
      this.stats.steps += outcome.steps;
      this.stats.sent += outcome.queued;
      this.stats.lostLeases += outcome.lost;
      if (outcome.queued > 0) this.onQueued();
    } catch {
      // Not written: the runs are claimed again when their lease runs out.
    }
  }

  /** Runs rounds until nothing is due (tests and `storewire demo`). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  private async storeOf(id: string): Promise<Store | null> {
    const hit = this.stores.get(id);
    if (hit && hit.until > Date.now()) return hit.store;
    const store = await findStoreById(this.storage.db, id);
    if (store) this.stores.set(id, { store, until: Date.now() + 5_000 });
    return store;
  }

  wake(): void {
    this.loop.wake();
  }

  /** Its loop's turns, failures and wakes (for /metrics). */
  loopReport(): LoopReport {
    return this.loop.report();
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}

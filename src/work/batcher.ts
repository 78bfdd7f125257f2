import { type Clock, realSleep } from '../clock.js';

/**
 * What a shared commit's failure means for its items:
 * - `'split'`: halves are committed again, so one bad item fails alone after about log2(n)
 *   more commits while every good one is still written (a lone failing item goes to onLoneFailure);
 * - `'each-alone'`: every item is committed again on its own (commitOne);
 * - `'fail-all'`: every item is answered with the error (a caller that retries later anyway).
 * With split and each-alone, an error `isUnavailable` calls the database's, not an item's:
 * every item is answered with it at once, none retried.
 */
export type FailurePolicy = 'split' | 'each-alone' | 'fail-all';

export interface BatcherOptions<I, R> {
  /** For metrics and errors: what the batches write ("events"). */
  name: string;
  /** Writes the items in one transaction; answers one result per item, in order. */
  commit(items: I[]): Promise<R[]>;
  failure: FailurePolicy;
  /** each-alone: writes one item by itself (a batch of one goes here directly). */
  commitOne?(item: I): Promise<R>;
  /**
   * split: a lone item failed (not unavailable). `again` commits a part of it through the same
   * policy, so an item made of parts can keep its good parts. Without it the item is rejected.
   */
  onLoneFailure?(item: I, error: unknown, again: (part: I) => Promise<R>): Promise<R>;
  isUnavailable?(error: unknown): boolean;
  /** Items in one commit at most (default unbounded). */
  maxBatch?: number;
  /** An item's weight (default 1), for maxBatchWeight and maxQueuedWeight. */
  weight?(item: I): number;
  /** Weight in one commit at most; an item heavier than this is committed alone (default unbounded). */
  maxBatchWeight?: number;
  /** Weight that may wait for a commit; beyond, submit() answers `overloaded()` at once. */
  maxQueuedWeight?: number;
  overloaded?(): Error;
  /**
   * How long the first item waits for others before its commit (default 0: it waits only for
   * the end of the event loop turn, so every request read in this turn joins). A full batch
   * is committed at once.
   */
  lingerMs?: number;
  /** Whose time lingers (default real timers; tests pass a virtual clock). */
  clock?: Pick<Clock, 'sleep'>;
}

export interface BatcherStats {
  /** Transactions that committed. */
  commits: number;
  /** Items written by them. */
  items: number;
  /** Weight written by them. */
  weight: number;
  /** Shared or single commits that failed. */
  failures: number;
  /** submit() calls refused because the queue was full. */
  overloads: number;
}

/** A batcher's name, what it wrote and the weight waiting now (for /metrics). */
export interface BatcherReport extends BatcherStats {
  name: string;
  queued: number;
}

interface Pending<I, R> {
  item: I;
  weight: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

class QueueFullError extends Error {}

/**
 * Group commit: items submitted while a transaction is being written wait for the next one and
 * commit together; each submit() is answered only after the commit that holds its item, so an
 * answer always means durable. One shape for every writer that batches (events, queued
 * messages, send outcomes): only the commit and the failure policy are theirs.
 */
export class Batcher<I, R> {
  readonly stats: BatcherStats = { commits: 0, items: 0, weight: 0, failures: 0, overloads: 0 };
  private queue: Pending<I, R>[] = [];
  private queuedWeight = 0;
  private scheduled = false;
  private linger: AbortController | null = null;
  private flushing: Promise<void> | null = null;
  private readonly maxBatch: number;
  private readonly maxBatchWeight: number;
  private readonly lingerMs: number;

  constructor(private readonly options: BatcherOptions<I, R>) {
    this.maxBatch = Math.max(1, options.maxBatch ?? Number.POSITIVE_INFINITY);
    this.maxBatchWeight = options.maxBatchWeight ?? Number.POSITIVE_INFINITY;
    this.lingerMs = options.lingerMs ?? 0;
    if (options.failure === 'each-alone' && !options.commitOne)
      throw new TypeError(`${options.name}: the each-alone policy needs commitOne`);
  }

  report(): BatcherReport {
    return { name: this.options.name, ...this.stats, queued: this.queuedWeight };
  }

  /** Weight waiting for a commit or being committed. */
  get queued(): number {
    return this.queuedWeight;
  }

  submit(item: I): Promise<R> {
    const weight = this.options.weight?.(item) ?? 1;
    if (this.options.maxQueuedWeight !== undefined && this.queuedWeight + weight > this.options.maxQueuedWeight) {
      this.stats.overloads++;
      return Promise.reject(
        this.options.overloaded?.() ?? new QueueFullError(`${this.options.name}: too many waiting for the database`),
      );
    }
    this.queuedWeight += weight;
    return new Promise<R>((resolve, reject) => {
      this.queue.push({
        item,
        weight,
        resolve: (result) => {
          this.queuedWeight -= weight;
          resolve(result);
        },
        reject: (error) => {
          this.queuedWeight -= weight;
          reject(error);
        },
      });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is committed (or failed), lingering no longer. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.scheduled || this.flushing) {
      this.linger?.abort();
      if (this.flushing) await this.flushing;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private full(): boolean {
    if (this.queue.length >= this.maxBatch) return true;
    let weight = 0;
    for (const pending of this.queue) {
      weight += pending.weight;
      if (weight >= this.maxBatchWeight) return true;
    }
    return false;
  }

  private schedule(): void {
    if (this.flushing) return; // the flush in progress takes it next
    if (this.scheduled) {
      // A batch filled up while lingering: no point waiting for more.
      if (this.linger && this.queue.length >= this.maxBatch) this.linger.abort();
      return;
    }
    this.scheduled = true;
    if (this.lingerMs > 0 && !this.full()) {
      const linger = new AbortController();
      this.linger = linger;
      const sleep = this.options.clock?.sleep.bind(this.options.clock) ?? realSleep;
      void sleep(this.lingerMs, linger.signal).then(() => this.startFlush());
    } else {
      // setImmediate runs after the poll phase, so every request read in this turn joins.
      setImmediate(() => this.startFlush());
    }
  }

  private startFlush(): void {
    this.linger = null;
    this.scheduled = false;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private async flush(): Promise<void> {
    for (;;) {
      const batch = this.take();
      if (batch.length === 0) return;
      await this.commitBatch(batch);
      // Lingering batchers linger again for what came meanwhile, after a turn of the event
      // loop (a long run of commits must not hold timers); the others go on at once.
      if (this.lingerMs > 0) return;
    }
  }

  private take(): Pending<I, R>[] {
    const taken: Pending<I, R>[] = [];
    let weight = 0;
    while (this.queue.length > 0 && taken.length < this.maxBatch) {
      const next = this.queue[0]!;
      if (taken.length > 0 && weight + next.weight > this.maxBatchWeight) break;
      taken.push(this.queue.shift()!);
      weight += next.weight;
    }
    return taken;
  }

  private async commitBatch(batch: Pending<I, R>[]): Promise<void> {
    const { failure, commitOne } = this.options;
    if (failure === 'each-alone' && batch.length === 1 && commitOne) return this.commitAlone(batch[0]!);
    let results: R[];
    try {
      results = await this.options.commit(batch.map((p) => p.item));
    } catch (error) {
      this.stats.failures++;
      return this.failed(batch, error);
    }
    this.stats.commits++;
    this.stats.items += batch.length;
    batch.forEach((pending, i) => {
      this.stats.weight += pending.weight;
      pending.resolve(results[i]!);
    });
  }

  private async failed(batch: Pending<I, R>[], error: unknown): Promise<void> {
    const { failure, isUnavailable } = this.options;
    if (failure === 'fail-all' || isUnavailable?.(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    if (failure === 'each-alone') {
      for (const pending of batch) await this.commitAlone(pending);
      return;
    }
    if (batch.length === 1) return this.loneFailure(batch[0]!, error);
    const half = Math.ceil(batch.length / 2);
    await this.commitBatch(batch.slice(0, half));
    await this.commitBatch(batch.slice(half));
  }

  private async commitAlone(pending: Pending<I, R>): Promise<void> {
    try {
      const result = await this.options.commitOne!(pending.item);
      this.stats.commits++;
      this.stats.items++;
      this.stats.weight += pending.weight;
      pending.resolve(result);
    } catch (error) {
      this.stats.failures++;
      pending.reject(error);
    }
  }

  private async loneFailure(pending: Pending<I, R>, error: unknown): Promise<void> {
    const { onLoneFailure } = this.options;
    if (!onLoneFailure) return pending.reject(error);
    // A part goes through the same policy, outside the queue (its weight is already counted there).
    const again = (part: I) =>
      new Promise<R>((resolve, reject) => {
        void this.commitBatch([{ item: part, weight: this.options.weight?.(part) ?? 1, resolve, reject }]);
      });
    try {
      pending.resolve(await onLoneFailure(pending.item, error, again));
    } catch (partError) {
      pending.reject(partError);
    }
  }
}

import type { Clock } from '../clock.js';

/**
 * What a turn found, and so how the loop waits before the next one:
 * - `'more'`: work is probably waiting: go again at once (after a turn of the event loop);
 * - `'idle'`: sleep the idle poll; a wake, even one that came during the turn, ends the sleep;
 * - an object: sleep `sleepMs` (default: the idle poll); `wakes` says which wakes end it:
 *   `'any'` (as idle), `'later'` (a wake that came during the turn is spent, say because only
 *   the end of work in flight can make room and it wakes the loop itself), or `'none'` (only
 *   stop() ends it: a wake would only find the same nothing again).
 */
export type TurnResult = 'more' | 'idle' | { sleepMs?: number; wakes?: 'any' | 'later' | 'none' };

export interface BackgroundLoopOptions {
  /** For logs and metrics: what this loop does ("webhook deliveries"). */
  name: string;
  clock: Clock;
  /** How long the loop sleeps when nothing is due and nobody wakes it. */
  idlePollMs: number;
  /** The longest sleep after turns that keep failing (default 10 s, at least the idle poll). */
  maxBackoffMs?: number;
  /** Told about every failed turn (the loop itself carries on). */
  onError?: (error: unknown, failuresInARow: number) => void;
}

/** What a loop did, for /metrics and tests. */
export interface LoopStats {
  turns: number;
  failures: number;
  wakes: number;
}

/** A loop's name and what it did (for /metrics). */
export interface LoopReport extends LoopStats {
  name: string;
}

/** Gives timers, sockets and HTTP requests a turn: on SQLite a round never waits on I/O. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The one loop of background work: start(); turns of the worker's own work; a sleep on the
 * injected clock between them that wake() cuts short; stop(), which waits for the turn in
 * progress. A turn that throws (the database is down or busy) is followed by a back-off that
 * doubles up to maxBackoffMs and that no wake cuts short, so however often the loop is woken
 * a broken database is asked at most once per back-off. Between any two turns the event loop
 * gets a turn, so a backlog never holds HTTP and timers.
 */
export class BackgroundLoop {
  readonly stats: LoopStats = { turns: 0, failures: 0, wakes: 0 };
  private readonly maxBackoffMs: number;
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** A wake came since the current turn began. */
  private woken = false;
  /** The sleep in progress, and whether a wake may end it. */
  private sleeping: { controller: AbortController; wakeable: boolean } | null = null;

  constructor(
    private readonly turn: () => Promise<TurnResult>,
    private readonly options: BackgroundLoopOptions,
  ) {
    this.maxBackoffMs = Math.max(options.idlePollMs, options.maxBackoffMs ?? 10_000);
  }

  report(): LoopReport {
    return { name: this.options.name, ...this.stats };
  }

  get running(): boolean {
    return this.loop !== null && !this.stopping;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Ends the sleep (or the next one), lets the turn in progress finish, and resolves after it. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeping?.controller.abort();
    await this.loop;
    this.loop = null;
  }

  /** Something for the loop was committed: look now rather than at the next poll. */
  wake(): void {
    this.stats.wakes++;
    this.woken = true;
    if (this.sleeping?.wakeable) this.sleeping.controller.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.woken = false;
      let result: TurnResult;
      try {
        this.stats.turns++;
        result = await this.turn();
        failures = 0;
      } catch (error) {
        failures++;
        this.stats.failures++;
        this.options.onError?.(error, failures);
        const backoff = Math.min(this.options.idlePollMs * 2 ** (failures - 1), this.maxBackoffMs);
        result = { sleepMs: backoff, wakes: 'none' };
      }
      if (this.stopping) break;
      if (result === 'more') {
        await yieldToEventLoop();
        continue;
      }
      const { sleepMs = this.options.idlePollMs, wakes = 'any' } = result === 'idle' ? {} : result;
      if (sleepMs <= 0 || (wakes === 'any' && this.woken)) {
        await yieldToEventLoop();
        continue;
      }
      await this.sleep(sleepMs, wakes !== 'none');
    }
  }

  private async sleep(ms: number, wakeable: boolean): Promise<void> {
    const controller = new AbortController();
    this.sleeping = { controller, wakeable };
    try {
      await this.options.clock.sleep(ms, controller.signal);
    } finally {
      this.sleeping = null;
    }
  }
}

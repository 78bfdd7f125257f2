import type { Clock } from '../../src/clock.js';

interface Timer {
  due: number;
  seq: number;
  resolve(): void;
}

/**
 * A clock tests move by hand: days pass in a line of code. Sleeps on it end when the clock is
 * moved past their time (advance/set fire them in due order), or when their signal aborts;
 * nothing real waits, so a worker's polls and back-offs are counted exactly.
 */
export class ManualClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  private sleepWaiters: { count: number; resolve(): void }[] = [];

  constructor(private current = Date.parse('2026-11-21T10:00:00Z')) {}
  now(): number {
    return this.current;
  }
  set(at: number | string): void {
    this.current = typeof at === 'string' ? Date.parse(at) : at;
    this.fire();
  }
  advance(ms: number): void {
    this.current += ms;
    this.fire();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer: Timer = {
        due: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          this.timers = this.timers.filter((t) => t !== timer);
          signal?.removeEventListener('abort', timer.resolve);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', timer.resolve, { once: true });
      this.notifySleepers();
    });
  }

  /** Sleeps waiting on this clock now. */
  get sleepers(): number {
    return this.timers.length;
  }

  /** When the next sleep ends, or null when nobody sleeps. */
  nextTimer(): number | null {
    return this.timers.reduce<number | null>((min, t) => (min === null || t.due < min ? t.due : min), null);
  }

  /**
   * Resolves once at least `count` sleeps wait on this clock: a worker has finished its turn and
   * gone to sleep. Waits on the sleep itself, not on real time.
   */
  untilSleeping(count = 1): Promise<void> {
    if (this.timers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.sleepWaiters.push({ count, resolve }));
  }

  /** Moves to the next sleep's end (firing it), if any. */
  advanceToNextTimer(): void {
    const next = this.nextTimer();
    if (next !== null) this.set(Math.max(next, this.current));
  }

  private fire(): void {
    const due = this.timers.filter((t) => t.due <= this.current).sort((a, b) => a.due - b.due || a.seq - b.seq);
    for (const timer of due) timer.resolve();
  }

  private notifySleepers(): void {
    const ready = this.sleepWaiters.filter((w) => this.timers.length >= w.count);
    this.sleepWaiters = this.sleepWaiters.filter((w) => this.timers.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }
}

import { realSleep, type Clock } from '../clock.js';

/**
 * Virtual time for `storewire demo`: starts at the real now and runs `speed` times faster, so
 * an hour's wait takes a second at 3600×. It moves in steps, between rounds of the workers, so
 * one round sees one instant (as the tests' ManualClock); a step stops at the next due time,
 * so what is due at +1h runs at +1h exactly, and skipTo() jumps over a quiet day. It never goes
 * back.
 */
export class FastClock implements Clock {
  private current: number;
  private lastStep = performance.now();

  constructor(
    readonly speed: number,
    start: number = Date.now(),
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** A wait of store time takes `speed` times less real time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return realSleep(ms / this.speed, signal);
  }

  /** Moves on by `speed` × the real time since the last step, but not past `nextDue`. */
  step(nextDue: number | null): void {
    const real = performance.now();
    const target = Math.floor(this.current + (real - this.lastStep) * this.speed);
    this.lastStep = real;
    this.current =
      nextDue !== null && nextDue > this.current && nextDue < target ? nextDue : Math.max(this.current, target);
  }

  /** Jumps to `at` at once (nothing if `at` is not ahead). */
  skipTo(at: number): void {
    if (at > this.current) this.current = at;
    this.lastStep = performance.now();
  }
}

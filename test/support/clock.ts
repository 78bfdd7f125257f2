import type { Clock } from '../../src/clock.js';

/** A clock tests move by hand: days pass in a line of code. */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-11-21T10:00:00Z')) {}
  now(): number {
    return this.current;
  }
  set(at: number | string): void {
    this.current = typeof at === 'string' ? Date.parse(at) : at;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

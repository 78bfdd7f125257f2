/**
 * Time comes from a clock that is passed in, so tests can move it by days in a millisecond.
 * Background work waits on the same clock (sleep), so a test's virtual clock drives a worker's
 * idle polls and back-offs end to end. Pacing sends within a second is not business time: it
 * keeps to performance.now() and real timers (see messaging/pacer.ts).
 */
export interface Clock {
  now(): number;
  /**
   * Resolves after `ms` of this clock's time, or as soon as `signal` aborts (it never rejects:
   * a sleep cut short is a wake, not an error).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A sleep on real timers: the one systemClock and the demo's fast clock share. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep: realSleep };

/**
 * When a failed delivery is tried again: 10 s after the first failure, doubling each time, never
 * more than an hour, each wait moved by up to ±20% so that deliveries failing together (a
 * receiver that was down) do not all come back in the same second.
 */
export const FIRST_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 60 * 60_000;
export const JITTER = 0.2;
/** A delivery that failed this many times is given up (status failed, kept in the log). */
export const MAX_ATTEMPTS = 12;

/** The nominal wait after `failures` failed attempts (1 = after the first), before jitter. */
export function nominalBackoffMs(failures: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** exponent);
}

/** The wait after `failures` failed attempts, jittered; `random` returns [0, 1). */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  const factor = 1 - JITTER + 2 * JITTER * random();
  return Math.round(nominalBackoffMs(failures) * factor);
}

import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_ATTEMPTS, nominalBackoffMs } from './backoff.js';

describe('webhook retry backoff', () => {
  it('starts at 10 s and doubles after each failure, up to an hour', () => {
    const schedule = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => nominalBackoffMs(i + 1) / 1000);
    expect(schedule).toEqual([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
    expect(nominalBackoffMs(40)).toBe(3_600_000);
    expect(nominalBackoffMs(1_000)).toBe(3_600_000);
  });

  it('moves each wait by at most 20% either way', () => {
    expect(backoffMs(1, () => 0)).toBe(8_000);
    expect(backoffMs(1, () => 0.5)).toBe(10_000);
    expect(backoffMs(1, () => 0.999999)).toBeCloseTo(12_000, -1);
    expect(backoffMs(12, () => 0)).toBe(2_880_000);
    for (let failures = 1; failures < MAX_ATTEMPTS; failures++) {
      for (let i = 0; i < 50; i++) {
        const wait = backoffMs(failures);
        expect(wait).toBeGreaterThanOrEqual(nominalBackoffMs(failures) * 0.8);
        expect(wait).toBeLessThanOrEqual(nominalBackoffMs(failures) * 1.2);
      }
    }
  });

  it('spreads deliveries that failed together', () => {
    const waits = new Set(Array.from({ length: 100 }, () => backoffMs(3)));
    expect(waits.size).toBeGreaterThan(50);
  });

  it('gives up after 12 attempts, 3 h 25 min after the first (before jitter)', () => {
    expect(MAX_ATTEMPTS).toBe(12);
    let total = 0;
    for (let failures = 1; failures < MAX_ATTEMPTS; failures++) total += nominalBackoffMs(failures);
    expect(total).toBe(12_310_000);
  });
});

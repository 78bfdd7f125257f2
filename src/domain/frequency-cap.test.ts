import { describe, expect, it } from 'vitest';
import { capReached, capWindowStart, DEFAULT_FREQUENCY_CAP, frequencyCapOf } from './frequency-cap.js';

describe('marketing frequency cap', () => {
  it('counts from `hours` before now and is full at `max`', () => {
    const cap = { max: 3, hours: 12 };
    expect(capWindowStart(cap, 100_000_000)).toBe(100_000_000 - 12 * 3_600_000);
    expect(capReached(cap, 2)).toBe(false);
    expect(capReached(cap, 3)).toBe(true);
    expect(capReached(cap, 4)).toBe(true);
  });

  it("is the store's own, or two a day for a store that could not be read", () => {
    expect(frequencyCapOf({ settings: { marketingFrequencyCap: { max: 5, hours: 1 } } })).toEqual({ max: 5, hours: 1 });
    expect(frequencyCapOf(null)).toEqual({ max: 2, hours: 24 });
    expect(DEFAULT_FREQUENCY_CAP).toEqual({ max: 2, hours: 24 });
  });
});

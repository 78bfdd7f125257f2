import { beforeEach, describe, expect, it, vi } from 'vitest';

// newId remembers the last millisecond and random part of the process; each test starts fresh.
let ids: typeof import('./ids.js');
beforeEach(async () => {
  vi.resetModules();
  ids = await import('./ids.js');
});

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The time part of an id, decoded independently of the code under test. */
const timeOf = (id: string) =>
  [...id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11)].reduce((n, c) => n * 32 + CROCKFORD.indexOf(c), 0);

describe('newId', () => {
  it('is the prefix, "_" and 26 Crockford base32 characters', () => {
    expect(ids.newId('ct')).toMatch(/^ct_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ids.newId('st')).toMatch(/^st_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('starts with the millisecond time, encoded as in the ULID spec', () => {
    // The ULID spec's own example: ulid(1469918176385) starts with 01ARYZ6S41.
    expect(ids.newId('x', 1469918176385).slice(2, 12)).toBe('01ARYZ6S41');
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(timeOf(ids.newId('ev', now))).toBe(now);
  });

  it('uses the current time when none is given', () => {
    const before = Date.now();
    const id = ids.newId('ev');
    expect(timeOf(id)).toBeGreaterThanOrEqual(before);
    expect(timeOf(id)).toBeLessThanOrEqual(Date.now());
  });

  it('sorts as text by creation time', () => {
    const times = [
      Date.parse('2020-01-01T00:00:00Z'),
      Date.parse('2024-10-08T06:30:35.001Z'),
      Date.parse('2024-10-08T06:30:35.002Z'),
      Date.parse('2090-01-01T00:00:00Z'),
    ];
    const made = times.map((t) => ids.newId('ct', t));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
  });

  it('increases strictly for 10,000 ids made in one millisecond', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    const made = Array.from({ length: 10_000 }, () => ids.newId('ct', now));
    for (let i = 1; i < made.length; i++) {
      if (!(made[i]! > made[i - 1]!)) expect.fail(`id ${i} (${made[i]}) is not after ${made[i - 1]}`);
    }
    expect(made.every((id) => timeOf(id) === now)).toBe(true);
    // And the next millisecond sorts after all of them.
    expect(ids.newId('ct', now + 1) > made.at(-1)!).toBe(true);
  });

  it('never goes backwards when the clock does', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    const first = ids.newId('ct', now);
    const second = ids.newId('ct', now - 5_000);
    expect(second > first).toBe(true);
  });

  it('draws a fresh random part when it starts over, as another process would', async () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    const a = ids.newId('ct', now);
    vi.resetModules();
    const other = await import('./ids.js');
    const b = other.newId('ct', now);
    expect(a.slice(0, 13)).toBe(b.slice(0, 13));
    expect(a).not.toBe(b);
  });
});

describe('newSecret', () => {
  it('is the prefix and URL-safe random text, different each time', () => {
    const a = ids.newSecret('sw_key');
    const b = ids.newSecret('sw_key');
    expect(a).toMatch(/^sw_key_[A-Za-z0-9_-]{32}$/);
    expect(a).not.toBe(b);
    expect(ids.newSecret('sw_ing', 12)).toMatch(/^sw_ing_[A-Za-z0-9_-]{16}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatIsoUtc, formatLocal, isValidTimeZone, parseTimestamp } from './time.js';

const NY = 'America/New_York';
const IST = 'Asia/Kolkata';
/** Expected instants are written as literal UTC ISO strings, read by Date.parse. */
const at = (iso: string) => Date.parse(iso);

describe('parseTimestamp: ISO 8601 with an offset is exact, whatever the store zone', () => {
  it.each([
    ['2024-10-08T06:30:35Z', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T06:30:35z', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T12:00:35+05:30', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T12:00:35+0530', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T01:30:35-05:00', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T11:30:35+05', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08 12:00:35 +05:30', '2024-10-08T06:30:35.000Z'],
    ['2024-10-08T06:30Z', '2024-10-08T06:30:00.000Z'],
  ])('%s', (text, expected) => {
    expect(parseTimestamp(text, NY)).toBe(at(expected));
    expect(parseTimestamp(text, IST)).toBe(at(expected));
  });

  it("reads seed 001's microsecond timestamp, truncating below the millisecond", () => {
    expect(parseTimestamp('2024-10-08T06:30:35.858469+00:00', IST)).toBe(at('2024-10-08T06:30:35.858Z'));
    expect(parseTimestamp('2024-10-08T06:30:35.8589+00:00', IST)).toBe(at('2024-10-08T06:30:35.858Z'));
    expect(parseTimestamp('2024-10-08T06:30:35.5Z', IST)).toBe(at('2024-10-08T06:30:35.500Z'));
    expect(parseTimestamp('2024-10-08T06:30:35,25Z', IST)).toBe(at('2024-10-08T06:30:35.250Z'));
  });

  it('trims surrounding whitespace', () => {
    expect(parseTimestamp('  2024-10-08T06:30:35Z\n', IST)).toBe(at('2024-10-08T06:30:35Z'));
  });
});

describe('parseTimestamp: local times without an offset are wall-clock times in the given zone', () => {
  it('reads "YYYY-MM-DD HH:mm:ss" and "YYYY-MM-DDTHH:mm:ss" alike', () => {
    expect(parseTimestamp('2024-10-08 12:00:35', IST)).toBe(at('2024-10-08T06:30:35Z'));
    expect(parseTimestamp('2024-10-08T12:00:35', IST)).toBe(at('2024-10-08T06:30:35Z'));
    expect(parseTimestamp('2024-10-08 12:00:35.25', IST)).toBe(at('2024-10-08T06:30:35.250Z'));
    expect(parseTimestamp('2024-10-08 12:00:35', 'UTC')).toBe(at('2024-10-08T12:00:35Z'));
  });

  it('reads a bare date as midnight in the zone', () => {
    expect(parseTimestamp('2024-10-08', IST)).toBe(at('2024-10-07T18:30:00Z'));
    expect(parseTimestamp('2024-10-08', NY)).toBe(at('2024-10-08T04:00:00Z'));
  });

  it('uses standard time in winter and daylight time in summer', () => {
    expect(parseTimestamp('2024-01-15 12:00:00', NY)).toBe(at('2024-01-15T17:00:00Z'));
    expect(parseTimestamp('2024-07-15 12:00:00', NY)).toBe(at('2024-07-15T16:00:00Z'));
  });

  describe('around the spring-forward change (2024-03-10, 02:00 EST -> 03:00 EDT)', () => {
    it('reads the last second before and the first second after the jump', () => {
      expect(parseTimestamp('2024-03-10 01:59:59', NY)).toBe(at('2024-03-10T06:59:59Z'));
      expect(parseTimestamp('2024-03-10 03:00:00', NY)).toBe(at('2024-03-10T07:00:00Z'));
      expect(parseTimestamp('2024-03-10 03:30:00', NY)).toBe(at('2024-03-10T07:30:00Z'));
      expect(parseTimestamp('2024-03-09 23:30:00', NY)).toBe(at('2024-03-10T04:30:00Z'));
    });

    it('reads a skipped time (02:30) with the offset before the jump, as Date and Temporal do: 03:30 EDT', () => {
      const skipped = parseTimestamp('2024-03-10 02:30:00', NY)!;
      expect(skipped).toBe(at('2024-03-10T07:30:00Z'));
      // Never before a time the clock showed earlier that night.
      expect(skipped).toBeGreaterThan(parseTimestamp('2024-03-10 01:59:59', NY)!);
      expect(formatLocal(skipped, NY)).toBe('2024-03-10 03:30:00');
    });
  });

  describe('around the fall-back change (2024-11-03, 02:00 EDT -> 01:00 EST)', () => {
    it('reads times before and after the repeated hour', () => {
      expect(parseTimestamp('2024-11-03 00:30:00', NY)).toBe(at('2024-11-03T04:30:00Z'));
      expect(parseTimestamp('2024-11-03 02:00:00', NY)).toBe(at('2024-11-03T07:00:00Z'));
      expect(parseTimestamp('2024-11-03 02:30:00', NY)).toBe(at('2024-11-03T07:30:00Z'));
    });

    it('reads a time the clock shows twice (01:30) as the first of the two (EDT)', () => {
      expect(parseTimestamp('2024-11-03 01:00:00', NY)).toBe(at('2024-11-03T05:00:00Z'));
      expect(parseTimestamp('2024-11-03 01:30:00', NY)).toBe(at('2024-11-03T05:30:00Z'));
      expect(parseTimestamp('2024-11-03 01:59:59', NY)).toBe(at('2024-11-03T05:59:59Z'));
    });

    it('picks the first of two in zones east of UTC too (Berlin, 2024-10-27 02:30 CEST)', () => {
      expect(parseTimestamp('2024-10-27 02:30:00', 'Europe/Berlin')).toBe(at('2024-10-27T00:30:00Z'));
      expect(parseTimestamp('2024-10-27 03:30:00', 'Europe/Berlin')).toBe(at('2024-10-27T02:30:00Z'));
    });
  });

  it('gives back every instant of a day with both changes from its own local text', () => {
    for (const day of ['2024-03-10', '2024-11-03']) {
      const start = at(`${day}T00:00:00Z`);
      for (let t = start; t < start + 2 * 86_400_000; t += 15 * 60_000) {
        const local = formatLocal(t, NY);
        const back = parseTimestamp(local, NY)!;
        expect(formatLocal(back, NY), `${new Date(t).toISOString()} -> ${local}`).toBe(local);
        // In the repeated hour the first occurrence is chosen, so never later than the original.
        expect(back).toBeLessThanOrEqual(t);
        expect(t - back).toBeLessThanOrEqual(3_600_000);
      }
    }
  });

  it("reads years below 100 as themselves, not as 19xx (Go's zero time is 0001-01-01T00:00:00Z)", () => {
    expect(parseTimestamp('0001-01-01T00:00:00Z', 'UTC')).toBe(-62135596800000);
    expect(new Date(parseTimestamp('0050-06-01 00:00:00', 'UTC')!).getUTCFullYear()).toBe(50);
  });
});

describe('parseTimestamp: epoch seconds and milliseconds', () => {
  it.each([
    [1728369035, '2024-10-08T06:30:35.000Z'],
    [1728369035858, '2024-10-08T06:30:35.858Z'],
    [1728369035.5, '2024-10-08T06:30:35.500Z'],
    ['1728369035', '2024-10-08T06:30:35.000Z'],
    ['1728369035858', '2024-10-08T06:30:35.858Z'],
    [' 1728369035 ', '2024-10-08T06:30:35.000Z'],
  ])('%j', (value, expected) => {
    expect(parseTimestamp(value, IST)).toBe(at(expected));
  });

  it('takes numbers below 10^11 as seconds and from 10^11 as milliseconds', () => {
    expect(parseTimestamp(99_999_999_999, 'UTC')).toBe(99_999_999_999_000);
    expect(parseTimestamp(100_000_000_000, 'UTC')).toBe(100_000_000_000);
  });
});

describe('parseTimestamp: what is not a time is null', () => {
  it.each([
    '2024-02-31',
    '2023-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-10-00',
    '2024-10-08 24:00:00',
    '2024-10-08 12:60:00',
    '2024-10-08 12:00:60',
    '2024-10-08T06:30:35+24:00',
    '2024-10-08T06:30:35+05:60',
    '2024',
    '2024-10',
    '',
    '   ',
    'yesterday',
    '08/10/2024',
    '2024-10-08T',
    '2024-10-08T06',
    '0',
    '12345678',
    'NaN',
  ])('%j', (text) => {
    expect(parseTimestamp(text, IST)).toBeNull();
  });

  it.each([0, -1, -1728369035, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, true, {}, []])('%j', (value) => {
    expect(parseTimestamp(value, IST)).toBeNull();
  });

  it('still accepts the leap day of a leap year', () => {
    expect(parseTimestamp('2024-02-29', 'UTC')).toBe(at('2024-02-29T00:00:00Z'));
  });
});

describe('formatLocal', () => {
  it('shows the wall clock of the zone as "YYYY-MM-DD HH:mm:ss"', () => {
    expect(formatLocal(at('2023-12-21T05:47:51Z'), IST)).toBe('2023-12-21 11:17:51');
    expect(formatLocal(at('2023-12-21T05:47:51Z'), 'UTC')).toBe('2023-12-21 05:47:51');
    expect(formatLocal(at('2024-01-01T03:00:00Z'), NY)).toBe('2023-12-31 22:00:00');
  });

  it('drops milliseconds instead of rounding them', () => {
    expect(formatLocal(at('2024-10-08T06:30:35.999Z'), 'UTC')).toBe('2024-10-08 06:30:35');
  });

  it('follows daylight-saving changes and shows midnight as 00, not 24', () => {
    expect(formatLocal(at('2024-03-10T06:59:59Z'), NY)).toBe('2024-03-10 01:59:59');
    expect(formatLocal(at('2024-03-10T07:00:00Z'), NY)).toBe('2024-03-10 03:00:00');
    expect(formatLocal(at('2024-11-03T05:30:00Z'), NY)).toBe('2024-11-03 01:30:00');
    expect(formatLocal(at('2024-11-03T06:30:00Z'), NY)).toBe('2024-11-03 01:30:00');
    expect(formatLocal(at('2024-10-07T18:30:00Z'), IST)).toBe('2024-10-08 00:00:00');
  });

  it('pads the year to four digits', () => {
    expect(formatLocal(at('0050-06-01T00:00:00Z'), 'UTC')).toBe('0050-06-01 00:00:00');
  });

  it('is what parseTimestamp reads back in the same zone', () => {
    const t = at('2024-10-08T06:30:35Z');
    for (const zone of [IST, NY, 'UTC', 'Europe/Kyiv', 'Australia/Adelaide']) {
      expect(parseTimestamp(formatLocal(t, zone), zone)).toBe(t);
    }
  });
});

describe('formatIsoUtc', () => {
  it('writes UTC with milliseconds and an explicit +00:00 offset', () => {
    expect(formatIsoUtc(at('2024-10-08T06:30:35.858Z'))).toBe('2024-10-08T06:30:35.858+00:00');
    expect(formatIsoUtc(0)).toBe('1970-01-01T00:00:00.000+00:00');
  });

  it('round-trips through parseTimestamp', () => {
    const t = at('2024-10-08T06:30:35.858Z');
    expect(parseTimestamp(formatIsoUtc(t), NY)).toBe(t);
  });
});

describe('isValidTimeZone', () => {
  it.each(['Asia/Kolkata', 'America/New_York', 'Europe/Kyiv', 'UTC', 'Etc/GMT+5'])('accepts %s', (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Base', '', 'Asia/Atlantis', 'GMT+5:30 please', 'Local'])('refuses %j', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});

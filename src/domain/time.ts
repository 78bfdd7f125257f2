/**
 * Timestamps as stores send them: ISO 8601 with an offset (exact), ISO or "YYYY-MM-DD HH:mm:ss"
 * without one (a wall-clock time in the store's time zone, as seed 003 and 004 send dates), or
 * epoch seconds / milliseconds as a number or digits.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Date.UTC without its reading of years 0-99 as 1900-1999. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

// Zone offsets change only at transitions, which fall on whole minutes of UTC (for every zone
// since 1900), so an offset holds for its whole minute: look it up once per zone and minute.
const BUCKET_MS = 60_000;
const offsets = new Map<string, number>();

/** Offset of the zone from UTC at an instant, in milliseconds (IST: +19800000). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(epochMs / BUCKET_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = computeOffset(epochMs, timeZone);
    if (offsets.size >= 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function computeOffset(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const asUtc = utcMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the wall clock in `timeZone` shows the given local time. Next to a
 * daylight-saving change it reads like Date and Temporal ("compatible"): a time shown twice
 * (clocks set back) is the first of the two; a time skipped (clocks set forward) is read with
 * the offset in force before the change, so 02:30 on a spring-forward night is 03:30 and never
 * lands before 01:59.
 */
export function localTimeToEpoch(wallAsUtcMs: number, timeZone: string): number {
  const before = zoneOffsetMs(wallAsUtcMs - DAY_MS, timeZone);
  const after = zoneOffsetMs(wallAsUtcMs + DAY_MS, timeZone);
  const withBefore = wallAsUtcMs - before;
  if (before === after || zoneOffsetMs(withBefore, timeZone) === before) return withBefore;
  const withAfter = wallAsUtcMs - after;
  if (zoneOffsetMs(withAfter, timeZone) === after) return withAfter;
  return withBefore; // in the gap
}

// Month and day may have one digit ("2015-2-02T00:30:08.276Z", Segment's own documentation
// sample, which Segment accepts).
const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a timestamp to epoch milliseconds; null when it is not a time. Fractions finer than a
 * millisecond are truncated (the original text is kept wherever it is echoed back).
 */
export function parseTimestamp(value: unknown, timeZone: string): number | null {
  if (typeof value === 'number') return epochFromNumber(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(text)) return epochFromNumber(Number(text));
  const match = ISO_LIKE.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const wall = utcMs(Number(y), month, day, hour, minute, second, ms);
  if (new Date(wall).getUTCDate() !== day) return null; // 2024-02-31 and the like
  if (!zone) return localTimeToEpoch(wall, timeZone);
  if (zone.toUpperCase() === 'Z') return wall;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMins = Number(digits.slice(2, 4) || '0');
  if (offsetHours > 23 || offsetMins > 59) return null;
  return wall - sign * (offsetHours * 60 + offsetMins) * 60_000;
}

/** The latest time a Date can hold: 8.64e15 ms (the year 275760). */
export const MAX_EPOCH_MS = 8.64e15;

/** Whether epoch milliseconds are a time a Date can hold (1e308, 1e29 are not: RangeError). */
export const isEpochMs = (ms: number): boolean => Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS;

function epochFromNumber(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  // Below 10^11 it is seconds (until the year 5138); above, milliseconds.
  const ms = value < 1e11 ? Math.round(value * 1000) : Math.round(value);
  return isEpochMs(ms) ? ms : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2023-12-21 11:17:51" in the store's zone: the format seed 004 uses in its order timeline. */
export function formatLocal(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** ISO 8601 in UTC with an explicit +00:00 offset, the shape seed 001 uses. */
export function formatIsoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+00:00');
}

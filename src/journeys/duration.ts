import { localTimeToEpoch, zoneOffsetMs } from '../domain/time.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h", "3d", "1d12h" → ms; null when it is not one. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = /^(?:\d+[smhd])+$/.test(text.trim()) ? text.trim().match(/\d+[smhd]/g) : null;
  if (!match) return null;
  let total = 0;
  for (const part of match) total += Number(part.slice(0, -1)) * UNITS[part.at(-1)!]!;
  return total;
}

/** "HH:MM" → minutes after midnight, or null. */
export function parseTimeOfDay(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Minutes after local midnight of `at` in `timeZone`. */
export function localMinuteOfDay(at: number, timeZone: string): number {
  const local = at + zoneOffsetMs(at, timeZone);
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** The first instant at or after `from` when the local clock in `timeZone` shows `minuteOfDay`. */
export function nextLocalTime(from: number, minuteOfDay: number, timeZone: string): number {
  const local = from + zoneOffsetMs(from, timeZone);
  const midnight = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  for (let day = 0; day < 3; day++) {
    const candidate = localTimeToEpoch(midnight + day * 86_400_000 + minuteOfDay * 60_000, timeZone);
    if (candidate >= from) return candidate;
  }
  return from;
}

/** Is `at` inside the quiet hours start–end (local, may wrap midnight)? */
export function inQuietHours(at: number, start: number, end: number, timeZone: string): boolean {
  const minute = localMinuteOfDay(at, timeZone);
  return start <= end ? minute >= start && minute < end : minute >= start || minute < end;
}

import { localTimeToEpoch, zoneOffsetMs } from './time.js';

export const OVERVIEW_PERIODS = ['today', '7d', '30d'] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface Bucket {
  /** "2026-11-21" (a day) or "2026-11-21T14:00" (an hour), in the store's time zone. */
  label: string;
  start: number;
  end: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateLabel = (wall: number) => {
  const d = new Date(wall);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/**
 * The buckets of a period in the store's time zone, oldest first: today by the hour, 7 or 30
 * days by the day (today included, until its end). Every bucket starts on a quarter hour of UTC
 * (the rollups' grain), whatever the zone: local midnights and hours fall on one.
 */
export function periodBuckets(period: OverviewPeriod, now: number, timeZone: string): Bucket[] {
  const local = now + zoneOffsetMs(now, timeZone);
  const midnight = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  const buckets: Bucket[] = [];
  if (period === 'today') {
    for (let h = 0; h < 24; h++) {
      const wall = midnight + h * HOUR_MS;
      buckets.push({
        label: `${dateLabel(wall)}T${pad(h)}:00`,
        start: localTimeToEpoch(wall, timeZone),
        end: localTimeToEpoch(wall + HOUR_MS, timeZone),
      });
    }
    // A daylight-saving night has 23 or 25 hours: drop hours that collapse into another.
    return buckets.filter((b) => b.end > b.start);
  }
  const days = period === '7d' ? 7 : 30;
  for (let d = days - 1; d >= 0; d--) {
    const wall = midnight - d * DAY_MS;
    buckets.push({
      label: dateLabel(wall),
      start: localTimeToEpoch(wall, timeZone),
      end: localTimeToEpoch(wall + DAY_MS, timeZone),
    });
  }
  return buckets;
}

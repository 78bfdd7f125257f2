import { describe, expect, it } from 'vitest';
import { addToLog, currentNdr, latestEntry, type StatusLogEntry } from './shipment-rules.js';
import type { NdrDetails, ShipmentStatus } from './store-event.js';

const T0 = Date.parse('2023-12-21T05:00:00Z');
const minutes = (n: number) => T0 + n * 60_000;

const entry = (status: ShipmentStatus, at: number, extra: Partial<StatusLogEntry> = {}): StatusLogEntry => ({
  status,
  occurredAt: at,
  remark: `${status} remark`,
  location: 'Delhi Hub',
  ndr: null,
  ...extra,
});

const build = (...entries: StatusLogEntry[]) => entries.reduce<StatusLogEntry[]>((log, e) => addToLog(log, e).log, []);
const statuses = (log: StatusLogEntry[]) => log.map((e) => e.status);

describe('addToLog', () => {
  it('adds updates in time order', () => {
    const log = build(entry('created', minutes(0)), entry('shipped', minutes(10)), entry('in_transit', minutes(20)));
    expect(statuses(log)).toEqual(['created', 'shipped', 'in_transit']);
  });

  it('files a late update where it belongs', () => {
    const log = build(entry('created', minutes(0)), entry('in_transit', minutes(20)), entry('shipped', minutes(10)));
    expect(statuses(log)).toEqual(['created', 'shipped', 'in_transit']);
    expect(log.map((e) => e.occurredAt)).toEqual([minutes(0), minutes(10), minutes(20)]);
  });

  it('ignores a resent update with the same status and time', () => {
    const first = build(entry('created', minutes(0)), entry('shipped', minutes(10)));
    const { log, added } = addToLog(first, entry('shipped', minutes(10), { remark: 'resent with another remark' }));
    expect(added).toBe(false);
    expect(log).toEqual(first);
    expect(log[1]!.remark).toBe('shipped remark');
  });

  it('keeps the same status at another time, and another status at the same time', () => {
    let log = build(entry('failed_delivery', minutes(10)));
    let result = addToLog(log, entry('failed_delivery', minutes(60)));
    expect(result.added).toBe(true);
    log = result.log;
    result = addToLog(log, entry('out_for_delivery', minutes(60)));
    expect(result.added).toBe(true);
    expect(statuses(result.log)).toEqual(['failed_delivery', 'failed_delivery', 'out_for_delivery']);
  });

  it('does not change the log it was given', () => {
    const log = build(entry('created', minutes(0)), entry('in_transit', minutes(20)));
    const copy = structuredClone(log);
    const { log: next } = addToLog(log, entry('shipped', minutes(10)));
    expect(log).toEqual(copy);
    expect(next).toHaveLength(3);
  });

  it('gives the same log whatever order the updates arrive in', () => {
    const updates = [
      entry('created', minutes(0)),
      entry('packed', minutes(5)),
      entry('shipped', minutes(10)),
      entry('delivered', minutes(90)),
    ];
    const expected = build(...updates);
    for (const order of [
      [3, 2, 1, 0],
      [1, 3, 0, 2],
      [2, 0, 3, 1, 2, 0],
    ]) {
      expect(build(...order.map((i) => updates[i]!))).toEqual(expected);
    }
  });
});

describe('latestEntry', () => {
  it('is null for an empty log', () => {
    expect(latestEntry([])).toBeNull();
  });

  it('is the update with the newest time, not the last to arrive', () => {
    const log = build(entry('out_for_delivery', minutes(60)), entry('in_transit', minutes(20)));
    expect(latestEntry(log)?.status).toBe('out_for_delivery');
    expect(latestEntry(addToLog(log, entry('delivered', minutes(90))).log)?.status).toBe('delivered');
  });
});

describe('currentNdr', () => {
  const ndr = (code: string): NdrDetails => ({
    ndrCode: code,
    reason: `reason ${code}`,
    resolutions: [{ resolutionCode: 'REATTEMPT', action: 'Re-attempt delivery' }],
  });

  it('is null when no delivery failed', () => {
    expect(currentNdr([])).toBeNull();
    expect(currentNdr(build(entry('created', minutes(0)), entry('delivered', minutes(90))))).toBeNull();
  });

  it('is the NDR of the latest failed delivery by time', () => {
    const log = build(
      entry('failed_delivery', minutes(120), { ndr: ndr('NDR2') }),
      entry('out_for_delivery', minutes(60)),
      entry('failed_delivery', minutes(70), { ndr: ndr('NDR1') }),
    );
    expect(currentNdr(log)).toEqual(ndr('NDR2'));
  });

  it('is null when the latest failed delivery came without details', () => {
    const log = build(
      entry('failed_delivery', minutes(10), { ndr: ndr('NDR1') }),
      entry('failed_delivery', minutes(70)),
    );
    expect(currentNdr(log)).toBeNull();
  });
});

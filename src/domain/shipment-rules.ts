import type { NdrDetails, ShipmentStatus } from './store-event.js';

export interface StatusLogEntry {
  status: ShipmentStatus;
  occurredAt: number;
  remark: string;
  location: string;
  ndr: NdrDetails | null;
}

/**
 * A shipment's status log in time order. Carriers and aggregators resend and reorder updates,
 * so the log is keyed by (status, time): a repeat changes nothing and a late update is filed
 * where it belongs. The latest status is the one with the newest time.
 */
export function addToLog(log: StatusLogEntry[], entry: StatusLogEntry): { log: StatusLogEntry[]; added: boolean } {
  if (log.some((e) => e.status === entry.status && e.occurredAt === entry.occurredAt)) {
    return { log, added: false };
  }
  const next = [...log, entry].sort((a, b) => a.occurredAt - b.occurredAt);
  return { log: next, added: true };
}

export function latestEntry(log: StatusLogEntry[]): StatusLogEntry | null {
  return log.length === 0 ? null : log[log.length - 1]!;
}

/** The NDR details a shopper should be offered now: those of the latest failed delivery. */
export function currentNdr(log: StatusLogEntry[]): NdrDetails | null {
  for (let i = log.length - 1; i >= 0; i--) {
    if (log[i]!.status === 'failed_delivery') return log[i]!.ndr;
  }
  return null;
}

import type { Rejection, Warning } from '../domain/store-event.js';

/** What became of one event. Rejected and ignored events are not stored. */
export type EventOutcome =
  | { status: 'accepted'; eventId: string; contactId: string | null; orderId?: string; warnings: Warning[] }
  | { status: 'duplicate'; eventId: string }
  | { status: 'ignored'; eventId: string; reason: { code: string; message: string } }
  | { status: 'rejected'; eventId: string; error: Rejection };

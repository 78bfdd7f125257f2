import type { Clock } from '../clock.js';
import type { Storage } from '../storage/database.js';
import { applySubmissions, type Submission } from './apply.js';
import { AppError } from '../errors.js';
import { isUnavailable } from '../storage/database-errors.js';
import type { EventOutcome } from './outcome.js';
import { Batcher, type BatcherReport } from '../work/batcher.js';

/**
 * The queue of events waiting for the database is full: the server sheds load. Answered 503 on
 * most routes; Segment's routes answer 429 with Retry-After, which Segment clients honour.
 */
export class OverloadedError extends AppError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'too many events are waiting for the database; retry shortly');
  }
}

export const DEFAULT_GROUP_COMMIT_OPTIONS: GroupCommitOptions = { maxEventsPerCommit: 5_000, maxQueuedEvents: 100_000 };

export interface GroupCommitOptions {
  /** Upper bound of events in one transaction, so one flush never holds the writer for long. */
  maxEventsPerCommit: number;
  /** Events that may wait for a commit; beyond, requests are refused (503, retry later). */
  maxQueuedEvents: number;
}

/**
 * Group commit of events (work/batcher.ts): requests that arrive while a transaction is being
 * written wait for the next one, and all of them commit together. Every request is answered
 * only after the commit that holds its events, so a 2xx always means durable. If a shared
 * commit fails, the batch is split in halves and retried, so one bad request cannot fail the
 * others; a lone request that fails is split by its events, so one event the database refuses
 * is rejected alone (INTERNAL_ERROR, logged) and the others are stored. The database itself
 * out of reach or busy is no submission's fault: every one is answered at once (503, retry later).
 */
export class GroupCommitter {
  private readonly batcher: Batcher<Submission, EventOutcome[]>;

  constructor(
    storage: Storage,
    clock: Clock,
    options: GroupCommitOptions = DEFAULT_GROUP_COMMIT_OPTIONS,
    onEventFailure: (eventId: string, error: unknown) => void = () => {},
    onRunsDue: () => void = () => {},
  ) {
    this.batcher = new Batcher({
      name: 'events',
      commit: (submissions) => applySubmissions(storage, submissions, clock.now(), onRunsDue),
      failure: 'split',
      isUnavailable,
      weight: (submission) => submission.events.length,
      maxBatchWeight: options.maxEventsPerCommit,
      maxQueuedWeight: options.maxQueuedEvents,
      overloaded: () => new OverloadedError(),
      onLoneFailure: async ({ store, events }, error, again) => {
        if (events.length === 1) {
          onEventFailure(events[0]!.eventId, error);
          return [
            {
              status: 'rejected',
              eventId: events[0]!.eventId,
              error: { code: 'INTERNAL_ERROR', message: 'the event could not be stored; nothing of it was kept' },
            },
          ];
        }
        const half = Math.ceil(events.length / 2);
        const [first, second] = await Promise.all([
          again({ store, events: events.slice(0, half) }),
          again({ store, events: events.slice(half) }),
        ]);
        return [...first!, ...second!];
      },
    });
  }

  /** Transactions written, events and submissions in them (for /metrics). */
  get stats(): { commits: number; events: number; submissions: number } {
    const { commits, weight, items } = this.batcher.stats;
    return { commits, events: weight, submissions: items };
  }

  /** Its batcher's figures (for /metrics). */
  batcherReport(): BatcherReport {
    return this.batcher.report();
  }

  submit(submission: Submission): Promise<EventOutcome[]> {
    return this.batcher.submit(submission);
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }
}

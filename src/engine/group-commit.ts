import type { Clock } from '../clock.js';
import type { Storage } from '../storage/database.js';
import { applySubmissions, type Submission } from './apply.js';
import { AppError } from '../errors.js';
import { isUnavailable } from '../storage/database-errors.js';
import type { EventOutcome } from './outcome.js';

/**
 * The queue of events waiting for the database is full: the server sheds load. Answered 503 on
 * most routes; Segment's routes answer 429 with Retry-After, which Segment clients honour.
 */
export class OverloadedError extends AppError {
  constructor() {
    super('SERVICE_UNAVAILABLE', 'too many events are waiting for the database; retry shortly');
  }
}

interface Pending {
  submission: Submission;
  resolve(outcomes: EventOutcome[]): void;
  reject(error: unknown): void;
}

export const DEFAULT_GROUP_COMMIT_OPTIONS: GroupCommitOptions = { maxEventsPerCommit: 5_000, maxQueuedEvents: 100_000 };

export interface GroupCommitOptions {
  /** Upper bound of events in one transaction, so one flush never holds the writer for long. */
  maxEventsPerCommit: number;
  /** Events that may wait for a commit; beyond, requests are refused (503, retry later). */
  maxQueuedEvents: number;
}

/**
 * Group commit: requests that arrive while a transaction is being written wait for the next
 * one, and all of them commit together. Every request is answered only after the commit that
 * holds its events, so a 2xx always means durable. If a shared commit fails, the batch is split
 * in halves and retried, so one bad request cannot fail the others.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  readonly stats = { commits: 0, events: 0, submissions: 0 };

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT_OPTIONS,
    private readonly onEventFailure: (eventId: string, error: unknown) => void = () => {},
  ) {}

  private queuedEvents = 0;

  submit(submission: Submission): Promise<EventOutcome[]> {
    if (this.queuedEvents + submission.events.length > this.options.maxQueuedEvents) {
      return Promise.reject(new OverloadedError());
    }
    this.queuedEvents += submission.events.length;
    const counted = submission.events.length;
    return new Promise<EventOutcome[]>((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      this.schedule();
    }).finally(() => {
      this.queuedEvents -= counted;
    });
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    if (!this.flushing && !this.scheduled && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase, so every request read in this turn joins.
    setImmediate(() => void this.flush());
  }

  private take(): Pending[] {
    const taken: Pending[] = [];
    let events = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (taken.length > 0 && events + next.submission.events.length > this.options.maxEventsPerCommit) break;
      taken.push(this.queue.shift()!);
      events += next.submission.events.length;
    }
    return taken;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        await this.commit(batch);
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const results = await applySubmissions(
        this.storage,
        batch.map((p) => p.submission),
        this.clock.now(),
      );
      this.stats.commits += 1;
      this.stats.submissions += batch.length;
      batch.forEach((pending, i) => {
        this.stats.events += pending.submission.events.length;
        pending.resolve(results[i]!);
      });
    } catch (error) {
      // The database itself is out of reach or busy: no submission is to blame, so none is
      // retried; every one is answered at once (503, retry later).
      if (isUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      if (batch.length === 1) return this.commitAlone(batch[0]!, error);
      // Split and retry, so a bad submission fails alone after about log2(n) more commits
      // while every good one is still written.
      const half = Math.ceil(batch.length / 2);
      await this.commit(batch.slice(0, half));
      await this.commit(batch.slice(half));
    }
  }

  /**
   * A lone submission failed: its events are retried in halves, so one event that the
   * database refuses is rejected alone (INTERNAL_ERROR, logged) and the others are stored.
   */
  private async commitAlone(pending: Pending, error: unknown): Promise<void> {
    const { store, events } = pending.submission;
    if (events.length === 1) {
      this.onEventFailure(events[0]!.eventId, error);
      pending.resolve([
        {
          status: 'rejected',
          eventId: events[0]!.eventId,
          error: { code: 'INTERNAL_ERROR', message: 'the event could not be stored; nothing of it was kept' },
        },
      ]);
      return;
    }
    const half = Math.ceil(events.length / 2);
    const parts = [events.slice(0, half), events.slice(half)].map(
      (part) =>
        new Promise<EventOutcome[]>((resolve, reject) =>
          this.commit([{ submission: { store, events: part }, resolve, reject }]),
        ),
    );
    try {
      const [first, second] = await Promise.all(parts);
      pending.resolve([...first!, ...second!]);
    } catch (partError) {
      pending.reject(partError);
    }
  }
}

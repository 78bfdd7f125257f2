import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Store } from '../domain/store.js';
import type { StoreEvent } from '../domain/store-event.js';
import type { Storage } from '../storage/database.js';
import type { BatcherReport } from '../work/batcher.js';
import { DEFAULT_GROUP_COMMIT_OPTIONS, GroupCommitter, type GroupCommitOptions } from './group-commit.js';
import type { EventOutcome } from './outcome.js';

/**
 * The one road every event takes. apply() returns once the events are committed; concurrent
 * callers share commits (see GroupCommitter).
 */
export class Engine {
  private readonly committer: GroupCommitter;

  constructor(
    readonly storage: Storage,
    readonly clock: Clock,
    logger?: Pick<Logger, 'error'>,
    limits: Partial<GroupCommitOptions> = {},
    /** A commit made runs due now (the composition root wakes the journey worker). */
    onRunsDue: () => void = () => {},
  ) {
    this.committer = new GroupCommitter(
      storage,
      clock,
      { ...DEFAULT_GROUP_COMMIT_OPTIONS, ...limits },
      (eventId, error) => logger?.error({ err: error, eventId }, 'an event could not be stored; it was rejected alone'),
      onRunsDue,
    );
  }

  apply(store: Store, events: StoreEvent[]): Promise<EventOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.committer.submit({ store, events });
  }

  get commitStats() {
    return this.committer.stats;
  }

  /** The group commit's batcher figures (for /metrics). */
  commitReport(): BatcherReport {
    return this.committer.batcherReport();
  }

  /** Waits for every event handed in so far to be committed. */
  drain(): Promise<void> {
    return this.committer.drain();
  }
}

import type { Clock } from '../clock.js';
import { newId } from '../domain/ids.js';
import type { Storage } from '../storage/database.js';
import { beat, countAliveDispatchers, leaveWorkers, type Liveness } from '../storage/workers.js';

/** How often a worker's heartbeat is written (at most). */
const BEAT_EVERY_MS = 1_000;

/** Rows of workers silent this long are deleted when another one stops. */
const FORGET_AFTER_MS = 3_600_000;

/**
 * One worker process as the others see it (docs/messages.md, "Several workers"): an id and a
 * heartbeat row in `workers`, beaten at most once a second before the process claims anything.
 * What it claims (messages, journey runs, store webhook deliveries) names it, so when its beat is
 * older than `timeoutMs` another worker takes that work over at once instead of waiting for the
 * claim's lease: a SIGKILLed worker's work resumes within seconds. A claim by an owner with no
 * row at all (storewire demo, work claimed before migration 0022) waits for its lease as before.
 */
export class WorkerPresence {
  private beatAt = Number.NEGATIVE_INFINITY;
  private dispatchedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    readonly timeoutMs = 3_000,
    readonly id: string = newId('worker'),
  ) {}

  /**
   * Beats unless it did within a second (or the clock went back): call before each claim.
   * `dispatching`: the beat is its dispatcher's, which paces numbers and so is counted among the
   * workers that share them (a process whose dispatcher does not run is not).
   */
  async alive(now = this.clock.now(), dispatching = false): Promise<void> {
    const last = dispatching ? this.dispatchedAt : this.beatAt;
    if (now - last < BEAT_EVERY_MS && now >= last) return;
    await beat(this.storage.db, this.id, now, dispatching);
    this.beatAt = now;
    if (dispatching) this.dispatchedAt = now;
  }

  /** What a claim needs to take over a dead worker's work: its own id, and who counts as dead. */
  liveness(now: number): Liveness {
    return { self: this.id, deadBefore: now - this.timeoutMs };
  }

  /** How many workers' dispatchers beat within the timeout (this one's included once it has). */
  countDispatching(now: number): Promise<number> {
    return countAliveDispatchers(this.storage.db, now - this.timeoutMs);
  }

  /** The process stops: it is no longer counted (and long-dead rows are cleared). */
  async leave(): Promise<void> {
    await leaveWorkers(this.storage.db, this.id, this.clock.now() - FORGET_AFTER_MS).catch(() => {});
  }
}

export type { Liveness };

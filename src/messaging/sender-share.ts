import type { Clock } from '../clock.js';
import type { Storage } from '../storage/database.js';
import { countFreeSendersWithWork, type SenderOwner } from '../storage/message-claims.js';
import {
  countSendersByOwner,
  releaseSenderLeases,
  releaseSomeSenderLeases,
  takeSenderLeases,
} from '../storage/sender-leases.js';
import type { Liveness, WorkerPresence } from '../work/presence.js';

/** A sender whose lease ends sooner than this is not sent for: the lease may lapse before the call is made. */
const LEASE_MARGIN_MS = 500;

export interface SenderShareOptions {
  /** A sender not sent for within this long is let go (a message lease). */
  idleMs: number;
  /** How long a sender's lease lasts: a dead worker's numbers are free after it. */
  senderLeaseMs: number;
}

/**
 * Which senders (WhatsApp numbers, Messenger pages) one dispatcher paces, among the workers that
 * share a database (docs/messages.md, "Several workers"). Each worker beats a heartbeat row, so
 * all of them can count the workers alive. The senders with work are those any worker holds and
 * those a claim finds free; a claim takes free ones up to the worker's share (that number divided
 * by the workers alive, rounded up), and once a second a worker gives up what it holds beyond
 * its share — beyond the share rounded down while another worker has less than that (one that
 * just joined) — for the others to take. Leases are short and renewed every second, so a dead
 * worker's senders are free within seconds; a sender whose lease this worker may no longer hold
 * is not sent for.
 */
export class SenderShare {
  /** Senders held (lease end, business time) and when this worker last sent for each. */
  private readonly held = new Map<string, { until: number; usedAt: number }>();
  /** Workers alive and senders the others hold, as last counted (a lone worker until it has counted). */
  private workers = 1;
  private heldByOthers = 0;
  /**
   * The most it may hold, as last counted: the share rounded down while another worker is short
   * (so a number it just gave up is left for that one, not taken back by its own next claim).
   */
  private cap = Number.POSITIVE_INFINITY;
  /**
   * Senders given up while a call for them was still in flight: not sent for any more, their
   * leases still renewed until the last call is answered, so no other worker starts on the
   * number while this one's call may still reach Meta.
   */
  private readonly leaving = new Set<string>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    /** The worker process (its id in workers, sender_leases and messages.claimed_by). */
    private readonly presence: WorkerPresence,
    private readonly options: SenderShareOptions,
  ) {}

  get workerId(): string {
    return this.presence.id;
  }

  /** A worker claims only while it is seen alive, or another would take its sends for a dead worker's. */
  alive(now: number): Promise<void> {
    return this.presence.alive(now, true);
  }

  /** What a claim may take: the senders held, and as many new ones as the share leaves room for. */
  claimOwner(now: number): SenderOwner {
    const held = this.held.size;
    return {
      id: this.workerId,
      until: now + this.options.senderLeaseMs,
      held: new Set(this.held.keys()),
      room: (free) =>
        Math.max(0, Math.min(this.cap, Math.ceil((this.heldByOthers + held + free) / this.workers)) - held),
    };
  }

  /** A claim took `senders` until `until`; returns those new to this worker. */
  claimed(senders: Iterable<string>, until: number, now: number): string[] {
    const taken: string[] = [];
    for (const sender of senders) {
      if (!this.held.has(sender)) taken.push(sender);
      this.held.set(sender, { until, usedAt: now });
    }
    return taken;
  }

  /** Whether a message of `sender` may be written claimed by this worker now (its lease has time left). */
  mayWriteClaimed(sender: string, now: number): boolean {
    const held = this.held.get(sender);
    if (!held || held.until < now + LEASE_MARGIN_MS) return false;
    held.usedAt = now;
    return true;
  }

  /** Whether this worker still paces `sender`: it holds its lease, with time to make a call. */
  paces(sender: string): boolean {
    const held = this.held.get(sender);
    return held !== undefined && held.until - LEASE_MARGIN_MS > this.clock.now();
  }

  /** Whose sends are taken for interrupted: those of workers taken for dead. */
  liveness(now: number): Liveness {
    return this.presence.liveness(now);
  }

  /**
   * Once a second: beats the heartbeat; counts the workers alive and the senders with work to
   * know its share; gives up the senders beyond it (those with the least booked, `backlogMs`, so
   * the fewest sends go back to the queue); renews the others it sent for lately and lets the
   * rest lapse. A lease another worker took meanwhile (this one stalled past it) is forgotten.
   */
  async keepUp(backlogMs: (sender: string) => number, calling: (sender: string) => boolean): Promise<void> {
    const now = this.clock.now();
    const { db } = this.storage;
    await this.presence.alive(now, true);
    let active: string[] = [];
    for (const [sender, held] of this.held) {
      if (held.usedAt >= now - this.options.idleMs) active.push(sender);
      else this.held.delete(sender);
    }
    const [workers, byOwner, free] = await Promise.all([
      this.presence.countDispatching(now),
      countSendersByOwner(db, now, this.workerId),
      countFreeSendersWithWork(db, now),
    ]);
    this.workers = Math.max(1, workers);
    const others = [...byOwner.values()];
    this.heldByOthers = others.reduce((sum, n) => sum + n, 0);
    const senders = this.heldByOthers + active.length + free;
    const fewest = Math.floor(senders / this.workers);
    // A worker alive with fewer than the share rounded down (none at all, when it holds nothing).
    const starving = others.length < this.workers - 1 || others.some((n) => n < fewest);
    const share = Math.max(1, starving ? fewest : Math.ceil(senders / this.workers));
    this.cap = starving ? share : Number.POSITIVE_INFINITY;
    if (active.length > share) {
      active.sort((a, b) => backlogMs(a) - backlogMs(b));
      const leaving = active.slice(0, active.length - share);
      active = active.slice(leaving.length);
      for (const sender of leaving) {
        this.held.delete(sender);
        this.leaving.add(sender);
      }
    }
    const released = [...this.leaving].filter((sender) => !calling(sender));
    for (const sender of released) this.leaving.delete(sender);
    await releaseSomeSenderLeases(db, this.workerId, released);
    active.push(...this.leaving);
    if (active.length === 0) return;
    const until = now + this.options.senderLeaseMs;
    const kept = await this.storage.transaction((trx) =>
      takeSenderLeases(trx, this.workerId, active.sort(), until, now),
    );
    for (const sender of active) {
      const held = this.held.get(sender);
      if (!kept.has(sender)) this.held.delete(sender);
      else if (held) held.until = until;
    }
  }

  /** The dispatcher stops (its calls answered): its senders may be paced by another at once. */
  async leave(): Promise<void> {
    this.held.clear();
    this.leaving.clear();
    await releaseSenderLeases(this.storage.db, this.workerId).catch(() => {});
  }
}

import type { Clock } from '../clock.js';
import { DoNotRetryError, RetryAfterError, SenderError, type ChannelAccount } from '../channels/channel.js';
import { mayHaveReachedProvider } from '../channels/graph-http.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import { claimDueMessages } from '../storage/message-claims.js';
import type { WorkScope } from '../storage/work-scope.js';
import { recoverInterrupted } from './interrupted.js';
import { SenderPacer, RecipientSpacing } from './pacer.js';
import { SenderShare } from './sender-share.js';
import { SendResultRecorder, type SendOutcome } from './send-results.js';
import { checkRulesForBatch, type BatchRules } from './batch-rules.js';
import { MARKETING_STOPPED_CODE } from '../channels/graph-errors.js';
import { BackgroundLoop, type LoopReport, type TurnResult } from '../work/background-loop.js';
import type { BatcherReport } from '../work/batcher.js';
import { WorkerPresence } from '../work/presence.js';

export interface DispatcherOptions {
  /** Messages claimed per round. */
  batchSize: number;
  /** How long a claimed message is ours; an unfinished one is recovered after it (or when its worker dies). */
  leaseMs: number;
  /**
   * How long a sender's lease lasts; it is renewed every second while the sender has work. A
   * worker that dies lets its numbers go after this, for another worker to pace.
   */
  senderLeaseMs: number;
  /**
   * The worker process this dispatcher is part of (app.ts shares one among a process's workers);
   * one of its own, which it leaves when it stops, when absent.
   */
  presence?: WorkerPresence;
  /** Messages scheduled at once (sent or waiting for their pacing slot). */
  maxInFlight: number;
  /**
   * A sender booked further ahead than this is left out of the next claims: its messages stay
   * in the queue, untouched, until its schedule runs shorter. (Claiming them only to give them
   * back cost a write per message and a claim round per batch: at 80/s the dispatcher released
   * a hundred messages for every one it sent.)
   */
  scheduleAheadMs: number;
  /** Minimum time between two messages to one shopper, per channel (Meta's pair limit). */
  recipientGapMs: Partial<Record<ChannelName, number>>;
  /** Messages per second of a WhatsApp number whose account does not say (Meta's default). */
  defaultThroughput: number;
  /** How long the loop sleeps when nothing is due and nobody wakes it. */
  idlePollMs: number;
  /** Only this shopper's messages (storewire demo); every due message when absent. */
  scope?: WorkScope;
  /** Meta refused a marketing message because the shopper stopped marketing (131050), after it is recorded. */
  onMarketingStopped?: (message: MessageRecord) => void;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 500,
  leaseMs: 30_000,
  senderLeaseMs: 3_000,
  maxInFlight: 2_000,
  scheduleAheadMs: 5_000,
  recipientGapMs: { whatsapp: 6_000 },
  defaultThroughput: 80,
  idlePollMs: 250,
};

/**
 * How often the running loop beats its heartbeat, renews its sender leases, takes or gives its
 * share of the numbers, and looks for sends interrupted by a stopped dispatcher.
 */
const RECOVER_EVERY_MS = 1_000;

/** Pacing waits in real time (see pacer.ts), not on the injected clock. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff before retry n (1-based): 1 s doubling to an hour, ±20%, never less than the provider asked. */
export function retryDelay(attempt: number, atLeastMs: number): number {
  const base = Math.min(1_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.max(atLeastMs, Math.round(base * (0.8 + Math.random() * 0.4)));
}

/**
 * Sends what the outbox holds: claims due messages, checks the send rules once more, paces
 * each sender to its throughput and each shopper to the pair limit, sends, and records the
 * outcome (see SendResultRecorder). Retry behaviour comes from the channel's error types.
 */
export class Dispatcher {
  readonly options: DispatcherOptions;
  private readonly recorder: SendResultRecorder;
  private readonly pacer = new SenderPacer();
  private readonly spacing = new Map<ChannelName, RecipientSpacing>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: BackgroundLoop;
  /** When (monotonic) the loop last looked for interrupted sends and renewed its sender leases. */
  private recoveredAt = -Infinity;
  /**
   * The last claim found nothing but messages of senders booked ahead: the loop then looks again
   * at its idle pace, not at every wake (a journey burst queuing for a booked number woke it
   * every few ms, and each look passed over the whole backlog).
   */
  private waitingForBooked = false;
  /**
   * The senders this dispatcher paces among the workers sharing the database; none for a scoped
   * dispatcher (storewire demo), which sends for one shopper beside a running server and takes
   * no sender leases, or it would wait for the server's.
   */
  private readonly senders: SenderShare | null;
  /** Its own worker presence when app.ts gave it none (tests, a lone dispatcher). */
  private readonly ownPresence: WorkerPresence | null;
  /** Provider calls not yet answered, by sender. */
  private readonly calling = new Map<string, number>();
  /** Attempts found interrupted, whose outcome stays unknown (for /metrics). */
  private unknown = 0;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
    options: Partial<DispatcherOptions> = {},
    onWebhooksQueued: () => void = () => {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.recorder = new SendResultRecorder(storage, clock, onWebhooksQueued);
    this.ownPresence = this.options.scope || this.options.presence ? null : new WorkerPresence(storage, clock);
    const presence = this.options.presence ?? this.ownPresence;
    this.senders = presence
      ? new SenderShare(storage, clock, presence, {
          idleMs: this.options.leaseMs,
          senderLeaseMs: this.options.senderLeaseMs,
        })
      : null;
    this.loop = new BackgroundLoop(() => this.turn(), {
      name: 'dispatcher',
      clock,
      idlePollMs: this.options.idlePollMs,
    });
  }

  /**
   * One round: recover interrupted sends (unless `recover` is false), claim due messages of the
   * senders not booked beyond scheduleAheadMs, schedule them. Returns how many were claimed.
   */
  async runOnce({ recover = true }: { recover?: boolean } = {}): Promise<number> {
    const now = this.clock.now();
    this.waitingForBooked = false;
    if (recover)
      this.unknown += await recoverInterrupted(this.storage, now, this.options.scope, this.senders?.liveness(now));
    // Claims wait for room for half a batch: with a claim for every few sends that finished
    // (a transaction and an fsync each), claiming cost more than sending at 1,000/s.
    const room = this.options.maxInFlight - this.inFlight.size;
    if (room < Math.max(1, Math.floor(Math.min(this.options.batchSize, this.options.maxInFlight) / 2))) return 0;
    const booked = this.pacer.sendersBookedBeyond(this.options.scheduleAheadMs);
    await this.senders?.alive(now);
    const owner = this.senders?.claimOwner(now);
    const claimed = await claimDueMessages(
      this.storage,
      now,
      now + this.options.leaseMs,
      Math.min(room, this.options.batchSize),
      { scope: this.options.scope, exceptSenders: booked, owner },
    );
    this.waitingForBooked = claimed.length === 0 && booked.length > 0;
    if (owner) {
      const senders = new Set(claimed.map((m) => m.sender));
      for (const sender of this.senders!.claimed(senders, owner.until, now)) this.pacer.takenOver(sender);
    }
    if (claimed.length === 0) return 0;
    const rules = await checkRulesForBatch(this.storage.db, claimed, now);
    for (const message of claimed) this.dispatch(message, rules, now);
    return claimed.length;
  }

  /**
   * A message about to be queued by this process, due now, may be written already claimed, so
   * it goes without waiting for a claim round (send-template's latency): the lease to write it
   * with, or null to queue it — this dispatcher is not running, has no room, does not hold the
   * sender's lease, or the sender is booked ahead.
   */
  leaseForNew(message: MessageRecord, now: number): { until: number; by: string | null } | null {
    if (!this.loop.running || !this.senders || message.nextAttemptAt > now) return null;
    // Only for a sender it paces (whose lease it renews while it sends).
    if (!this.senders.mayWriteClaimed(message.sender, now)) return null;
    if (this.inFlight.size >= this.options.maxInFlight) return null;
    if (this.pacer.backlogMs(message.sender) > this.options.scheduleAheadMs) return null;
    return { until: now + this.options.leaseMs, by: this.senders.workerId };
  }

  /**
   * Sends a message written claimed (leaseForNew), after its transaction committed. Its rules
   * were checked as it was composed, a moment ago; `account` is the one it was composed for.
   */
  adopt(message: MessageRecord, account: ChannelAccount): void {
    const rules: BatchRules = {
      accounts: new Map([[`${message.storeId}\u0000${message.channel}`, account]]),
      violations: new Map(),
    };
    this.dispatch(message, rules, this.clock.now());
  }

  private dispatch(message: MessageRecord, rules: BatchRules, now: number): void {
    const account = rules.accounts.get(`${message.storeId}\u0000${message.channel}`);
    if (!account)
      return this.settle(message, {
        kind: 'failed',
        code: 'CHANNEL_NOT_CONFIGURED',
        reason: `the store has no ${message.channel} account`,
      });
    if (account.status !== 'active') {
      return this.settle(message, {
        kind: 'release',
        at: now + 60_000,
        code: 'SENDER_SUSPENDED',
        reason: account.statusReason ?? 'the sender is suspended',
      });
    }
    const violation = rules.violations.get(message.id);
    if (violation) return this.settle(message, { kind: 'failed', code: violation.code, reason: violation.message });

    const gap = this.spacingFor(message.channel).reserve(message.sender, message.recipient, now);
    if (gap > now) return this.settle(message, { kind: 'release', at: gap });
    // A claim may book a sender past scheduleAheadMs (then it is claimed for no more); only a
    // message that would wait beyond half its lease goes back, so its lease cannot run out
    // before its slot (a slow number, a large batch).
    const backlog = this.pacer.backlogMs(message.sender);
    const holdMs = this.options.leaseMs / 2;
    if (backlog > holdMs)
      return this.settle(message, {
        kind: 'release',
        at: now + backlog - Math.min(holdMs, this.options.scheduleAheadMs),
      });

    const limit = account.config.throughputPerSecond ?? this.options.defaultThroughput;
    const slot = this.pacer.reserve(message.sender, limit);
    const task: Promise<void> = this.sendAt(slot, limit, message, account, now).finally(() =>
      this.inFlight.delete(task),
    );
    this.inFlight.add(task);
  }

  private spacingFor(channel: ChannelName): RecipientSpacing {
    let spacing = this.spacing.get(channel);
    if (!spacing) {
      spacing = new RecipientSpacing(this.options.recipientGapMs[channel] ?? 0);
      this.spacing.set(channel, spacing);
    }
    return spacing;
  }

  private async sendAt(
    slot: number,
    limit: number,
    message: MessageRecord,
    account: ChannelAccount,
    reservedAt: number,
  ): Promise<void> {
    const wait = slot - performance.now();
    if (wait >= 1) await sleep(wait);
    // The timer may fire late, together with others (see pacer.ts): start only when the
    // sender's last second has room, and not in a burst.
    for (
      let left = this.pacer.tryStart(message.sender, limit);
      left > 0;
      left = this.pacer.tryStart(message.sender, limit)
    )
      await sleep(Math.ceil(left));
    // Its number went to another worker while it waited (this one gave up its share, or could
    // not renew): not sent here, back in the queue for the one that paces it now.
    if (this.senders && !this.senders.paces(message.sender)) {
      await this.recorder.record(message, { kind: 'release', at: this.clock.now() }).catch(() => {});
      return;
    }
    let outcome: SendOutcome;
    this.calling.set(message.sender, (this.calling.get(message.sender) ?? 0) + 1);
    try {
      const result = await this.channels[message.channel].send(account, {
        id: message.id,
        recipient: message.recipient,
        kind: message.kind,
        category: message.category,
        payload: message.payload,
      });
      outcome = { kind: 'accepted', providerMessageId: result.providerMessageId };
    } catch (error) {
      outcome = this.outcomeOf(error, message);
      // It did not reach the shopper: the pair-limit slot is not used up.
      this.spacingFor(message.channel).forget(message.sender, message.recipient, reservedAt);
    } finally {
      const calls = (this.calling.get(message.sender) ?? 1) - 1;
      if (calls > 0) this.calling.set(message.sender, calls);
      else this.calling.delete(message.sender);
    }
    await this.recorder.record(message, outcome).catch(() => {
      // The lease runs out and the message is recovered; nothing is lost.
    });
    if (outcome.kind === 'failed' && outcome.code === MARKETING_STOPPED_CODE)
      this.options.onMarketingStopped?.(message);
  }

  private outcomeOf(error: unknown, message: MessageRecord): SendOutcome {
    const now = this.clock.now();
    if (error instanceof DoNotRetryError) return { kind: 'failed', code: error.code, reason: error.reason };
    if (error instanceof SenderError)
      return { kind: 'sender_refused', at: now + 60_000, code: error.code, reason: error.reason };
    if (error instanceof RetryAfterError) {
      // A timeout or a cut connection may have reached Meta: marketing is not risked twice.
      if (message.category === 'marketing' && mayHaveReachedProvider(error)) {
        return {
          kind: 'failed',
          code: 'SEND_UNCERTAIN',
          reason: `${error.code}: the provider may have received it; marketing messages are not sent twice`,
        };
      }
      return {
        kind: 'retry',
        at: now + retryDelay(message.attempts, error.retryAfterMs),
        code: error.code,
        reason: error.reason,
      };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'retry', at: now + retryDelay(message.attempts, 0), code: 'SEND_ERROR', reason };
  }

  private settle(message: MessageRecord, outcome: SendOutcome): void {
    const task: Promise<void> = this.recorder
      .record(message, outcome)
      .catch(() => {})
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /**
   * Beats this worker's heartbeat, renews its senders' leases and takes or gives its share of
   * the numbers (sender-share.ts); the running loop does it once a second.
   */
  async keepUp(): Promise<void> {
    await this.senders?.keepUp(
      (sender) => this.pacer.backlogMs(sender),
      (sender) => (this.calling.get(sender) ?? 0) > 0,
    );
  }

  /** This dispatcher's worker id (workers, sender_leases, messages.claimed_by); null for a scoped one. */
  get workerId(): string | null {
    return this.senders?.workerId ?? null;
  }

  get stats() {
    return { ...this.recorder.stats, unknown: this.unknown, inFlight: this.inFlight.size };
  }

  /** Resolves when every scheduled send has happened and its outcome is written. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.recorder.drain();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Its loop's and its send outcomes' batcher's figures (for /metrics). */
  workReport(): { loop: LoopReport; batcher: BatcherReport } {
    return { loop: this.loop.report(), batcher: this.recorder.batcherReport() };
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.drain();
    // Its senders may be paced by another dispatcher at once, not after their leases lapse.
    await this.senders?.leave();
    await this.ownPresence?.leave();
  }

  /** One turn of the background loop (work/background-loop.ts). */
  private async turn(): Promise<TurnResult> {
    // Once a second is plenty for the failover bound (a few seconds), and the look for
    // interrupted sends reads every message in flight (up to maxInFlight rows; an index for it
    // made every message write dearer, measured as 100–280 ms stalls in the journeys bench).
    const recover = performance.now() - this.recoveredAt >= RECOVER_EVERY_MS;
    if (recover) {
      this.recoveredAt = performance.now();
      await this.keepUp();
    }
    const claimed = await this.runOnce({ recover });
    // Claimed and room for more: go on at once (the loop gives the timers of the sends it
    // scheduled, and their sockets, a turn first; see pacer.ts).
    if (claimed > 0 && this.inFlight.size < this.options.maxInFlight) return 'more';
    const sleepMs = claimed > 0 ? 5 : this.options.idlePollMs;
    // Only messages of senders booked ahead: look again at the idle pace, not at every wake.
    return { sleepMs, wakes: this.waitingForBooked ? 'none' : 'any' };
  }
}

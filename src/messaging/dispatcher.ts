import type { Clock } from '../clock.js';
import { DoNotRetryError, RetryAfterError, SenderError, type ChannelAccount } from '../channels/channel.js';
import { mayHaveReachedProvider } from '../channels/graph-http.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import { claimDueMessages } from '../storage/messages.js';
import type { WorkScope } from '../storage/work-scope.js';
import { recoverInterrupted } from './interrupted.js';
import { SenderPacer, RecipientSpacing } from './pacer.js';
import { SendResultRecorder, type SendOutcome } from './send-results.js';
import { checkRulesForBatch, type BatchRules } from './batch-rules.js';

export interface DispatcherOptions {
  /** Messages claimed per round. */
  batchSize: number;
  /** How long a claimed message is ours; an unfinished one is recovered after it. */
  leaseMs: number;
  /** Messages scheduled at once (sent or waiting for their pacing slot). */
  maxInFlight: number;
  /** A sender backlogged further than this gives messages back to the queue until their turn. */
  scheduleAheadMs: number;
  /** Minimum time between two messages to one shopper, per channel (Meta's pair limit). */
  recipientGapMs: Partial<Record<ChannelName, number>>;
  /** Messages per second of a WhatsApp number whose account does not say (Meta's default). */
  defaultThroughput: number;
  /** How long the loop sleeps when nothing is due and nobody wakes it. */
  idlePollMs: number;
  /** Only this shopper's messages (storewire demo); every due message when absent. */
  scope?: WorkScope;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 500,
  leaseMs: 30_000,
  maxInFlight: 2_000,
  scheduleAheadMs: 10_000,
  recipientGapMs: { whatsapp: 6_000 },
  defaultThroughput: 80,
  idlePollMs: 250,
};

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
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
    options: Partial<DispatcherOptions> = {},
    onStatusCommitted: () => void = () => {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
    this.recorder = new SendResultRecorder(storage, clock, onStatusCommitted);
  }

  /** One round: recover interrupted sends, claim due messages, schedule them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    await recoverInterrupted(this.storage, now, this.options.scope);
    const room = this.options.maxInFlight - this.inFlight.size;
    if (room <= 0) return 0;
    const claimed = await claimDueMessages(this.storage, now, now + this.options.leaseMs, Math.min(room, this.options.batchSize), this.options.scope);
    if (claimed.length === 0) return 0;
    const rules = await checkRulesForBatch(this.storage.db, claimed, now);
    for (const message of claimed) this.dispatch(message, rules, now);
    return claimed.length;
  }

  private dispatch(message: MessageRecord, rules: BatchRules, now: number): void {
    const account = rules.accounts.get(`${message.storeId}\u0000${message.channel}`);
    if (!account) return this.settle(message, { kind: 'failed', code: 'CHANNEL_NOT_CONFIGURED', reason: `the store has no ${message.channel} account` });
    if (account.status === 'suspended') {
      return this.settle(message, { kind: 'release', at: now + 60_000, code: 'SENDER_SUSPENDED', reason: account.statusReason ?? 'the sender is suspended' });
    }
    const violation = rules.violations.get(message.id);
    if (violation) return this.settle(message, { kind: 'failed', code: violation.code, reason: violation.message });

    const gap = this.spacingFor(message.channel).reserve(message.sender, message.recipient, now);
    if (gap > now) return this.settle(message, { kind: 'release', at: gap });
    const backlog = this.pacer.backlogMs(message.sender);
    // Back before the sender's schedule runs dry (a quarter of scheduleAhead early), or the
    // number idles while they are claimed again: at 80/s that cost 2–3% of the throughput.
    if (backlog > this.options.scheduleAheadMs) return this.settle(message, { kind: 'release', at: now + backlog - this.options.scheduleAheadMs / 4 });

    const limit = account.config.throughputPerSecond ?? this.options.defaultThroughput;
    const slot = this.pacer.reserve(message.sender, limit);
    const task: Promise<void> = this.sendAt(slot, limit, message, account, now).finally(() => this.inFlight.delete(task));
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

  private async sendAt(slot: number, limit: number, message: MessageRecord, account: ChannelAccount, reservedAt: number): Promise<void> {
    const wait = slot - performance.now();
    if (wait >= 1) await sleep(wait);
    // The timer may fire late, together with others (see pacer.ts): start only when the
    // sender's last second has room, and not in a burst.
    for (let left = this.pacer.tryStart(message.sender, limit); left > 0; left = this.pacer.tryStart(message.sender, limit)) await sleep(Math.ceil(left));
    let outcome: SendOutcome;
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
    }
    await this.recorder.record(message, outcome).catch(() => {
      // The lease runs out and the message is recovered; nothing is lost.
    });
  }

  private outcomeOf(error: unknown, message: MessageRecord): SendOutcome {
    const now = this.clock.now();
    if (error instanceof DoNotRetryError) return { kind: 'failed', code: error.code, reason: error.reason };
    if (error instanceof SenderError) return { kind: 'sender_refused', at: now + 60_000, code: error.code, reason: error.reason };
    if (error instanceof RetryAfterError) {
      // A timeout or a cut connection may have reached Meta: marketing is not risked twice.
      if (message.category === 'marketing' && mayHaveReachedProvider(error)) {
        return { kind: 'failed', code: 'SEND_UNCERTAIN', reason: `${error.code}: the provider may have received it; marketing messages are not sent twice` };
      }
      return { kind: 'retry', at: now + retryDelay(message.attempts, error.retryAfterMs), code: error.code, reason: error.reason };
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

  get stats() {
    return { ...this.recorder.stats, inFlight: this.inFlight.size };
  }

  /** Resolves when every scheduled send has happened and its outcome is written. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    await this.recorder.drain();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.drain();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch {
        // The database is unreachable or busy: try again after the idle pause.
      }
      // A round runs synchronously on SQLite, as one chain of promises: give the timers of the
      // sends it scheduled, and their sockets, a turn before the next one (see pacer.ts).
      await new Promise((resolve) => setImmediate(resolve));
      if (claimed > 0 && this.inFlight.size < this.options.maxInFlight) continue;
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, claimed > 0 ? 5 : this.options.idlePollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}

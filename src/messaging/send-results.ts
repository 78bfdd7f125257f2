import type { Clock } from '../clock.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import { messageStatusPayload } from './status-payload.js';
import { setAccountStatus } from '../storage/channel-accounts.js';
import type { Db, Storage } from '../storage/database.js';
import { findMessagesByIds, saveMessages, takePendingStatuses } from '../storage/messages.js';
import { dropAttempts, endAttempts, type AttemptEnd } from '../storage/message-attempts.js';
import { enqueueWebhookDeliveries, type WebhookEventItem } from '../webhooks-out/enqueue.js';
import { Batcher, type BatcherReport } from '../work/batcher.js';
import { markAccepted, markFailed, markRetry, withStatus } from './message-state.js';

/** What became of one claimed message. */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string }
  | { kind: 'retry'; at: number; code: string; reason: string }
  | { kind: 'failed'; code: string; reason: string }
  /** Not attempted (paced, or its sender is stopped): back in the queue, the attempt not counted. */
  | { kind: 'release'; at: number; code?: string; reason?: string }
  /** The sender's credentials were refused: stop the sender, keep the message for later. */
  | { kind: 'sender_refused'; at: number; code: string; reason: string };

/** After this many attempts a message that keeps failing with retryable errors fails for good. */
export const MAX_ATTEMPTS = 12;

/**
 * Outcomes written per transaction at most. SQLite works synchronously: a transaction of 1,000
 * released messages held the event loop for ~300 ms, and every send due meanwhile went late
 * and in a bunch (see pacer.ts). Larger backlogs are written in several transactions, with a
 * turn of the event loop between them.
 */
export const MAX_OUTCOMES_PER_TRANSACTION = 200;

/** How long an outcome waits for others to share its transaction (see SendResultRecorder). */
export const LINGER_MS = 10;

/** Back in the queue without counting the attempt: it was never made. */
const requeue = (message: MessageRecord, at: number, now: number): MessageRecord => ({
  ...message,
  status: 'queued',
  nextAttemptAt: at,
  leaseUntil: null,
  attempts: message.attempts - 1,
  updatedAt: now,
});

interface Pending {
  message: MessageRecord;
  outcome: SendOutcome;
}

/**
 * Writes send outcomes, many per transaction (work/batcher.ts). Each message is re-read under
 * its store's lock and changed only while the lease it was claimed with is still its own, so a
 * dispatcher that lost its lease (stopped, slow) can never overwrite what another one did.
 * Outcomes wait up to LINGER_MS for others to share their transaction: sends finish one by
 * one, and a transaction each (a commit is an fsync) cost more than the sends at 500/s; a full
 * transaction's worth is written at once. A failed transaction fails all its outcomes: the
 * leases run out and the messages are recovered.
 */
export class SendResultRecorder {
  /** Outcomes written, by kind (for /metrics). */
  readonly stats: Record<SendOutcome['kind'], number> = {
    accepted: 0,
    retry: 0,
    failed: 0,
    release: 0,
    sender_refused: 0,
  };
  private readonly batcher: Batcher<Pending, undefined>;

  /** `onWebhooksQueued`: a commit queued store webhooks (message.status) for the webhook worker. */
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly onWebhooksQueued: () => void = () => {},
  ) {
    this.batcher = new Batcher({
      name: 'send outcomes',
      commit: (batch) => this.write(batch),
      failure: 'fail-all',
      maxBatch: MAX_OUTCOMES_PER_TRANSACTION,
      // Real time, not the injected clock: it is about commits per second, like pacing.
      lingerMs: LINGER_MS,
    });
  }

  record(message: MessageRecord, outcome: SendOutcome): Promise<void> {
    return this.batcher.submit({ message, outcome });
  }

  /** Its batcher's figures (for /metrics). */
  batcherReport(): BatcherReport {
    return this.batcher.report();
  }

  /** Resolves when everything recorded so far is written (without lingering). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async write(batch: Pending[]): Promise<undefined[]> {
    const webhooks = await this.storage.transaction(async (trx) => {
      const storeIds = [...new Set(batch.map((p) => p.message.storeId))].sort();
      await this.storage.lockStores(trx, storeIds);
      let queued = 0;
      for (const storeId of storeIds)
        queued += await this.apply(
          trx,
          storeId,
          batch.filter((p) => p.message.storeId === storeId),
        );
      return queued;
    });
    for (const pending of batch) this.stats[pending.outcome.kind] += 1;
    if (webhooks > 0) this.onWebhooksQueued();
    return batch.map(() => undefined);
  }

  /** Writes one store's outcomes; returns how many store webhook deliveries it queued. */
  private async apply(trx: Db, storeId: string, batch: Pending[]): Promise<number> {
    const now = this.clock.now();
    const fresh = await findMessagesByIds(
      trx,
      batch.map((p) => p.message.id),
    );
    const changed = new Map<string, MessageRecord>();
    const webhooks: WebhookEventItem[] = [];
    const accepted = new Map<ChannelName, string[]>();
    // The log of attempts (storage/message-attempts.ts): how each ended, or that it was never made.
    const ended: AttemptEnd[] = [];
    const notMade: { messageId: string; attempt: number }[] = [];

    for (const { message: claimed, outcome } of batch) {
      const current = fresh.get(claimed.id);
      // Another dispatcher took the message over after our lease ran out: its outcome counts.
      if (current?.status !== 'sending' || current.leaseUntil !== claimed.leaseUntil) continue;
      const attempt = { messageId: current.id, attempt: current.attempts };
      if (outcome.kind === 'release' || outcome.kind === 'sender_refused') notMade.push(attempt);
      else if (outcome.kind === 'accepted')
        ended.push({ ...attempt, outcome: 'sent', at: now, providerMessageId: outcome.providerMessageId });
      else ended.push({ ...attempt, outcome: 'error', at: now, errorCode: outcome.code });
      let next: MessageRecord;
      switch (outcome.kind) {
        case 'accepted':
          next = markAccepted(current, outcome.providerMessageId, now);
          accepted.set(next.channel, [...(accepted.get(next.channel) ?? []), outcome.providerMessageId]);
          break;
        case 'retry':
          next =
            current.attempts >= MAX_ATTEMPTS
              ? markFailed(current, outcome.code, `gave up after ${current.attempts} attempts: ${outcome.reason}`, now)
              : markRetry(current, outcome.at, outcome.code, outcome.reason, now);
          break;
        case 'failed':
          next = markFailed(current, outcome.code, outcome.reason, now);
          break;
        case 'release':
          next = {
            ...requeue(current, outcome.at, now),
            ...(outcome.code ? { errorCode: outcome.code, errorReason: outcome.reason ?? null } : {}),
          };
          break;
        case 'sender_refused':
          next = { ...requeue(current, outcome.at, now), errorCode: outcome.code, errorReason: outcome.reason };
          await setAccountStatus(trx, storeId, current.channel, 'suspended', `${outcome.code}: ${outcome.reason}`, now);
          break;
      }
      changed.set(next.id, next);
      if (next.status !== current.status && (next.status === 'sent' || next.status === 'failed')) {
        webhooks.push({ type: 'message.status', payload: messageStatusPayload(next, now) });
      }
    }

    // Statuses the provider reported before we knew its id for the message.
    for (const [channel, providerIds] of accepted) {
      for (const status of await takePendingStatuses(trx, channel, providerIds)) {
        const message = [...changed.values()].find(
          (m) => m.channel === channel && m.providerMessageId === status.providerMessageId,
        );
        const next = message && withStatus(message, status.status, status.at, now, status.errors);
        if (next) {
          changed.set(next.id, next);
          webhooks.push({ type: 'message.status', payload: messageStatusPayload(next, status.at) });
        }
      }
    }
    if (changed.size > 0) await saveMessages(trx, [...changed.values()]);
    if (ended.length > 0) await endAttempts(trx, ended);
    if (notMade.length > 0) await dropAttempts(trx, notMade);
    return enqueueWebhookDeliveries(trx, storeId, webhooks, now);
  }
}

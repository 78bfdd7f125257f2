import type { Logger } from 'pino';
import type { WorkerPresence } from '../work/presence.js';
import { Agent, request } from 'undici';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/database.js';
import {
  claimDueDeliveries,
  failClaimed,
  failIdleDeliveriesOf,
  recordDelivered,
  recordFailedAttempt,
  releaseDeliveries,
  type WebhookDelivery,
} from '../storage/webhook-deliveries.js';
import {
  deactivateSubscription,
  findSubscriptions,
  type WebhookSubscription,
} from '../storage/webhook-subscriptions.js';
import { BackgroundLoop, type LoopReport, type TurnResult } from '../work/background-loop.js';
import { backoffMs, MAX_ATTEMPTS } from './backoff.js';
import { deliveryBody, deliveryHeaders } from './request.js';

export interface WebhookWorkerOptions {
  /** Requests in flight at once, over all stores (default 16). */
  concurrency?: number;
  /** Requests in flight to one subscription, so a slow receiver cannot take every slot (default 8). */
  perSubscription?: number;
  /** A request without a complete answer in this time has failed (default 10 s). */
  timeoutMs?: number;
  /** How long a claimed delivery stays with this worker (default timeout + 30 s); after a crash another worker takes it then. */
  leaseMs?: number;
  /** How often start()'s loop looks for due deliveries when nothing woke it (default 1 s); the first back-off after a failed claim. */
  pollIntervalMs?: number;
  /** Attempts before a delivery is given up (default 12). */
  maxAttempts?: number;
  /** [0, 1) for the backoff jitter (default Math.random). */
  random?: () => number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** The worker process (work/presence.ts): a dead worker's deliveries are taken over within seconds. */
  presence?: WorkerPresence;
}

interface Claimed {
  delivery: WebhookDelivery;
  subscription: WebhookSubscription | undefined;
  leaseUntil: number;
}

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

const GONE = 410;

/**
 * Sends due webhook deliveries: claims them with a lease, POSTs each signed, and records the
 * outcome — delivered on 2xx; otherwise tried again after a growing backoff, given up after
 * `maxAttempts`; 410 Gone gives it up at once and deactivates the subscription. Due times,
 * signature timestamps and the waits of its loop (work/background-loop.ts) come from the
 * injected clock; only a request's own timeout is real time.
 * Delivery is at least once: a worker that dies after the receiver answered, before recording
 * it, leaves the row to be sent again when its lease ends.
 */
export class WebhookDeliveryWorker {
  private readonly concurrency: number;
  private readonly perSubscription: number;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly logger: Pick<Logger, 'warn' | 'error'> | undefined;
  private readonly agent: Agent;
  private readonly presence: WorkerPresence | undefined;

  private readonly inFlight = new Set<Promise<void>>();
  /** Subscription id -> deliveries of it in flight. */
  private readonly busy = new Map<string, number>();
  private readonly loop: BackgroundLoop;
  /** Claim queries made (each one write transaction), for /metrics and tests. */
  readonly stats = { claims: 0 };

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    options: WebhookWorkerOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.perSubscription = Math.max(1, Math.min(this.concurrency, options.perSubscription ?? 8));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? this.timeoutMs + 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
    this.presence = options.presence;
    this.loop = new BackgroundLoop(() => this.turn(), {
      name: 'webhook deliveries',
      clock,
      idlePollMs: this.pollIntervalMs,
      onError: (error) => this.logger?.warn({ err: error }, 'webhook deliveries: could not claim due deliveries'),
    });
    this.agent = new Agent({
      connectTimeout: this.timeoutMs,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  /** Claims the deliveries due now (up to the free slots), sends them, and waits for all. Returns how many requests were made. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim(this.concurrency - this.inFlight.size);
    const attempts = await Promise.all(claimed.map((c) => this.launch(c)));
    return attempts.filter(Boolean).length;
  }

  /** Runs in the background until stop(): claims work as slots free up, sleeps when none is due. */
  start(): void {
    this.loop.start();
  }

  /** Stops claiming, lets the requests in flight finish (each is bounded by the timeout), and closes the connections. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
    if (!this.agent.closed) await this.agent.close();
  }

  /** New deliveries were committed: look now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  /** Its loop's turns, failures and wakes (for /metrics). */
  loopReport(): LoopReport {
    return this.loop.report();
  }

  /** One turn of the background loop: claim for the free slots and launch what came. */
  private async turn(): Promise<TurnResult> {
    const free = this.concurrency - this.inFlight.size;
    if (free > 0) for (const c of await this.claim(free)) void this.launch(c);
    // Every slot busy: only a finishing delivery can make room, and it wakes the loop, so a
    // wake that came earlier is spent. Otherwise a wake during the claim (new deliveries
    // committed) means look again now. (A claim that throws makes the loop back off, deaf to
    // wakes, so a broken database is not asked in a loop.)
    return this.inFlight.size >= this.concurrency ? { wakes: 'later' } : 'idle';
  }

  private async claim(limit: number): Promise<Claimed[]> {
    if (limit <= 0) return [];
    this.stats.claims++;
    const now = this.clock.now();
    const leaseUntil = now + this.leaseMs;
    const atCap = [...this.busy].filter(([, n]) => n >= this.perSubscription).map(([id]) => id);
    await this.presence?.alive(now);
    const rows = await claimDueDeliveries(this.storage, {
      now,
      limit,
      leaseUntil,
      excludeSubscriptions: atCap,
      liveness: this.presence?.liveness(now),
    });
    // One claim may bring many rows of one subscription: keep what its cap allows, give the rest back.
    const counts = new Map(this.busy);
    const kept: WebhookDelivery[] = [];
    const extra: string[] = [];
    for (const row of rows) {
      const n = counts.get(row.subscriptionId) ?? 0;
      if (n >= this.perSubscription) {
        extra.push(row.id);
      } else {
        counts.set(row.subscriptionId, n + 1);
        kept.push(row);
      }
    }
    await releaseDeliveries(this.storage.db, extra, leaseUntil);
    const subscriptions = await findSubscriptions(
      this.storage.db,
      kept.map((d) => d.subscriptionId),
    );
    return kept.map((delivery) => ({ delivery, subscription: subscriptions.get(delivery.subscriptionId), leaseUntil }));
  }

  /** Starts one delivery; resolves true when a request was made. Never rejects. */
  private launch(claimed: Claimed): Promise<boolean> {
    const subscriptionId = claimed.delivery.subscriptionId;
    this.busy.set(subscriptionId, (this.busy.get(subscriptionId) ?? 0) + 1);
    const attempt = this.attempt(claimed).catch((error: unknown) => {
      // The outcome could not be recorded: the lease runs out and the delivery is sent again.
      this.logger?.error(
        { err: error, deliveryId: claimed.delivery.id },
        'webhook deliveries: could not record an outcome',
      );
      return true;
    });
    const tracked = attempt.then(() => {
      const n = (this.busy.get(subscriptionId) ?? 1) - 1;
      if (n <= 0) this.busy.delete(subscriptionId);
      else this.busy.set(subscriptionId, n);
      this.inFlight.delete(tracked);
      this.wake();
    });
    this.inFlight.add(tracked);
    return tracked.then(() => attempt);
  }

  private async attempt({ delivery, subscription, leaseUntil }: Claimed): Promise<boolean> {
    const db = this.storage.db;
    if (!subscription?.active) {
      const why = subscription ? 'subscription inactive' : 'subscription deleted';
      await failClaimed(db, delivery.id, leaseUntil, why, this.clock.now());
      return false;
    }
    const outcome = await this.post(delivery, subscription);
    const at = this.clock.now();
    const attempts = delivery.attempts + 1;
    if (outcome.ok) {
      await recordDelivered(db, delivery.id, leaseUntil, attempts, outcome.statusCode, at);
      return true;
    }
    if (outcome.statusCode === GONE) {
      await this.storage.transaction(async (trx) => {
        await recordFailedAttempt(trx, delivery.id, leaseUntil, {
          attempts,
          statusCode: GONE,
          error: outcome.error,
          retryAt: null,
          at,
        });
        await deactivateSubscription(trx, subscription.id);
        await failIdleDeliveriesOf(trx, subscription.id, at, 'subscription deactivated: its URL answered 410 Gone');
      });
      this.logger?.warn(
        { subscriptionId: subscription.id, storeId: subscription.storeId },
        'webhook subscription deactivated: its URL answered 410 Gone',
      );
      return true;
    }
    const retryAt = attempts >= this.maxAttempts ? null : at + backoffMs(attempts, this.random);
    await recordFailedAttempt(db, delivery.id, leaseUntil, {
      attempts,
      statusCode: outcome.statusCode,
      error: outcome.error,
      retryAt,
      at,
    });
    return true;
  }

  private async post(delivery: WebhookDelivery, subscription: WebhookSubscription): Promise<Outcome> {
    const body = deliveryBody(delivery);
    const headers = deliveryHeaders(delivery, subscription.secret, Math.floor(this.clock.now() / 1000), body);
    try {
      const response = await request(subscription.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const statusCode = response.statusCode;
      if (statusCode >= 200 && statusCode < 300) {
        await response.body.dump().catch(() => {});
        return { ok: true, statusCode };
      }
      const text = await snippet(response.body);
      const redirect = statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : '';
      return { ok: false, statusCode, error: `HTTP ${statusCode}${redirect}${text ? `: ${text}` : ''}` };
    } catch (error) {
      return { ok: false, statusCode: null, error: this.describe(error) };
    }
  }

  private describe(error: unknown): string {
    const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e?.code ?? e?.cause?.code;
    if (
      e?.name === 'TimeoutError' ||
      e?.name === 'AbortError' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      return `no answer within ${this.timeoutMs / 1000} s`;
    }
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
    const message = e?.cause?.message ?? e?.message ?? String(error);
    return code ? `${code}: ${message}` : message;
  }
}

/** The start of an error answer's body, for the log: at most 200 characters, whitespace folded. */
async function snippet(body: AsyncIterable<Buffer>, max = 200): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) {
      text += chunk.toString('utf8');
      if (text.length >= max) break;
    }
  } catch {
    // The body broke off: what came is enough.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

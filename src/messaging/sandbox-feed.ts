import type { Logger } from 'pino';
import type { WebhookStatus } from '../channels/channel.js';
import type { SandboxReportSink, ScheduledStatus } from '../channels/sandbox/sandbox-channel.js';
import type { Clock } from '../clock.js';
import { accountsByExternalId } from '../storage/channel-accounts.js';
import type { Storage } from '../storage/database.js';
import {
  claimDueSandboxReports,
  deleteSandboxReports,
  deleteSandboxReportsInScope,
  insertSandboxReports,
  nextSandboxReportDue,
} from '../storage/sandbox-reports.js';
import type { WorkScope } from '../storage/work-scope.js';
import { BackgroundLoop, type LoopReport, type TurnResult } from '../work/background-loop.js';
import { Batcher, type BatcherReport } from '../work/batcher.js';
import type { EventRoad } from './event-road.js';

export interface SandboxFeedOptions {
  /** How often it looks for reports that fell due (default 250 ms). */
  pollMs: number;
  /** Reports applied per round at most. */
  batchSize: number;
  /** How long taken reports are this feed's; if it stops before applying them, they are taken again after it. */
  leaseMs: number;
  /**
   * How long a send's reports wait for other sends' to share their transaction (on the feed's
   * clock). Without it each send wrote its reports alone: a commit and, on SQLite, an fsync on
   * the event loop per send, which took about a third of a journeys burst's time at 80 sends/s.
   * The earliest report falls due a second after its send, and a turn takes them all first.
   */
  keepLingerMs: number;
  /** Only this shopper's reports (storewire demo); every due report when absent. */
  scope?: WorkScope;
  logger?: Pick<Logger, 'warn'>;
}

const DEFAULTS: SandboxFeedOptions = { pollMs: 250, batchSize: 500, leaseMs: 30_000, keepLingerMs: 200 };

/**
 * The sandbox's status feed, a worker like the others: the sandbox channel schedules sent,
 * delivered and read reports as it "sends"; they are written as rows (a Batcher: the sends of
 * a moment share a transaction, and no send waits for it), and each turn of the loop hands
 * the reports that fell due to the engine, as a provider's webhook would, then deletes them.
 * Rows survive a restart, so a message sent before one is still reported delivered and read.
 * (A process killed within keepLingerMs of a send loses that send's reports, as a provider's
 * webhook can be lost; a stop writes them first.)
 */
export class SandboxStatusFeed implements SandboxReportSink {
  readonly options: SandboxFeedOptions;
  readonly stats = { applied: 0 };
  private readonly writer: Batcher<ScheduledStatus[], void>;
  private readonly loop: BackgroundLoop;

  /** `onApplied`: reports were applied (and may have queued store webhooks). */
  constructor(
    private readonly storage: Storage,
    private readonly road: EventRoad,
    private readonly clock: Clock,
    private readonly onApplied: () => void = () => {},
    options: Partial<SandboxFeedOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.writer = new Batcher({
      name: 'sandbox reports',
      failure: 'fail-all',
      lingerMs: this.options.keepLingerMs,
      clock,
      commit: async (sends) => {
        await insertSandboxReports(
          storage.db,
          sends.flat().map(({ storeId, messageId, ord, status }) => ({
            storeId,
            messageId,
            ord,
            providerMessageId: status.providerMessageId,
            accountExternalId: status.accountExternalId ?? '',
            recipientId: status.recipientId,
            status: status.status,
            errors: status.errors,
            dueAt: status.at,
          })),
        );
        return sends.map(() => undefined);
      },
    });
    this.loop = new BackgroundLoop(() => this.turn(), {
      name: 'sandbox status feed',
      clock,
      idlePollMs: this.options.pollMs,
      onError: (error) => this.options.logger?.warn({ err: error }, 'sandbox status feed: could not apply reports'),
    });
  }

  /** For the sandbox channel: keep these reports until they fall due. */
  schedule(reports: ScheduledStatus[]): void {
    if (reports.length === 0) return;
    this.writer.submit(reports).catch((error: unknown) => {
      this.options.logger?.warn({ err: error }, 'sandbox status feed: could not keep reports');
    });
  }

  /** One round: applies up to batchSize reports due now. Returns how many it took. */
  async runOnce(): Promise<number> {
    await this.writer.drain();
    const now = this.clock.now();
    const { batchSize: limit, leaseMs, scope } = this.options;
    const claimed = await claimDueSandboxReports(this.storage, { now, limit, leaseUntil: now + leaseMs, scope });
    if (claimed.length === 0) return 0;
    const statuses: WebhookStatus[] = claimed.map((r) => ({
      providerMessageId: r.providerMessageId,
      status: r.status,
      at: r.dueAt,
      recipientId: r.recipientId,
      errors: r.errors as WebhookStatus['errors'],
      accountExternalId: r.accountExternalId || null,
    }));
    const accountExternalIds = [...new Set(claimed.map((r) => r.accountExternalId))];
    const accounts = await accountsByExternalId(this.storage.db, 'sandbox', accountExternalIds);
    const result = await this.road.providerWebhook('sandbox', { statuses, inbound: [], accountExternalIds }, accounts);
    await deleteSandboxReports(
      this.storage.db,
      claimed.map((r) => r.id),
    );
    this.stats.applied += result.applied;
    this.onApplied();
    return claimed.length;
  }

  /** Rounds until nothing is due now (tests and `storewire demo`). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) >= this.options.batchSize);
  }

  /** When the next report falls due, for a clock deciding where to step (storewire demo). */
  async nextDue(): Promise<number | null> {
    await this.writer.drain();
    return nextSandboxReportDue(this.storage.db, this.options.scope);
  }

  /** Drops this scoped feed's reports still to come: `storewire demo` leaves nothing for a server. */
  async forgetScoped(): Promise<void> {
    await this.writer.drain();
    if (this.options.scope) await deleteSandboxReportsInScope(this.storage.db, this.options.scope);
  }

  private async turn(): Promise<TurnResult> {
    return (await this.runOnce()) >= this.options.batchSize ? 'more' : 'idle';
  }

  start(): void {
    this.loop.start();
  }

  /** Stops the loop after its turn and writes the reports still waiting to be kept. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.writer.drain();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Its loop's and its report writer's figures (for /metrics). */
  workReport(): { loop: LoopReport; batcher: BatcherReport } {
    return { loop: this.loop.report(), batcher: this.writer.report() };
  }
}

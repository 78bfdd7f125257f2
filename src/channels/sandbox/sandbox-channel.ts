import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import {
  DoNotRetryError,
  RetryAfterError,
  SenderError,
  type Channel,
  type ChannelAccount,
  type OutboundMessage,
  type ParsedWebhook,
  type SendResult,
  type WebhookStatus,
} from '../channel.js';

/** After how long the sandbox reports each status of a message it "sent". */
export interface SandboxTimings {
  deliveredAfterMs: number;
  readAfterMs: number;
}

/** A status the sandbox will report for a message, at `status.at`; `ord` orders a message's reports. */
export interface ScheduledStatus {
  storeId: string;
  messageId: string;
  ord: number;
  status: WebhookStatus;
}

/**
 * Where the reports wait for their time: the sandbox status feed (messaging/sandbox-feed.ts)
 * keeps them as rows, so a restart loses none, and hands them to the engine when due.
 */
export interface SandboxReportSink {
  schedule(reports: ScheduledStatus[]): void;
}

const DEFAULT_TIMINGS: SandboxTimings = { deliveredAfterMs: 1_000, readAfterMs: 3_000 };

/**
 * A channel that behaves like WhatsApp without a network: it answers with wamid-like ids and
 * later reports sent, delivered and read (or a failure) through the same status pipeline as
 * real webhooks (by way of the status feed), so the whole loop — queue, send, statuses,
 * stats — runs offline. Recipients
 * choose the outcome by how their number ends (see docs/channels.md). A store's sandbox account
 * id is "sandbox:<store id>", so reports find their store like a real number's do.
 *   …0000  accepted, then failed with 131026 (undeliverable)
 *   …0429  first attempt refused with 130429 (throughput), then accepted
 *   …0190  the sender's token is refused (190): the sender stops
 *   …0400  refused with 132001 (template does not exist): the message fails
 */
export class SandboxChannel implements Channel {
  readonly name = 'sandbox' as const;
  readonly capabilities = { templates: true, freeForm: true, interactive: true, productMessages: true, receipts: true };
  private readonly refusedOnce = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly reports: SandboxReportSink,
    private readonly timings: SandboxTimings = DEFAULT_TIMINGS,
  ) {}

  async send(account: ChannelAccount, message: OutboundMessage): Promise<SendResult> {
    const recipient = message.recipient;
    if (recipient.endsWith('0190'))
      throw new SenderError('190', 'sandbox: access token expired (recipient ends in 0190)');
    if (recipient.endsWith('0400'))
      throw new DoNotRetryError('132001', 'sandbox: template name does not exist in the translation');
    if (recipient.endsWith('0429') && !this.refusedOnce.has(message.id)) {
      this.refusedOnce.add(message.id);
      throw new RetryAfterError(1_000, '130429', 'sandbox: Cloud API message throughput has been reached');
    }
    const providerMessageId = `wamid.SANDBOX${randomBytes(18).toString('base64url')}`;
    const now = this.clock.now();
    const scheduled: ScheduledStatus[] = [];
    const report = (status: WebhookStatus['status'], delay: number, errors: WebhookStatus['errors'] = []) =>
      scheduled.push({
        storeId: account.storeId,
        messageId: message.id,
        ord: scheduled.length,
        status: {
          providerMessageId,
          status,
          at: now + delay,
          recipientId: recipient.replace(/^\+/, ''),
          errors,
          accountExternalId: account.externalId,
        },
      });
    report('sent', 0);
    if (recipient.endsWith('0000')) {
      report('failed', this.timings.deliveredAfterMs, [
        { code: '131026', title: 'Message undeliverable', detail: 'sandbox: recipient ends in 0000' },
      ]);
    } else {
      report('delivered', this.timings.deliveredAfterMs);
      report('read', this.timings.readAfterMs);
    }
    this.reports.schedule(scheduled);
    return { providerMessageId, recipientId: recipient.replace(/^\+/, '') };
  }

  verifySignature(): boolean {
    // Sandbox statuses never cross the network: there is no signature to check.
    return true;
  }

  parseWebhook(): ParsedWebhook {
    throw new TypeError('the sandbox has no webhook endpoint; its statuses come from the sandbox status feed');
  }
}

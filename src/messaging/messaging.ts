import type { Clock } from '../clock.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { SandboxChannel } from '../channels/sandbox/sandbox-channel.js';
import type { MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import type { WebhookDeliveryWorker } from '../webhooks-out/delivery-worker.js';
import type { Dispatcher } from './dispatcher.js';
import { confirmOptOuts } from './opt-out-confirmation.js';
import type { EventRoad, WebhookResult } from './event-road.js';
import { QueueWriter } from './queue-writer.js';
import type { SandboxStatusFeed } from './sandbox-feed.js';
import type { SendOptions, SendResult } from './send.js';

/** The parts app.ts builds and wires (see buildWorkers there). */
export interface MessagingParts {
  channels: ChannelRegistry;
  sandbox: SandboxChannel;
  dispatcher: Dispatcher;
  webhooks: WebhookDeliveryWorker;
  sandboxFeed: SandboxStatusFeed;
}

/**
 * What the routes use of sending: the channels, the outbox dispatcher, the sandbox's status
 * feed and the store webhooks worker (built, wired and started in app.ts, the one composition
 * root), the send options of the queue writer, and what follows a send or a webhook. Tests call
 * `tick()` to run one round of each and wait for it.
 */
export class Messaging {
  readonly sandbox: SandboxChannel;
  readonly channels: ChannelRegistry;
  readonly dispatcher: Dispatcher;
  readonly webhooks: WebhookDeliveryWorker;
  readonly sandboxFeed: SandboxStatusFeed;
  /** Writes the messages sendMessage queues, many per transaction. */
  readonly queueWriter: QueueWriter;

  constructor(
    private readonly storage: Storage,
    private readonly road: EventRoad,
    private readonly clock: Clock,
    parts: MessagingParts,
  ) {
    ({
      sandbox: this.sandbox,
      channels: this.channels,
      dispatcher: this.dispatcher,
      webhooks: this.webhooks,
      sandboxFeed: this.sandboxFeed,
    } = parts);
    this.queueWriter = new QueueWriter(storage);
    this.sendOptions = {
      writer: this.queueWriter,
      claim: (message) => this.dispatcher.leaseForNew(message, this.clock.now()),
    };
  }

  /** Something was queued or changed (messages, store webhooks): look now rather than at the next poll. */
  wake(): void {
    this.dispatcher.wake();
    this.webhooks.wake();
  }

  /**
   * For sendMessage: messages queued at one moment share a transaction, and one due now is
   * written claimed by this process's dispatcher when it has room (see queued()).
   */
  readonly sendOptions: SendOptions;

  /**
   * sendMessage queued a message: one written claimed goes to the dispatcher at once, any other
   * wakes it. (Only the dispatcher: queueing a message queues no store webhook, and waking the
   * webhook worker for each one cost a claim transaction per message.)
   */
  queued(sent: Extract<SendResult, { ok: true }>): void {
    if (sent.duplicate) return;
    if (sent.message.status === 'sending' && sent.account) this.dispatcher.adopt(sent.message, sent.account);
    else this.dispatcher.wake();
  }

  /** Sends the store's opt-out confirmation (if it has one) for the opt-outs a webhook brought. */
  async confirmOptOuts(result: WebhookResult): Promise<void> {
    if (result.optOuts.length === 0) return;
    const queued = await confirmOptOuts(this.storage, result.optOuts, this.sendOptions, this.clock.now());
    for (const sent of queued) this.queued(sent);
  }

  /** Background work started from a callback; tick() and stop() wait for it. */
  private readonly pending = new Set<Promise<void>>();
  private track(task: Promise<void>): void {
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** The dispatcher recorded a 131050 refusal (its onMarketingStopped, wired in app.ts). */
  marketingRefused(message: MessageRecord): void {
    this.track(this.marketingStopped(message));
  }

  /** Resolves when the work started from callbacks (a 131050's consent change) is done. */
  async settle(): Promise<void> {
    await Promise.all(this.pending);
  }

  /**
   * Meta answered a marketing send with 131050: the shopper stopped marketing messages, so their
   * consent is withdrawn on the one road, as the webhook saying so would. Should it fail, the
   * next refusal says it again.
   */
  private async marketingStopped(message: MessageRecord): Promise<void> {
    try {
      if (!(await this.road.marketingRefused(message, this.clock.now()))) return;
      this.webhooks.wake();
    } catch {
      // Consent stays as it was until Meta refuses again; the message itself is already failed.
    }
  }

  /** Hands the sandbox's due status reports to the engine, like a webhook would. */
  async feedSandbox(): Promise<void> {
    await this.sandboxFeed.drain();
  }

  /** One round of everything, waiting for it to finish (for tests and `storewire demo`). */
  async tick(): Promise<void> {
    await this.feedSandbox();
    await this.dispatcher.runOnce();
    await this.dispatcher.drain();
    await Promise.all(this.pending);
    await this.feedSandbox();
    await this.webhooks.runOnce();
  }
}

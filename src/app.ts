import type { FastifyInstance } from 'fastify';
import { WorkerPresence } from './work/presence.js';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import type { GroupCommitOptions } from './engine/group-commit.js';
import { providerEventRoad } from './engine/provider-webhooks.js';
import { buildServer } from './http/server.js';
import { createMetrics, type Registry } from './observability/metrics.js';
import { openStorage, type Storage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';
import { MessengerChannel } from './channels/messenger/index.js';
import { SandboxChannel, type SandboxTimings } from './channels/sandbox/sandbox-channel.js';
import { WhatsAppChannel } from './channels/whatsapp/index.js';
import { Dispatcher, type DispatcherOptions } from './messaging/dispatcher.js';
import { Messaging } from './messaging/messaging.js';
import { SandboxStatusFeed } from './messaging/sandbox-feed.js';
import { JourneyWorker, type JourneyWorkerOptions } from './journeys/worker.js';
import type { WorkScope } from './storage/work-scope.js';
import { WebhookDeliveryWorker, type WebhookWorkerOptions } from './webhooks-out/delivery-worker.js';
import type { LoopReport } from './work/background-loop.js';
import type { BatcherReport } from './work/batcher.js';

export interface MessagingOptions {
  dispatcher?: Partial<DispatcherOptions>;
  webhooks?: WebhookWorkerOptions;
  sandbox?: SandboxTimings;
}

export interface WorkerOptions {
  messaging?: MessagingOptions;
  journeys?: Partial<JourneyWorkerOptions>;
  /** Only this shopper's work (storewire demo): the dispatcher, the journeys and the sandbox feed. */
  scope?: WorkScope;
  logger?: Logger;
}

/** Every background worker of a process, wired; start() and stop() run them all. */
export interface Workers {
  messaging: Messaging;
  journeys: JourneyWorker;
  start(): void;
  /** Stops each after its turn, in the order work flows, so nothing is left half done. */
  stop(): Promise<void>;
}

/**
 * Builds every worker and says who wakes whom, here and nowhere else:
 *   engine: a commit made journey runs due        -> journeys   (createApp passes journeys.wake to the Engine)
 *   journeys: a batch of turns queued messages    -> dispatcher, store webhooks
 *   routes: a message queued (Messaging.queued)   -> dispatcher
 *   dispatcher: outcomes queued store webhooks    -> store webhooks
 *   dispatcher: a 131050 refusal                  -> Messaging (consent withdrawn on the EventRoad) -> store webhooks
 *   sandbox channel: a send's reports             -> sandbox feed (rows)
 *   sandbox feed: reports applied                 -> store webhooks
 * Each worker is a BackgroundLoop (work/background-loop.ts): a wake only cuts its sleep short.
 */
export function buildWorkers(storage: Storage, engine: Engine, clock: Clock, options: WorkerOptions = {}): Workers {
  const { scope, logger } = options;
  const road = providerEventRoad(storage.db, engine);
  // This process as the other workers see it (one heartbeat for all its workers); a scoped
  // demo beside a server shares no numbers and takes over no one's work.
  const presence = scope ? undefined : new WorkerPresence(storage, clock);
  const webhooks = new WebhookDeliveryWorker(storage, clock, { logger, presence, ...options.messaging?.webhooks });
  const sandboxFeed = new SandboxStatusFeed(storage, road, clock, () => webhooks.wake(), { logger, scope });
  const sandbox = new SandboxChannel(clock, sandboxFeed, options.messaging?.sandbox);
  const channels = { whatsapp: new WhatsAppChannel(), messenger: new MessengerChannel(), sandbox };
  const dispatcher = new Dispatcher(
    storage,
    clock,
    channels,
    {
      ...options.messaging?.dispatcher,
      ...(scope ? { scope } : { presence }),
      onMarketingStopped: (message) => messaging.marketingRefused(message),
    },
    () => webhooks.wake(),
  );
  const messaging = new Messaging(storage, road, clock, { channels, sandbox, dispatcher, webhooks, sandboxFeed });
  const journeys = new JourneyWorker(
    storage,
    clock,
    { ...options.journeys, ...(scope ? { scope } : { presence }) },
    () => {
      dispatcher.wake();
      webhooks.wake();
    },
  );
  return {
    messaging,
    journeys,
    start() {
      dispatcher.start();
      webhooks.start();
      sandboxFeed.start();
      journeys.start();
    },
    async stop() {
      await journeys.stop();
      await dispatcher.stop();
      await messaging.settle();
      // After the dispatcher: its last sends' reports are kept before the feed stops.
      await sandboxFeed.stop();
      await webhooks.stop();
      await presence?.leave();
    },
  };
}

export interface App {
  storage: Storage;
  engine: Engine;
  messaging: Messaging;
  /** Runs journeys' due steps (the durable scheduler). */
  journeys: JourneyWorker;
  server: FastifyInstance;
  logger: Logger;
  /** The process's clock (injected; the system clock unless a test or `storewire demo` gave one). */
  clock: Clock;
  /** Stops taking requests, lets in-flight ones and their commits finish, closes the database. */
  close(): Promise<void>;
}

/** The composition root: one place where storage, engine, workers and HTTP are put together. */
export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /**
   * Run the journey worker, the dispatcher, the store webhooks and the sandbox's status feed in
   * the background (storewire start, roles worker and all; see cli/role.ts); tests tick them.
   */
  startWorkers?: boolean;
  messaging?: MessagingOptions;
  /** Group commit limits (tests lower the queue bound to see load shedding). */
  engine?: Partial<GroupCommitOptions>;
  journeys?: Partial<JourneyWorkerOptions>;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    if (await storage.ensureDatabase()) logger.info({ database: storage.describe }, 'created the database');
    await migrateToLatest(storage, (text) => logger.warn(text));
  } catch (error) {
    await storage.close();
    throw error;
  }
  const engine = new Engine(storage, clock, logger, options.engine, () => workers.journeys.wake());
  const workers = buildWorkers(storage, engine, clock, {
    logger,
    messaging: options.messaging,
    journeys: { publicUrl: config.publicUrl, ...options.journeys },
  });
  const { messaging, journeys } = workers;
  const metrics = createMetrics();
  metrics.registry.gauge(
    'storewire_group_commits_total',
    'Transactions written by group commit.',
    () => engine.commitStats.commits,
  );
  metrics.registry.gauge(
    'storewire_group_commit_events_total',
    'Events written by group commit.',
    () => engine.commitStats.events,
  );
  metrics.registry.gauge('process_resident_memory_bytes', 'Resident set size.', () => process.memoryUsage().rss);
  metrics.registry.gauge('nodejs_heap_size_used_bytes', 'V8 heap in use.', () => process.memoryUsage().heapUsed);
  metrics.registry.gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved.', () => process.memoryUsage().heapTotal);
  metrics.registry.gauge(
    'nodejs_external_memory_bytes',
    'Memory of C++ objects bound to JavaScript (buffers, SQLite).',
    () => process.memoryUsage().external,
  );
  metrics.registry.gauge('storewire_message_sends_total', 'Send outcomes the dispatcher recorded, by outcome.', () =>
    Object.entries(messaging.dispatcher.stats)
      .filter(([name]) => name !== 'inFlight')
      .map(([outcome, n]) => [{ outcome }, n] as [Record<string, string>, number]),
  );
  metrics.registry.gauge(
    'storewire_messages_in_flight',
    'Messages claimed and being paced or sent.',
    () => messaging.dispatcher.stats.inFlight,
  );
  metrics.registry.gauge(
    'storewire_journey_steps_total',
    'Journey steps this process executed.',
    () => journeys.stats.steps,
  );
  registerWorkGauges(metrics.registry, engine, workers);
  const server = await buildServer({
    storage,
    engine,
    messaging,
    journeys,
    metrics,
    clock,
    logger,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
  });
  if (options.startWorkers) workers.start();
  return {
    storage,
    engine,
    messaging,
    journeys,
    server,
    logger,
    clock,
    async close() {
      await server.close();
      await workers.stop();
      await engine.drain();
      await storage.close();
    },
  };
}

/**
 * The background loops' and batchers' own figures (work/), by name: how often each loop took a
 * turn, failed and was woken; how many commits each batcher made, with how many items, how many
 * failed or were refused for a full queue, and what waits for a commit now.
 */
function registerWorkGauges(registry: Registry, engine: Engine, workers: Workers): void {
  const { messaging, journeys } = workers;
  const loops = () => [
    journeys.loopReport(),
    messaging.dispatcher.workReport().loop,
    messaging.webhooks.loopReport(),
    messaging.sandboxFeed.workReport().loop,
  ];
  const batchers = () => [
    engine.commitReport(),
    messaging.queueWriter.batcherReport(),
    messaging.dispatcher.workReport().batcher,
    messaging.sandboxFeed.workReport().batcher,
  ];
  const byLoop = (pick: (r: LoopReport) => number) => () =>
    loops().map((r) => [{ loop: r.name }, pick(r)] as [Record<string, string>, number]);
  const byBatcher = (pick: (r: BatcherReport) => number) => () =>
    batchers().map((r) => [{ batcher: r.name }, pick(r)] as [Record<string, string>, number]);
  registry.gauge(
    'storewire_loop_turns_total',
    'Turns each background loop took.',
    byLoop((r) => r.turns),
  );
  registry.gauge(
    'storewire_loop_failures_total',
    'Turns that failed (the loop backed off).',
    byLoop((r) => r.failures),
  );
  registry.gauge(
    'storewire_loop_wakes_total',
    'Wakes each background loop was given.',
    byLoop((r) => r.wakes),
  );
  registry.gauge(
    'storewire_batcher_commits_total',
    'Transactions each batcher committed.',
    byBatcher((r) => r.commits),
  );
  registry.gauge(
    'storewire_batcher_items_total',
    'Items those transactions held.',
    byBatcher((r) => r.items),
  );
  registry.gauge(
    'storewire_batcher_failures_total',
    'Commits that failed.',
    byBatcher((r) => r.failures),
  );
  registry.gauge(
    'storewire_batcher_overloads_total',
    'Items refused because the queue was full.',
    byBatcher((r) => r.overloads),
  );
  registry.gauge(
    'storewire_batcher_queued',
    'Weight waiting for a commit now.',
    byBatcher((r) => r.queued),
  );
}

import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { Engine } from './engine/engine.js';
import type { GroupCommitOptions } from './engine/group-commit.js';
import { providerEventRoad } from './engine/provider-webhooks.js';
import { buildServer } from './http/server.js';
import { createMetrics } from './observability/metrics.js';
import { openStorage, type Storage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';
import { Messaging, type MessagingOptions } from './messaging/messaging.js';
import { JourneyWorker, type JourneyWorkerOptions } from './journeys/worker.js';

export interface App {
  storage: Storage;
  engine: Engine;
  messaging: Messaging;
  /** Runs journeys' due steps (the durable scheduler). */
  journeys: JourneyWorker;
  server: FastifyInstance;
  logger: Logger;
  /** Stops taking requests, lets in-flight ones and their commits finish, closes the database. */
  close(): Promise<void>;
}

/** The composition root: one place where storage, engine and HTTP are put together. */
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
  const engine = new Engine(storage, clock, logger, options.engine);
  const messaging = new Messaging(storage, providerEventRoad(storage.db, engine), clock, {
    ...options.messaging,
    webhooks: { logger, ...options.messaging?.webhooks },
  });
  const journeys = new JourneyWorker(storage, clock, { publicUrl: config.publicUrl, ...options.journeys }, () =>
    messaging.wake(),
  );
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
  if (options.startWorkers) {
    messaging.start();
    journeys.start();
  }
  return {
    storage,
    engine,
    messaging,
    journeys,
    server,
    logger,
    async close() {
      await server.close();
      await journeys.stop();
      await messaging.stop();
      await engine.drain();
      await storage.close();
    },
  };
}

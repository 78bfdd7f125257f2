import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Engine } from '../engine/engine.js';
import type { Messaging } from '../messaging/messaging.js';
import type { Metrics } from '../observability/metrics.js';
import type { Storage } from '../storage/database.js';
import { createAuthenticator } from './auth.js';
import { dashboardStatic } from './dashboard-static.js';
import { installErrorHandling } from './error-handler.js';
import { jsonHasNul, wellFormedJson } from './json-nul.js';
import { withRedactedRequests } from './log-redaction.js';
import { sendError } from './reply-error.js';
import type { RouteDeps } from './route-deps.js';
import { channelRoutes } from './routes/channels.js';
import { contactTimelineRoutes } from './routes/contact-timeline.js';
import { contactRoutes } from './routes/contacts.js';
import { eventRoutes } from './routes/events.js';
import { generateEventRoutes } from './routes/generate-event.js';
import { healthRoutes } from './routes/health.js';
import { messageRoutes } from './routes/messages.js';
import { orderListRoutes } from './routes/order-list.js';
import { orderRoutes } from './routes/orders.js';
import { overviewRoutes } from './routes/overview.js';
import { liveRoutes } from './routes/live.js';
import { productRoutes } from './routes/products.js';
import { recentEventRoutes } from './routes/recent-events.js';
import { segmentRoutes } from './routes/segment.js';
import { sessionRoutes } from './routes/session.js';
import { sendTemplateRoutes } from './routes/send-template.js';
import { shipmentRoutes } from './routes/shipments.js';
import { shippingWebhookRoutes } from './routes/shipping-webhooks.js';
import { shopifyWebhookRoutes } from './routes/shopify-webhooks.js';
import { storeConnectorRoutes } from './routes/store-connectors.js';
import { storeSettingsRoutes } from './routes/store-settings.js';
import { templateDraftRoutes } from './routes/template-drafts.js';
import { templateRoutes } from './routes/templates.js';
import { trackingPageRoutes } from './routes/tracking-page.js';
import { webhookInRoutes } from './routes/webhooks-in.js';
import { webhookSubscriptionRoutes } from './routes/webhook-subscriptions.js';
import { journeySettingsRoutes } from './routes/journey-settings.js';
import { journeyRoutes } from './routes/journeys.js';
import { sandboxInboundRoutes } from './routes/sandbox-inbound.js';
import { apiKeyRoutes } from './routes/api-key.js';
import { teamRoutes } from './routes/team.js';
import type { JourneyWorker } from '../journeys/worker.js';

export interface ServerOptions {
  storage: Storage;
  engine: Engine;
  messaging: Messaging;
  journeys?: JourneyWorker;
  metrics: Metrics;
  clock: Clock;
  logger?: Logger | false;
  /** PUBLIC_URL: the base of absolute links; https makes the session cookie Secure. */
  publicUrl: string;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For / -Proto to believe (config.ts). */
  trustProxy?: boolean | number | string[];
}

export const BODY_LIMIT = 1024 * 1024;

/** A hop count trusts that many proxies nearest to us (Fastify's types take it as a function). */
const fastifyTrustProxy = (trust: boolean | number | string[]) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Left out of /openapi.json on purpose (the document itself). */
  hidden: boolean;
}
const routeLists = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the server registered, but the HEAD routes Fastify adds for GETs: the isolation suite checks /openapi.json lists each. */
export const registeredRoutes = (app: FastifyInstance): RegisteredRoute[] => routeLists.get(app) ?? [];

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const requestLogging = !!options.logger && options.logger.isLevelEnabled('debug');
  const app = Fastify({
    loggerInstance: options.logger ? withRedactedRequests(options.logger) : undefined,
    bodyLimit: BODY_LIMIT,
    // Two log lines per request cost more than ingesting the event, so request lines are on
    // only at LOG_LEVEL=debug; errors are always logged.
    logController: new LogController({ disableRequestLogging: !requestLogging }),
    // A child logger per request (for its request id) is only worth it when requests are logged.
    ...(requestLogging ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
    ajv: { customOptions: { coerceTypes: false } },
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
  }) as unknown as FastifyInstance;
  app.decorateRequest('store', null);
  app.decorateRequest('member', null);
  const routes: RegisteredRoute[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, hidden: route.schema?.hide === true });
  });

  // Bodies are JSON whatever the content type says, so `curl -d '{...}'` works as written.
  // A NUL character is refused up front: PostgreSQL cannot store it in text, SQLite can, and
  // the two databases must answer alike.
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  const parseJsonWithoutNul: typeof parseJson = (request, body, done) => {
    if (typeof body === 'string' && jsonHasNul(body)) {
      done(
        Object.assign(new Error('NUL characters (\\u0000) are not accepted'), { statusCode: 400, code: 'NUL_IN_BODY' }),
        undefined,
      );
      return;
    }
    // Lone surrogates become U+FFFD as the databases would store them (json-nul.ts).
    parseJson(request, body, (error, value) =>
      error ? done(error, undefined) : done(null, wellFormedJson(value, body as string)),
    );
  };
  app.removeContentTypeParser(['text/plain', 'application/json']);
  app.addContentTypeParser(['application/json', '*'], { parseAs: 'string' }, parseJsonWithoutNul);
  app.addHook('onRequest', (request, reply, done) => {
    if (/%00/.test(request.url)) {
      void sendError(reply, 'VALIDATION_FAILED', 'NUL characters (%00) are not accepted in the URL');
      return;
    }
    done();
  });

  // Every answer says how long the server took (browsers show it; the dashboard bench measures
  // with it, the template editor's validate and preview POSTs included).
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(1)}`);
    done(null, payload);
  });

  app.addHook('onResponse', (_request, reply, done) => {
    options.metrics.httpResponses.inc({ status: String(reply.statusCode) });
    done();
  });
  installErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Storewire',
        version: '0.1.0',
        description:
          'Store events in; WhatsApp and Messenger messages out. Errors are {"error": {"code", "message", "details"}}.',
      },
      components: {
        securitySchemes: {
          storeKey: { type: 'http', scheme: 'bearer', description: 'The store API key.' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'sw_session',
            description:
              'The dashboard: the session cookie of POST /v1/session, with X-Store-Id naming the store and, on POST/PUT/PATCH/DELETE, X-CSRF-Token.',
          },
          segmentWriteKey: {
            type: 'http',
            scheme: 'basic',
            description: 'Segment write key (the store ingest token) as user, empty password; or writeKey in the body.',
          },
        },
      },
    },
  });

  const deps: RouteDeps = {
    storage: options.storage,
    engine: options.engine,
    metrics: options.metrics,
    clock: options.clock,
    auth: createAuthenticator(options.storage.db, {
      clock: options.clock,
      secureCookie: options.publicUrl.startsWith('https:'),
    }),
    publicUrl: options.publicUrl,
    messaging: options.messaging,
    wakeJourneys: () => options.journeys?.wake(),
  };
  healthRoutes(app, deps);
  sessionRoutes(app, deps);
  eventRoutes(app, deps);
  segmentRoutes(app, deps);
  generateEventRoutes(app, deps);
  shipmentRoutes(app, deps);
  contactRoutes(app, deps);
  contactTimelineRoutes(app, deps);
  orderRoutes(app, deps);
  orderListRoutes(app, deps);
  overviewRoutes(app, deps);
  liveRoutes(app, deps);
  productRoutes(app, deps);
  recentEventRoutes(app, deps);
  webhookInRoutes(app, deps);
  channelRoutes(app, deps);
  templateRoutes(app, deps);
  templateDraftRoutes(app, deps);
  messageRoutes(app, deps);
  sendTemplateRoutes(app, deps);
  webhookSubscriptionRoutes(app, deps, { onQueued: () => deps.messaging.wake() });
  storeConnectorRoutes(app, deps);
  storeSettingsRoutes(app, deps);
  apiKeyRoutes(app, deps);
  teamRoutes(app, deps);
  shopifyWebhookRoutes(app, deps);
  shippingWebhookRoutes(app, deps);
  journeyRoutes(app, deps);
  journeySettingsRoutes(app, deps);
  sandboxInboundRoutes(app, deps);
  await trackingPageRoutes(app, deps);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await dashboardStatic(app);
  await app.ready();
  return app;
}

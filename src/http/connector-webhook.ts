import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Store } from '../domain/store.js';
import type { StoreEvent } from '../domain/store-event.js';
import { parseJsonKeepingBigInts } from '../ingest/json-big-ints.js';
import { recordIgnored, type ConnectorName } from '../storage/connectors.js';
import { readJsonText } from './json-nul.js';
import { sendError } from './reply-error.js';
import type { RouteDeps } from './route-deps.js';

/**
 * Webhooks from connected platforms are authenticated over the body's exact bytes (Shopify's
 * HMAC) or a header (Shiprocket's token) before anything is read from them: in this scope the
 * body arrives as a Buffer, and the handler parses it only once the sender is known, so an
 * unauthenticated request is a 401 whatever it contains.
 */
export function rawBodyScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, body);
    });
    routes(scope);
  });
}

/** The body as JSON (ids past 2^53 kept exact), or the 400 already sent. */
export function parseWebhookBody(
  raw: Buffer,
  reply: FastifyReply,
): { ok: true; value: unknown } | { ok: false; sent: FastifyReply } {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { ok: false, sent: sendError(reply, 'EMPTY_BODY', 'the request needs a JSON body') };
  const read = readJsonText(text, { parse: parseJsonKeepingBigInts, limitDepth: true });
  return read.ok ? read : { ok: false, sent: sendError(reply, read.code, read.message) };
}

export interface DeliveryResult {
  accepted: number;
  duplicates: number;
  /** Events (or the whole delivery) answered 200 but not applied, with why. */
  ignored: { code: string; message: string }[];
  warnings: { code: string; message: string }[];
}

export const emptyResult = (): DeliveryResult => ({ accepted: 0, duplicates: 0, ignored: [], warnings: [] });

export interface DeliveryContext {
  connector: ConnectorName;
  /** The topic (Shopify) or status (Shiprocket) the ignored counts are kept under. */
  topic: string;
  deliveryId: string | null;
}

/**
 * Applies a delivery's events on the one road. What the engine refuses (an order that names
 * nobody, a shipment id of another order) cannot be fixed by sending it again, so it is
 * answered 200 like an ignored delivery, and counted where the store can see it.
 */
export async function applyDelivery(
  deps: RouteDeps,
  store: Store,
  events: StoreEvent[],
  context: DeliveryContext,
  into: DeliveryResult,
): Promise<void> {
  const outcomes = await deps.engine.apply(store, events);
  for (const outcome of outcomes) {
    deps.metrics.events.inc({ source: context.connector, outcome: outcome.status });
    if (outcome.status === 'accepted') {
      into.accepted += 1;
      into.warnings.push(...outcome.warnings);
    } else if (outcome.status === 'duplicate') {
      into.duplicates += 1;
    } else if (outcome.status === 'ignored') {
      into.ignored.push(outcome.reason);
    } else {
      into.ignored.push({ code: outcome.error.code, message: outcome.error.message });
      await recordIgnored(
        deps.storage.db,
        {
          storeId: store.id,
          connector: context.connector,
          topic: context.topic,
          reason: outcome.error.code,
          deliveryId: context.deliveryId,
        },
        deps.clock.now(),
      );
    }
  }
}

/** Counts a delivery set aside, under its topic and reason (GET /v1/stores/{id}/connectors/{name}). */
export async function noteIgnored(
  deps: RouteDeps,
  store: Store,
  context: DeliveryContext,
  reason: string,
): Promise<void> {
  deps.metrics.events.inc({ source: context.connector, outcome: 'ignored' });
  await recordIgnored(
    deps.storage.db,
    { storeId: store.id, connector: context.connector, topic: context.topic, reason, deliveryId: context.deliveryId },
    deps.clock.now(),
  );
}

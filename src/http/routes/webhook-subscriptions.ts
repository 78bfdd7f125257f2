import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { parseJson } from '../../storage/json.js';
import { deliveriesOfStore, type DeliveryStatus, type WebhookDelivery } from '../../storage/webhook-deliveries.js';
import { subscriptionsOfStore, type WebhookSubscription } from '../../storage/webhook-subscriptions.js';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../../webhooks-out/event-types.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  MAX_URL_LENGTH,
  retryWebhookDelivery,
} from '../../webhooks-out/subscriptions.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const EventList = Type.Array(Type.Enum([...WEBHOOK_EVENT_TYPES, ALL_EVENTS]), {
  minItems: 1,
  maxItems: WEBHOOK_EVENT_TYPES.length + 1,
  description: `Event types to receive: ${WEBHOOK_EVENT_TYPES.join(', ')}, or "*" for all (the default).`,
});

const CreateBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: MAX_URL_LENGTH,
      description: 'An http:// or https:// URL that accepts POSTs.',
    }),
    events: Type.Optional(EventList),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 256,
        description: 'Signs every delivery; generated (whsec_...) when not given.',
      }),
    ),
  },
  { additionalProperties: false },
);

const SubscriptionView = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean({ description: 'false once the URL answered 410 Gone' }),
  createdAt: Type.String(),
});

const CreatedView = Type.Object({
  ...SubscriptionView.properties,
  secret: Type.String({ description: 'Shown only in this answer.' }),
});

const DeliveryView = Type.Object({
  id: Type.String({ description: 'Also the body\'s "id" and X-Storewire-Delivery: the same on every attempt.' }),
  subscriptionId: Type.String(),
  type: Type.String(),
  status: Type.Enum([...DELIVERY_STATUSES]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  deliveredAt: Nullable(Type.String()),
  nextAttemptAt: Nullable(
    Type.String({ description: 'When a pending delivery is tried next; null once delivered or failed.' }),
  ),
  data: Type.Unknown({ description: 'The event payload, as sent in the body\'s "data".' }),
});

const presentSubscription = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  active: s.active,
  createdAt: iso(s.createdAt)!,
});

const presentDelivery = (d: WebhookDelivery) => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  createdAt: iso(d.createdAt)!,
  deliveredAt: iso(d.deliveredAt),
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  data: parseJson<unknown>(d.payload, null),
});

function limitOf(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_LIMIT;
  const limit = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new AppError('VALIDATION_FAILED', `limit must be a whole number from 1 to ${MAX_LIMIT}`, {
      path: 'querystring/limit',
    });
  }
  return limit;
}

export interface WebhookRouteOptions {
  /** Called after a delivery is queued again (the delivery worker's wake()). */
  onQueued?: () => void;
}

/** The store's own webhooks: subscriptions, the delivery log, and retrying a failed delivery. */
export function webhookSubscriptionRoutes(
  app: FastifyInstance,
  deps: RouteDeps,
  options: WebhookRouteOptions = {},
): void {
  const { storage, clock } = deps;
  const tags = ['webhooks'];

  app.post<{ Body: { url: string; events?: string[]; secret?: string } }>('/v1/webhooks/subscriptions', {
    schema: {
      summary: 'Subscribe a URL to events; the answer holds the signing secret, shown only here',
      tags,
      security: bearerAuth,
      body: CreateBody,
      response: { 201: CreatedView },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const subscription = await createWebhookSubscription(storage, store.id, request.body, clock.now());
      return reply.code(201).send({ ...presentSubscription(subscription), secret: subscription.secret });
    },
  });

  app.get('/v1/webhooks/subscriptions', {
    schema: {
      summary: "The store's webhook subscriptions (secrets are never shown)",
      tags,
      security: bearerAuth,
      response: { 200: Type.Object({ subscriptions: Type.Array(SubscriptionView) }) },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      return { subscriptions: (await subscriptionsOfStore(storage.db, store.id)).map(presentSubscription) };
    },
  });

  app.delete<{ Params: { id: string } }>('/v1/webhooks/subscriptions/:id', {
    schema: {
      summary: 'Delete a subscription; its pending deliveries are given up',
      tags,
      security: bearerAuth,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      await deleteWebhookSubscription(storage, store.id, request.params.id, clock.now());
      return reply.code(204).send();
    },
  });

  app.get<{ Querystring: { status?: DeliveryStatus; type?: string; subscription?: string; limit?: string } }>(
    '/v1/webhooks/deliveries',
    {
      schema: {
        summary: 'The delivery log, newest first',
        tags,
        security: bearerAuth,
        querystring: Type.Object({
          status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])),
          type: Type.Optional(Type.Enum([...WEBHOOK_EVENT_TYPES])),
          subscription: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'A subscription id' })),
          limit: Type.Optional(Type.String({ description: `1 to ${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })),
        }),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliveryView) }) },
      },
      onRequest: deps.auth.storeKey,
      handler: async (request) => {
        const store = storeOf(request);
        const { status, type, subscription } = request.query;
        const deliveries = await deliveriesOfStore(storage.db, store.id, {
          status,
          type,
          subscriptionId: subscription,
          limit: limitOf(request.query.limit),
        });
        return { deliveries: deliveries.map(presentDelivery) };
      },
    },
  );

  app.post<{ Params: { id: string } }>('/v1/webhooks/deliveries/:id/retry', {
    schema: {
      summary: 'Send a failed delivery again, now, with a fresh series of attempts',
      tags,
      security: bearerAuth,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 202: DeliveryView },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const delivery = await retryWebhookDelivery(storage, store.id, request.params.id, clock.now());
      options.onQueued?.();
      return reply.code(202).send(presentDelivery(delivery));
    },
  });
}

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { adaptGenerateEvent } from '../../ingest/generate-event.js';
import { nestedDeeperThan, tooDeep } from '../../ingest/validate.js';
import { GenerateEventBody, GenerateEventResult } from '../../ingest/generate-event-schema.js';
import { storeOf } from '../auth.js';
import { knownCode } from '../batch-answer.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, storeContext, type RouteDeps } from '../route-deps.js';

/**
 * Seed 003's "Generate event": order events (orderCreated, orderUpdated, orderDelivered,
 * orderCancelled) and custom events. Order events are deduplicated by their content, or by an
 * Idempotency-Key header when the client sends one.
 */
export function generateEventRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/generate-event', {
    schema: {
      summary: 'Send an order or custom event (seed 003)',
      tags: ['events'],
      security: bearerAuth,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: GenerateEventBody,
      response: { 200: GenerateEventResult },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      if (nestedDeeperThan(request.body))
        return sendError(reply, 'VALIDATION_FAILED', tooDeep().message, { path: 'body' });
      const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
      const adapted = adaptGenerateEvent(
        { body: request.body, idempotencyKey, receivedAt: deps.clock.now() },
        storeContext(store),
      );
      if (!adapted.ok) {
        deps.metrics.events.inc({ source: 'generate_event', outcome: 'rejected' });
        const { code, message, path, details } = adapted.error;
        return sendError(reply, knownCode(code), message, {
          ...(path ? { path } : {}),
          ...((details as object) ?? {}),
        });
      }
      const [outcome] = await deps.engine.apply(store, [adapted.event]);
      deps.metrics.events.inc({ source: 'generate_event', outcome: outcome!.status });
      switch (outcome!.status) {
        case 'rejected': {
          const { code, message, details } = outcome.error;
          return sendError(reply, knownCode(code), message, details);
        }
        case 'ignored':
          return {
            accepted: 0,
            duplicates: 0,
            status: 'ignored',
            eventId: outcome.eventId,
            contactId: null,
            reason: outcome.reason,
            warnings: [],
          };
        case 'duplicate':
          return {
            accepted: 0,
            duplicates: 1,
            status: 'duplicate',
            eventId: outcome.eventId,
            contactId: null,
            warnings: [],
          };
        case 'accepted':
          return {
            accepted: 1,
            duplicates: 0,
            status: 'accepted',
            eventId: outcome.eventId,
            contactId: outcome.contactId,
            ...(outcome.orderId ? { orderId: outcome.orderId } : {}),
            warnings: outcome.warnings,
          };
      }
    },
  });
}

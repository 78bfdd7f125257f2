import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { normalizeCustomerId } from '../../domain/identity.js';
import type { Store } from '../../domain/store.js';
import { AppError } from '../../errors.js';
import { findContactByIdentity } from '../../storage/contacts.js';
import { eventsOfContact } from '../../storage/events.js';
import { storeOf } from '../auth.js';
import { readGetBody } from '../read-get-body.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const DEFAULT_COUNT = 5;
const MAX_COUNT = 100;

const RecentEventsResponse = Type.Object({
  customer_id: Type.String(),
  organization_id: Type.String({ description: 'The Storewire store id.' }),
  recent_events: Type.Array(
    Type.Object({
      event_name: Type.String(),
      sub_event_name: Type.Optional(Type.String()),
      timestamp: Type.String(),
    }),
  ),
  customer: Type.Object({
    customer_id: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
  }),
});

function eventCount(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_COUNT;
  // A number, or a string of digits (a query parameter); not true, [5] or "1e2", which Number() would take.
  const count = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new AppError('VALIDATION_FAILED', `event_count must be a whole number from 1 to ${MAX_COUNT}`, {
      path: 'event_count',
    });
  }
  return count;
}

/**
 * Seed 001's "Journey Exit API": a shopper's latest activity, newest first, so that a journey
 * (Storewire's or a partner's) can see whether the shopper moved on since it started.
 */
export function recentEventRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  async function answer(store: Store, rawCustomerId: unknown, rawCount: unknown, reply: FastifyReply) {
    const customerId = normalizeCustomerId(rawCustomerId);
    if (!customerId) return sendError(reply, 'VALIDATION_FAILED', 'customer_id is required', { path: 'customer_id' });
    const count = eventCount(rawCount);
    const contact = await findContactByIdentity(db, store.id, { kind: 'customer_id', value: customerId });
    if (!contact) return sendError(reply, 'CUSTOMER_NOT_FOUND', `no customer ${customerId} in this store`);
    const events = await eventsOfContact(db, store.id, contact.id, { limit: count, activityOnly: true });
    return {
      customer_id: customerId,
      organization_id: store.id,
      recent_events: events.map((e) => ({
        event_name: e.name,
        ...(e.subName ? { sub_event_name: e.subName } : {}),
        timestamp: e.timestamp,
      })),
      customer: { customer_id: customerId, email: contact.email, phone: contact.phone, name: contact.name },
    };
  }

  app.get<{ Params: { customer_id: string }; Querystring: { event_count?: string } }>(
    '/v1/customers/:customer_id/recent-events',
    {
      schema: {
        summary: "A customer's recent events, newest first (seed 001 Journey Exit API)",
        tags: ['events'],
        security: bearerAuth,
        params: Type.Object({ customer_id: Type.String({ minLength: 1 }) }),
        querystring: Type.Object({
          event_count: Type.Optional(Type.String({ description: `1 to ${MAX_COUNT}, default ${DEFAULT_COUNT}` })),
        }),
        response: { 200: RecentEventsResponse },
      },
      onRequest: deps.auth.storeKey,
      handler: (request, reply) =>
        answer(storeOf(request), request.params.customer_id, request.query.event_count, reply),
    },
  );

  app.get<{ Querystring: { customer_id?: string; event_count?: string } }>('/fetch-user-events', {
    schema: {
      summary: 'The same, in seed 001 form: customer_id and event_count in the query or in a JSON body',
      tags: ['events'],
      security: bearerAuth,
      querystring: Type.Object({
        customer_id: Type.Optional(Type.String()),
        event_count: Type.Optional(Type.String()),
      }),
      response: { 200: RecentEventsResponse },
    },
    onRequest: deps.auth.storeKey,
    handler: async (
      request: FastifyRequest<{ Querystring: { customer_id?: string; event_count?: string } }>,
      reply,
    ) => {
      // Seed 001 sends both in a JSON body; a query parameter wins over the body, field by field.
      const body = await readGetBody(request);
      const customerId = request.query.customer_id ?? body?.customer_id;
      const count = request.query.event_count ?? body?.event_count;
      return answer(storeOf(request), customerId, count, reply);
    },
  });
}

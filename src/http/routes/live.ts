import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { liveVersion } from '../../storage/live-topics.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const Topic = Type.String({
  pattern: '^(store|contact:[A-Za-z0-9_-]{1,100}|journey:[A-Za-z0-9_.:-]{1,100})$',
  description:
    '`store` (anything the overview counts), `contact:<contactId>` (its events, messages, orders, runs) or `journey:<journeyId>` (its runs).',
});

/**
 * GET /v1/live: the change cursor of what a page shows (docs/overview.md, "Live"). A page polls
 * it and reads again when the cursor moved; the cursor is kept in the database, so it moves
 * whichever API process took the write.
 */
export function liveRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Querystring: { topic: string } }>('/v1/live', {
    schema: {
      summary: 'A change cursor: it moves when what a page shows changes',
      tags: ['stats'],
      security: bearerAuth,
      querystring: Type.Object({ topic: Topic }),
      response: { 200: Type.Object({ cursor: Type.String() }) },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const version = await liveVersion(deps.storage.db, store.id, request.query.topic);
      // Polled every few seconds: never from a cache.
      reply.header('cache-control', 'no-store');
      return { cursor: String(version) };
    },
  });
}

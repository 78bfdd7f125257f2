import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { rotateApiKey } from '../../engine/stores.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

/** API key rotation (docs/dashboard.md, "API key"): the owner's, as every route the access table does not open. */
export function apiKeyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/store/api-key', {
    schema: {
      summary: 'A new API key for the store, shown once; the old key stops working at once',
      tags: ['store'],
      security: bearerAuth,
      response: {
        201: Type.Object({
          apiKey: Type.String({ description: 'Shown only in this answer: the store keeps its SHA-256 hash.' }),
          rotatedAt: Type.String(),
        }),
      },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const apiKey = await rotateApiKey(deps.storage.db, store.id);
      // This process forgets the old key now; other API processes within their cache's few seconds.
      deps.auth.forget(store.id);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ apiKey, rotatedAt: new Date(deps.clock.now()).toISOString() });
    },
  });
}

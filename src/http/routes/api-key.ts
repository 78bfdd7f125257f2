import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ingestPath, rotateApiKey, rotateIngestToken } from '../../engine/stores.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

/**
 * The store's secrets made anew (docs/dashboard.md, "The team and the API key"): the API key,
 * and the ingest token (the ingest URL's secret and the Segment write key). The owner's, as
 * every route the access table does not open. Each is shown in its answer only: the store keeps
 * its SHA-256.
 */
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

  app.post('/v1/store/ingest-token', {
    schema: {
      summary:
        'A new ingest token (the ingest URL and the Segment write key), shown once; the old one stops working at once',
      tags: ['store'],
      security: bearerAuth,
      response: {
        201: Type.Object({
          ingestToken: Type.String({ description: 'Shown only in this answer; also the Segment write key.' }),
          ingestUrl: Type.String({ description: 'PUBLIC_URL + /v1/ingest/<token>/events' }),
          rotatedAt: Type.String(),
        }),
      },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const ingestToken = await rotateIngestToken(deps.storage.db, store.id);
      deps.auth.forget(store.id);
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({
        ingestToken,
        ingestUrl: `${deps.publicUrl}${ingestPath(ingestToken)}`,
        rotatedAt: new Date(deps.clock.now()).toISOString(),
      });
    },
  });
}

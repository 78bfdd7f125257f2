import type { FastifyInstance } from 'fastify';
import { pingDatabase } from '../../storage/health.js';
import type { RouteDeps } from '../route-deps.js';

export function healthRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness and database reachability', tags: ['operations'] } },
    async (_request, reply) => {
      try {
        await pingDatabase(deps.storage.db);
        return { status: 'ok', database: deps.storage.dialect };
      } catch (error) {
        reply.code(503);
        return { status: 'unavailable', database: deps.storage.dialect, error: (error as Error).message };
      }
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'] } }, async (_request, reply) => {
    reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return deps.metrics.registry.render();
  });
}

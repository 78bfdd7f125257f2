import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { adaptNativeEvent } from '../../ingest/native-events.js';
import { IngestResult, NativeEventsBody } from '../../ingest/native-schemas.js';
import { batchIngestHandler } from '../batch-ingest.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

/** Seed 001's event webhooks: with the store key, or at the store's unique ingest URL. */
export function eventRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const ingest = batchIngestHandler(deps, {
    noun: 'events',
    source: 'native',
    adapt: adaptNativeEvent,
    successStatus: 202,
  });

  const schema = {
    body: NativeEventsBody,
    response: { 202: IngestResult },
  };

  app.post('/v1/events', {
    schema: { ...schema, summary: 'Send store events (seed 001)', tags: ['events'], security: bearerAuth },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: ingest,
  });

  app.post<{ Params: { ingestToken: string } }>('/v1/ingest/:ingestToken/events', {
    schema: {
      ...schema,
      params: Type.Object({ ingestToken: Type.String() }),
      summary: "Send store events to the store's unique URL (no key: the token is the secret)",
      tags: ['events'],
    },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.ingestToken,
    handler: ingest,
  });
}

import type { FastifyInstance } from 'fastify';
import { IngestResult } from '../../ingest/native-schemas.js';
import { adaptShipmentEvent } from '../../ingest/shipment-events.js';
import { ShipmentEventsBody } from '../../ingest/shipment-schema.js';
import { batchIngestHandler } from '../batch-ingest.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

/** Shipment status updates (docs/shipments.md): one, an array, or {"events": [...]}. */
export function shipmentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/shipments/events', {
    schema: {
      summary: "Record shipment status updates for an order's timeline",
      tags: ['shipments'],
      security: bearerAuth,
      body: ShipmentEventsBody,
      response: { 202: IngestResult },
    },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: batchIngestHandler(deps, {
      noun: 'events',
      source: 'shipment_api',
      adapt: adaptShipmentEvent,
      successStatus: 202,
    }),
  });
}

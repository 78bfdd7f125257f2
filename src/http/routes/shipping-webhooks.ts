import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHIPPING_TOKEN_HEADER, SHIPPING_WEBHOOK_PATH } from '../../engine/connectors.js';
import { adaptShiprocketTracking } from '../../ingest/shiprocket/tracking.js';
import { connectorsByLookupKey } from '../../storage/connectors.js';
import { findStoreById, hashSecret } from '../../storage/stores.js';
import { applyDelivery, emptyResult, noteIgnored, parseWebhookBody, rawBodyScope } from '../connector-webhook.js';
import { knownCode } from '../batch-answer.js';
import { sendError } from '../reply-error.js';
import { storeContext, type RouteDeps } from '../route-deps.js';

/**
 * The shipping partner's tracking webhook (Shiprocket's shape; docs/connectors-shopify.md).
 * The per-store token in the x-api-key header says which store it is for; without a known
 * token the answer is 401 and nothing is stored.
 */
export function shippingWebhookRoutes(app: FastifyInstance, deps: RouteDeps): void {
  rawBodyScope(app, (scope) => {
    scope.post(SHIPPING_WEBHOOK_PATH, {
      schema: {
        summary:
          "Shipping partner tracking webhook (Shiprocket's shape), authenticated by the store's token in x-api-key",
        tags: ['connectors'],
      },
      handler: async (request, reply) => receive(deps, request, reply),
    });
  });
}

async function receive(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const given = request.headers[SHIPPING_TOKEN_HEADER];
  const token = (Array.isArray(given) ? given[0] : given)?.trim();
  const [connector] = token ? await connectorsByLookupKey(deps.storage.db, 'shiprocket', hashSecret(token)) : [];
  const store = connector ? await findStoreById(deps.storage.db, connector.storeId) : null;
  if (!store)
    return sendError(
      reply,
      'UNAUTHORIZED',
      `send the store's shipping webhook token in the ${SHIPPING_TOKEN_HEADER} header`,
    );

  const body = parseWebhookBody(request.rawBody ?? Buffer.alloc(0), reply);
  if (!body.ok) return body.sent;
  const adapted = adaptShiprocketTracking(body.value, storeContext(store));
  if (adapted.kind === 'invalid') {
    const { error } = adapted;
    return sendError(reply, knownCode(error.code), error.message, error.path ? { path: error.path } : undefined);
  }
  const result = emptyResult();
  if (adapted.kind === 'ignored') {
    await noteIgnored(
      deps,
      store,
      { connector: 'shiprocket', topic: adapted.topic, deliveryId: null },
      adapted.reason.code,
    );
    result.ignored.push(adapted.reason);
  } else {
    const status = adapted.events[0]!.subName ?? 'shipment';
    await applyDelivery(
      deps,
      store,
      adapted.events,
      { connector: 'shiprocket', topic: status, deliveryId: adapted.events[0]!.eventId },
      result,
    );
  }
  deps.messaging.wake();
  return reply.code(200).send(result);
}

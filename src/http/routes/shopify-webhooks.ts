import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeShopDomain } from '../../domain/shop-domain.js';
import { SHOPIFY_WEBHOOK_PATH } from '../../engine/connectors.js';
import { shopifyHmacMatches } from '../../ingest/shopify/hmac.js';
import { adaptShopifyWebhook } from '../../ingest/shopify/webhook.js';
import { connectorsByLookupKey, type Connector } from '../../storage/connectors.js';
import { findStoreById } from '../../storage/stores.js';
import { applyDelivery, emptyResult, noteIgnored, parseWebhookBody, rawBodyScope } from '../connector-webhook.js';
import { sendError } from '../reply-error.js';
import { storeContext, type RouteDeps } from '../route-deps.js';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Shopify's webhooks for every connected shop (docs/connectors-shopify.md). The shop is found
 * by X-Shopify-Shop-Domain and proven by X-Shopify-Hmac-Sha256 over the raw body; the topic
 * header says what the body is. Answers: 200 once stored (or deliberately ignored, so Shopify
 * does not retry it for hours), 401 for an unknown shop or a wrong signature (nothing stored),
 * 400 for a body that is not what its topic says.
 */
export function shopifyWebhookRoutes(app: FastifyInstance, deps: RouteDeps): void {
  rawBodyScope(app, (scope) => {
    scope.post(SHOPIFY_WEBHOOK_PATH, {
      schema: {
        summary: 'Shopify webhooks: checkouts, orders, fulfillments, customers (HMAC-signed; no API key)',
        tags: ['connectors'],
      },
      handler: async (request, reply) => receive(deps, request, reply),
    });
  });
}

async function receive(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = request.rawBody ?? Buffer.alloc(0);
  const connectors = await signedBy(
    deps,
    header(request, 'x-shopify-shop-domain'),
    raw,
    header(request, 'x-shopify-hmac-sha256'),
  );
  if (connectors.length === 0) {
    return sendError(
      reply,
      'UNAUTHORIZED',
      'X-Shopify-Shop-Domain names no connected shop, or X-Shopify-Hmac-Sha256 does not match the body signed with its app secret',
    );
  }
  const topic = header(request, 'x-shopify-topic')?.trim().toLowerCase();
  if (!topic)
    return sendError(reply, 'VALIDATION_FAILED', 'the X-Shopify-Topic header is required', {
      path: 'headers/x-shopify-topic',
    });
  const body = parseWebhookBody(raw, reply);
  if (!body.ok) return body.sent;
  // Shopify always sends the id; without it, the delivery's own content is its identity.
  const webhookId =
    header(request, 'x-shopify-webhook-id')?.trim() ||
    `sha256-${createHash('sha256').update(topic).update(raw).digest('hex').slice(0, 40)}`;

  const result = emptyResult();
  const now = deps.clock.now();
  for (const connector of connectors) {
    const store = await findStoreById(deps.storage.db, connector.storeId);
    if (!store) continue;
    const adapted = adaptShopifyWebhook({ topic, webhookId, payload: body.value }, storeContext(store), now);
    const context = { connector: 'shopify' as const, topic, deliveryId: webhookId };
    if (adapted.kind === 'mismatch') {
      const { error } = adapted;
      return sendError(reply, 'WEBHOOK_TOPIC_MISMATCH', error.message, {
        topic,
        ...(error.path ? { path: error.path } : {}),
      });
    }
    if (adapted.kind === 'ignored') {
      await noteIgnored(deps, store, context, adapted.reason.code);
      result.ignored.push(adapted.reason);
      continue;
    }
    await applyDelivery(deps, store, adapted.events, context, result);
  }
  deps.messaging.wake();
  return reply.code(200).send({ topic, ...result });
}

/** The connected stores of the shop whose app secret signed these bytes (normally one). */
async function signedBy(
  deps: RouteDeps,
  domainHeader: string | undefined,
  raw: Buffer,
  hmac: string | undefined,
): Promise<Connector[]> {
  const domain = normalizeShopDomain(domainHeader);
  if (!domain || !hmac) return [];
  const candidates = await connectorsByLookupKey(deps.storage.db, 'shopify', domain);
  return candidates.filter((c) => shopifyHmacMatches(c.secrets.appSecret ?? '', raw, hmac));
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Store } from '../../domain/store.js';
import {
  connectShiprocket,
  connectShopify,
  disconnect,
  isConnectorName,
  listConnectors,
  readConnector,
} from '../../engine/connectors.js';
import { storeOf } from '../auth.js';
import { presentConnector } from '../presenters/connector.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const StoreParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ConnectorParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 32 }),
});

const ShopifyBody = Type.Object({
  shopDomain: Type.String({
    minLength: 1,
    maxLength: 255,
    description: 'The permanent domain, your-shop.myshopify.com',
  }),
  appSecret: Type.String({
    minLength: 1,
    maxLength: 4096,
    description: "The Shopify app's client secret (API secret key): it signs the webhooks",
  }),
});

/**
 * The store's own resources under /v1/stores/{id}: the API key names the store, and {id} must
 * be that store. Another id is answered 404 — whether it exists is not the key holder's business.
 */
function ownStore(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Store | null {
  const store = storeOf(request);
  if (request.params.id === store.id) return store;
  void sendError(reply, 'STORE_NOT_FOUND', `no store ${request.params.id} for this API key`);
  return null;
}

/** Connecting Shopify and the shipping partner (docs/connectors-shopify.md). */
export function storeConnectorRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.put<{ Params: { id: string }; Body: Type.Static<typeof ShopifyBody> }>('/v1/stores/:id/connectors/shopify', {
    schema: {
      summary: "Connect the store's Shopify shop (the app secret is never returned)",
      tags: ['connectors'],
      security: bearerAuth,
      params: StoreParams,
      body: ShopifyBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = ownStore(request, reply);
      if (!store) return reply;
      const connector = await connectShopify(deps.storage, store.id, request.body, deps.clock.now());
      return presentConnector(connector);
    },
  });

  app.put<{ Params: { id: string } }>('/v1/stores/:id/connectors/shiprocket', {
    schema: {
      summary:
        "A new token for the shipping partner's tracking webhook, shown this once (the previous one stops working)",
      tags: ['connectors'],
      security: bearerAuth,
      params: StoreParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = ownStore(request, reply);
      if (!store) return reply;
      const { connector, token } = await connectShiprocket(deps.storage, store.id, deps.clock.now());
      return { ...presentConnector(connector), token };
    },
  });

  app.get<{ Params: { id: string } }>('/v1/stores/:id/connectors', {
    schema: { summary: "The store's connectors", tags: ['connectors'], security: bearerAuth, params: StoreParams },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = ownStore(request, reply);
      if (!store) return reply;
      return { connectors: (await listConnectors(deps.storage, store.id)).map((c) => presentConnector(c)) };
    },
  });

  app.get<{ Params: { id: string; name: string } }>('/v1/stores/:id/connectors/:name', {
    schema: {
      summary: 'A connector, with the deliveries it answered 200 but did not apply',
      tags: ['connectors'],
      security: bearerAuth,
      params: ConnectorParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = ownStore(request, reply);
      if (!store) return reply;
      const { name } = request.params;
      const found = isConnectorName(name) ? await readConnector(deps.storage, store.id, name) : null;
      if (!found) return sendError(reply, 'CONNECTOR_NOT_FOUND', `the store has no ${name} connector`);
      return presentConnector(found.connector, found.ignored);
    },
  });

  app.delete<{ Params: { id: string; name: string } }>('/v1/stores/:id/connectors/:name', {
    schema: {
      summary: 'Disconnect: its webhooks are refused (401) from now on',
      tags: ['connectors'],
      security: bearerAuth,
      params: ConnectorParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = ownStore(request, reply);
      if (!store) return reply;
      const { name } = request.params;
      if (!isConnectorName(name) || !(await disconnect(deps.storage, store.id, name))) {
        return sendError(reply, 'CONNECTOR_NOT_FOUND', `the store has no ${name} connector`);
      }
      return reply.code(204).send();
    },
  });
}

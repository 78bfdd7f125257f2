import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { trackingUrl } from '../../domain/links.js';
import { adaptWhatsAppSubscription, WhatsAppSubscriptionBody } from '../../ingest/whatsapp-subscription.js';
import { getContact } from '../../storage/contacts.js';
import { getOrder } from '../../storage/orders.js';
import { shipmentsOfOrder } from '../../storage/shipments.js';
import { storeOf } from '../auth.js';
import { presentOrder } from '../presenters/order.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, storeContext, type RouteDeps } from '../route-deps.js';

const OrderParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 256 }) });

/** Seed 004: read an order with its timeline, and opt its shopper in to WhatsApp. */
export function orderRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  app.get<{ Params: { orderId: string } }>('/v1/orders/:orderId', {
    schema: {
      summary: 'Read an order with items, shipment timeline and the WhatsApp flag (seed 004)',
      tags: ['orders'],
      security: bearerAuth,
      params: OrderParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const order = await getOrder(db, store.id, request.params.orderId);
      if (!order) return sendError(reply, 'ORDER_NOT_FOUND', `no order ${request.params.orderId} in this store`);
      const [shipments, contact] = await Promise.all([
        shipmentsOfOrder(db, store.id, order.orderId),
        order.contactId ? getContact(db, store.id, order.contactId) : null,
      ]);
      return {
        ...presentOrder(store, order, shipments, contact),
        trackingUrl: trackingUrl(deps.publicUrl, order.trackingToken),
      };
    },
  });

  app.post<{ Params: { orderId: string }; Body: WhatsAppSubscriptionBody }>(
    '/v1/orders/:orderId/whatsapp-subscription',
    {
      schema: {
        summary: 'Set the WhatsApp status of the contact with this phone AND email (seed 004)',
        tags: ['orders'],
        security: bearerAuth,
        params: OrderParams,
        body: WhatsAppSubscriptionBody,
      },
      onRequest: deps.auth.storeKey,
      handler: async (request, reply) => {
        const store = storeOf(request);
        const body = request.body;
        // Seed 004's failure answer, whatever failed: the order-tracking page knows only that shape.
        const failure = () =>
          reply.code(404).send({ error: 'failed to update customers', reason: 'no entry exist in customer table' });
        // The opt-in is made from an order's page: an order this store does not have updates nobody,
        // rather than letting any URL change the store's contacts.
        if (!(await getOrder(db, store.id, request.params.orderId))) return failure();
        if (String(body.accountId) !== store.id) return failure();
        const event = adaptWhatsAppSubscription(body, request.params.orderId, storeContext(store), deps.clock.now());
        if (!event) return failure();
        const [outcome] = await deps.engine.apply(store, [event]);
        if (outcome?.status !== 'accepted') return failure();
        return { ...body, status: 'updated successfully' };
      },
    },
  );
}

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { fromMinor } from '../../domain/money.js';
import { getProduct } from '../../storage/products.js';
import { storeOf } from '../auth.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

/** The catalog Storewire keeps from the products events mention, for messages to use. */
export function productRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { productId: string }; Querystring: { variant_id?: string } }>('/v1/products/:productId', {
    schema: {
      summary: 'A product as the latest event that mentioned it described it',
      tags: ['products'],
      security: bearerAuth,
      params: Type.Object({ productId: Type.String({ minLength: 1, maxLength: 256 }) }),
      querystring: Type.Object({ variant_id: Type.Optional(Type.String({ maxLength: 256 })) }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const { productId } = request.params;
      const product = await getProduct(deps.storage.db, store.id, productId, request.query.variant_id ?? '');
      if (!product)
        return sendError(
          reply,
          'PRODUCT_NOT_FOUND',
          `no product ${productId}${request.query.variant_id ? ` variant ${request.query.variant_id}` : ''} in this store`,
        );
      return {
        productId: product.productId,
        variantId: product.variantId || null,
        title: product.title,
        price: fromMinor(product.priceMinor, product.currency),
        currency: product.currency,
        url: product.url,
        imageUrl: product.imageUrl,
        seenAt: new Date(product.seenAt).toISOString(),
      };
    },
  });
}

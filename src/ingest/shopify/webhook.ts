import type { StoreContext } from '../../domain/store-event.js';
import { adaptCheckout } from './checkout.js';
import type { Raw, ShopifyAdapted, ShopifyDelivery } from './common.js';
import { adaptCustomer } from './customer.js';
import { adaptFulfillment, adaptFulfillmentEvent } from './fulfillment.js';
import { adaptOrder } from './order.js';

export type { ShopifyAdapted } from './common.js';

type Adapter = (delivery: ShopifyDelivery, ctx: StoreContext, receivedAt: number) => ShopifyAdapted;

const ADAPTERS: Record<string, Adapter> = {
  'checkouts/create': adaptCheckout,
  'checkouts/update': adaptCheckout,
  'orders/create': adaptOrder,
  'orders/updated': adaptOrder,
  'orders/paid': adaptOrder,
  'orders/cancelled': adaptOrder,
  'orders/fulfilled': adaptOrder,
  'fulfillments/create': adaptFulfillment,
  'fulfillments/update': adaptFulfillment,
  'fulfillment_events/create': adaptFulfillmentEvent,
  'customers/create': adaptCustomer,
  'customers/update': adaptCustomer,
};

export const isKnownShopifyTopic = (topic: string) => topic in ADAPTERS;

/**
 * One Shopify webhook delivery -> the canonical events it means (pure). `webhookId` is
 * X-Shopify-Webhook-Id, the same on every retry: the events' ids derive from it, so a
 * redelivery is a duplicate.
 */
export function adaptShopifyWebhook(
  input: { topic: string; webhookId: string; payload: unknown },
  ctx: StoreContext,
  receivedAt: number,
): ShopifyAdapted {
  const adapter = ADAPTERS[input.topic];
  if (!adapter) {
    return {
      kind: 'ignored',
      reason: {
        code: 'UNKNOWN_TOPIC',
        message: `Storewire does not use ${input.topic} webhooks; unsubscribe from it in Shopify`,
      },
    };
  }
  if (input.payload === null || typeof input.payload !== 'object' || Array.isArray(input.payload)) {
    return {
      kind: 'mismatch',
      error: {
        code: 'WEBHOOK_TOPIC_MISMATCH',
        message: `not a ${input.topic} payload: the body must be a JSON object`,
        path: 'body',
      },
    };
  }
  return adapter(
    { topic: input.topic, eventId: `shopify:${input.webhookId}`, payload: input.payload as Raw },
    ctx,
    receivedAt,
  );
}

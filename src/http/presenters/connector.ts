import {
  SHIPPING_TOKEN_HEADER,
  SHIPPING_WEBHOOK_PATH,
  SHOPIFY_TOPICS,
  SHOPIFY_WEBHOOK_PATH,
} from '../../engine/connectors.js';
import type { Connector, IgnoredDeliveries } from '../../storage/connectors.js';

const iso = (at: number) => new Date(at).toISOString();

/**
 * A connector as the API shows it: what to configure on the other side (webhook path, topics,
 * token header), never a secret. `ignored` lists deliveries answered 200 but not applied.
 */
export function presentConnector(connector: Connector, ignored?: IgnoredDeliveries[]) {
  const common = {
    connector: connector.connector,
    status: connector.status,
    connectedAt: iso(connector.createdAt),
    updatedAt: iso(connector.updatedAt),
    ...(ignored
      ? {
          ignored: ignored.map((i) => ({
            topic: i.topic,
            reason: i.reason,
            count: i.count,
            firstAt: iso(i.firstAt),
            lastAt: iso(i.lastAt),
            lastDeliveryId: i.lastDeliveryId,
          })),
        }
      : {}),
  };
  if (connector.connector === 'shopify') {
    return {
      ...common,
      shopDomain: connector.config.shopDomain,
      webhookUrl: SHOPIFY_WEBHOOK_PATH,
      topics: [...SHOPIFY_TOPICS],
    };
  }
  return { ...common, webhookUrl: SHIPPING_WEBHOOK_PATH, tokenHeader: SHIPPING_TOKEN_HEADER };
}

import { newSecret } from '../domain/ids.js';
import { normalizeShopDomain } from '../domain/shop-domain.js';
import { AppError } from '../errors.js';
import {
  connectorsOfStore,
  deleteConnector,
  getConnector,
  ignoredOfConnector,
  putConnector,
  type Connector,
  type ConnectorName,
  type IgnoredDeliveries,
} from '../storage/connectors.js';
import type { Storage } from '../storage/database.js';
import { hashSecret } from '../storage/stores.js';

/** Where Shopify posts (every store: the shop domain header and the signature say which). */
export const SHOPIFY_WEBHOOK_PATH = '/v1/shopify/webhooks';
/**
 * Where the shipping partner posts. Shiprocket refuses a webhook URL containing "shiprocket",
 * "kartrocket", "sr" or "kr", so the path names none of them.
 */
export const SHIPPING_WEBHOOK_PATH = '/v1/shipping/tracking-webhook';
export const SHIPPING_TOKEN_HEADER = 'x-api-key';

/** The Shopify topics Storewire applies; docs/connectors-shopify.md tells a store to subscribe to these. */
export const SHOPIFY_TOPICS = [
  'checkouts/create',
  'checkouts/update',
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'fulfillments/create',
  'fulfillments/update',
  'fulfillment_events/create',
  'customers/create',
  'customers/update',
] as const;

export interface ShopifyInput {
  shopDomain: string;
  appSecret: string;
}

/**
 * Connects a Shopify shop. The app secret is kept as given, not hashed: verifying a webhook's
 * HMAC needs the secret itself (as for WhatsApp's app secret). It is never shown again.
 */
export async function connectShopify(
  storage: Storage,
  storeId: string,
  input: ShopifyInput,
  now: number,
): Promise<Connector> {
  const shopDomain = normalizeShopDomain(input.shopDomain);
  if (!shopDomain) {
    throw new AppError(
      'VALIDATION_FAILED',
      `"${input.shopDomain}" is not a shop domain such as your-shop.myshopify.com (the permanent domain, not a custom one)`,
      {
        path: '/shopDomain',
      },
    );
  }
  const appSecret = typeof input.appSecret === 'string' ? input.appSecret.trim() : '';
  if (appSecret === '' || appSecret.length > 4096) {
    throw new AppError(
      'VALIDATION_FAILED',
      "appSecret must be the Shopify app's client secret (1 to 4,096 characters)",
      { path: '/appSecret' },
    );
  }
  const saved = await putConnector(
    storage.db,
    { storeId, connector: 'shopify', lookupKey: shopDomain, config: { shopDomain }, secrets: { appSecret } },
    now,
  );
  if (saved === 'taken') {
    throw new AppError(
      'PROVIDER_ID_TAKEN',
      `the shop ${shopDomain} is connected to another store: its owner can disconnect it (DELETE /v1/stores/{id}/connectors/shopify), or an operator with "storewire channels release --channel shopify"`,
      { path: '/shopDomain' },
    );
  }
  return saved;
}

/**
 * Gives the store a new token for the shipping partner's webhook; an earlier token stops
 * working at once. Only its hash is kept: the token is shown this once.
 */
export async function connectShiprocket(
  storage: Storage,
  storeId: string,
  now: number,
): Promise<{ connector: Connector; token: string }> {
  const token = newSecret('sw_ship');
  // A fresh random token: no other store can hold its hash.
  const connector = await putConnector(
    storage.db,
    { storeId, connector: 'shiprocket', lookupKey: hashSecret(token), config: {}, secrets: {} },
    now,
  );
  if (connector === 'taken') throw new Error('a new shipping token collided with another store');
  return { connector, token };
}

export function isConnectorName(name: string): name is ConnectorName {
  return name === 'shopify' || name === 'shiprocket';
}

export async function readConnector(
  storage: Storage,
  storeId: string,
  name: ConnectorName,
): Promise<{ connector: Connector; ignored: IgnoredDeliveries[] } | null> {
  const connector = await getConnector(storage.db, storeId, name);
  if (!connector) return null;
  return { connector, ignored: await ignoredOfConnector(storage.db, storeId, name) };
}

export async function listConnectors(storage: Storage, storeId: string): Promise<Connector[]> {
  return connectorsOfStore(storage.db, storeId);
}

export async function disconnect(storage: Storage, storeId: string, name: ConnectorName): Promise<boolean> {
  return deleteConnector(storage.db, storeId, name);
}

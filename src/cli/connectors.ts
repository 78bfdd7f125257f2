import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import {
  connectShiprocket,
  connectShopify,
  SHIPPING_TOKEN_HEADER,
  SHIPPING_WEBHOOK_PATH,
  SHOPIFY_TOPICS,
  SHOPIFY_WEBHOOK_PATH,
} from '../engine/connectors.js';
import { normalizeShopDomain } from '../domain/shop-domain.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { findStoreById } from '../storage/stores.js';

export const CONNECT_USAGE = `storewire stores connect-shopify --store <id> --shop-domain <shop>.myshopify.com --app-secret <secret> [--json]
storewire stores connect-shiprocket --store <id> [--json]

  connect-shopify      verify Shopify's webhooks for the store with the app's client secret
  connect-shiprocket   a new token for the shipping partner's tracking webhook (shown once)
  --json               print the result as JSON and nothing else`;

type Action = 'connect-shopify' | 'connect-shiprocket';

export const isConnectAction = (action: string | undefined): action is Action =>
  action === 'connect-shopify' || action === 'connect-shiprocket';

function usage(message: string): number {
  process.stderr.write(`${message}\n\n${CONNECT_USAGE}\n`);
  return 2;
}

/** storewire stores connect-shopify | connect-shiprocket: the same as the PUT routes, for an operator. */
export async function connectCommand(config: Config, action: Action, argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        'shop-domain': { type: 'string' },
        'app-secret': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return usage((error as Error).message);
  }
  if (!values.store) return usage('--store is required');
  if (action === 'connect-shopify') {
    if (!values['shop-domain'] || !values['app-secret']) return usage('--shop-domain and --app-secret are required');
    // Checked before the database is opened (or created) at all.
    if (!normalizeShopDomain(values['shop-domain']))
      return usage(`"${values['shop-domain']}" is not a shop domain such as your-shop.myshopify.com`);
  }
  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(storage);
    if (!(await findStoreById(storage.db, values.store))) {
      process.stderr.write(`no store ${values.store}\n`);
      return 1;
    }
    const out =
      action === 'connect-shopify'
        ? await shopify(storage, values.store, values['shop-domain']!, values['app-secret']!)
        : await shiprocket(storage, values.store);
    process.stdout.write(values.json ? `${JSON.stringify(out.json)}\n` : `${out.text.join('\n')}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

async function shopify(storage: Storage, storeId: string, shopDomain: string, appSecret: string) {
  const connector = await connectShopify(storage, storeId, { shopDomain, appSecret }, Date.now());
  const domain = String(connector.config.shopDomain);
  return {
    json: {
      connector: 'shopify',
      storeId,
      shopDomain: domain,
      webhookUrl: SHOPIFY_WEBHOOK_PATH,
      topics: SHOPIFY_TOPICS,
    },
    text: [
      `Connected ${domain} to store ${storeId}.`,
      `In Shopify, send webhooks (JSON) to <your Storewire URL>${SHOPIFY_WEBHOOK_PATH} for: ${SHOPIFY_TOPICS.join(', ')}`,
    ],
  };
}

async function shiprocket(storage: Storage, storeId: string) {
  const { token } = await connectShiprocket(storage, storeId, Date.now());
  return {
    json: {
      connector: 'shiprocket',
      storeId,
      token,
      webhookUrl: SHIPPING_WEBHOOK_PATH,
      tokenHeader: SHIPPING_TOKEN_HEADER,
    },
    text: [
      `Shipping webhook token for store ${storeId}: ${token}`,
      `In Shiprocket (Settings > API > Webhooks), set the URL to <your Storewire URL>${SHIPPING_WEBHOOK_PATH} and the security token to it.`,
      'Keep it now: it is stored hashed and cannot be shown again. Any earlier token stops working.',
    ],
  };
}

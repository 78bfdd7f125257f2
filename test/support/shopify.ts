import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import type { Harness } from './harness.js';

export const SHOP = 'jsmith.myshopify.com';
export const APP_SECRET = 'shpss_test_0123456789abcdef0123456789abcdef';

/** A fixture's exact bytes, as Shopify would put them on the wire. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}

/** Shopify's X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app secret. */
export const shopifySignature = (body: string, secret = APP_SECRET) =>
  createHmac('sha256', secret).update(body).digest('base64');

export interface Delivery {
  topic: string;
  /** Object bodies are serialized here; strings are sent as they are. */
  body: string | object;
  webhookId?: string;
  shop?: string;
  secret?: string;
  /** Overrides the computed signature (null: no header). */
  hmac?: string | null;
}

let counter = 0;

/** POSTs a delivery to /v1/shopify/webhooks as Shopify does: no API key, signed, with its headers. */
export function deliver(h: Harness, delivery: Delivery): Promise<LightMyRequestResponse> {
  const body = typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': delivery.topic,
    'x-shopify-shop-domain': delivery.shop ?? SHOP,
    'x-shopify-webhook-id': delivery.webhookId ?? `wh-${++counter}-${Date.now()}`,
    'x-shopify-api-version': '2026-07',
    'x-shopify-triggered-at': new Date().toISOString(),
  };
  const hmac = delivery.hmac === undefined ? shopifySignature(body, delivery.secret) : delivery.hmac;
  if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac;
  return h.call('POST', '/v1/shopify/webhooks', body, { as: null, headers });
}

/** Connects the harness store to SHOP with APP_SECRET. */
export async function connectShop(h: Harness): Promise<void> {
  const res = await h.call('PUT', `/v1/stores/${h.shop.store.id}/connectors/shopify`, {
    shopDomain: SHOP,
    appSecret: APP_SECRET,
  });
  if (res.statusCode !== 200) throw new Error(`connecting the shop failed: ${res.statusCode} ${res.body}`);
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { signBody } from '../src/channels/signature.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/engine/stores.js';
import { redactUrl } from '../src/http/log-redaction.js';
import { inboundWebhook, startFakeWhatsApp } from './support/fake-meta/index.js';
import { seedEvent } from './support/fixtures.js';
import { freePort, repoRoot, startProcess } from './support/processes.js';
import { fixtureText, shopifySignature } from './support/shopify.js';

/**
 * Secrets stay out of the log: `storewire start` at LOG_LEVEL=debug, every secret it was given
 * put to use (API key, ingest token and Segment write key, Meta's verify token, access token
 * and app secret, Shopify's app secret, the shipping webhook token, a store webhook secret),
 * then its whole output searched for each. And the error handler's lines, at the default level.
 */
const dir = mkdtempSync(join(tmpdir(), 'storewire-log-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: `sqlite:${join(dir, 'log.db')}`,
  STOREWIRE_DATA_DIR: dir,
  STOREWIRE_DEMO_STORE: '0',
  ...extra,
});

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'storewire.js'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env() },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
  });
}

describe('secrets in logs', () => {
  it('redacts the ingest token, Storewire secrets in a path and secret query parameters from URLs', () => {
    expect(redactUrl('/v1/ingest/sw_ing_abcdefghijklmnopqrstuvwx/events?x=1')).toBe('/v1/ingest/[redacted]/events?x=1');
    expect(redactUrl('/v1/ingest/short/events')).toBe('/v1/ingest/[redacted]/events');
    expect(redactUrl('/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=vt-123&hub.challenge=42')).toBe(
      '/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42',
    );
    expect(redactUrl('/v1/anything/sw_key_abcdefghijklmnopqrstuvwx?api_key=k&writeKey=w&page=2')).toBe(
      '/v1/anything/[redacted]?api_key=[redacted]&writeKey=[redacted]&page=2',
    );
  });

  it('storewire start at LOG_LEVEL=debug logs every request, and no secret it was given', async () => {
    const created = JSON.parse(await run(['stores', 'create', '--name', 'Log Shop', '--country', 'IN', '--json']));
    const apiKey: string = created.apiKey;
    const ingestToken = String(created.ingestUrl).split('/v1/ingest/')[1]!.split('/')[0]!;
    const port = await freePort();
    const server = await startProcess(
      [join(repoRoot, 'bin', 'storewire.js'), 'start'],
      env({ PORT: String(port), LOG_LEVEL: 'debug' }),
      /listening on/,
    );
    const fake = await startFakeWhatsApp({ accessToken: 'EAAG-access-token-secret', appSecret: 'meta-app-secret-xyz' });
    const base = `http://127.0.0.1:${port}`;
    const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers = {}) => {
      const res = await request(`${base}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.statusCode, text: await res.body.text() };
    };
    const keyed = { authorization: `Bearer ${apiKey}` };
    const secrets: Record<string, string> = {
      apiKey,
      ingestToken,
      verifyToken: 'meta-verify-token-secret',
      accessToken: fake.accessToken,
      appSecret: fake.appSecret,
      shopifySecret: 'shpss_shopify_app_secret_1',
      subscriptionSecret: 'whsec_store_webhook_secret_1',
    };
    try {
      const storeId = created.id as string;
      expect(
        (
          await call(
            'PUT',
            '/v1/channels/whatsapp',
            {
              phoneNumberId: '106540352242922',
              accessToken: secrets.accessToken,
              appSecret: secrets.appSecret,
              verifyToken: secrets.verifyToken,
              apiBaseUrl: fake.url,
            },
            keyed,
          )
        ).status,
      ).toBe(200);
      const check = await call(
        'GET',
        `/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${secrets.verifyToken}&hub.challenge=77`,
      );
      expect(check).toEqual({ status: 200, text: '77' });
      const hook = JSON.stringify(inboundWebhook('text', { phoneNumberId: '106540352242922', from: '919800000001' }));
      expect(
        (
          await call('POST', '/v1/webhooks/whatsapp', hook, {
            'x-hub-signature-256': signBody(secrets.appSecret!, hook),
          })
        ).status,
      ).toBe(200);
      const event = seedEvent('product_view', { event_id: 'log-1' });
      expect((await call('POST', `/v1/ingest/${ingestToken}/events`, event)).status).toBe(202);
      expect((await call('POST', `/v1/ingest/${ingestToken}/events`, '{"broken": ')).status).toBe(400);
      const basic = `Basic ${Buffer.from(`${ingestToken}:`).toString('base64')}`;
      expect(
        (
          await call(
            'POST',
            '/v1/batch',
            { batch: [{ type: 'track', userId: 'c1', event: 'Hi' }] },
            { authorization: basic },
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await call(
            'PUT',
            `/v1/stores/${storeId}/connectors/shopify`,
            { shopDomain: 'log-shop.myshopify.com', appSecret: secrets.shopifySecret },
            keyed,
          )
        ).status,
      ).toBe(200);
      const order = fixtureText('shopify/orders_create.sample.json');
      const shopify = await call('POST', '/v1/shopify/webhooks', order, {
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'log-shop.myshopify.com',
        'x-shopify-hmac-sha256': shopifySignature(order, secrets.shopifySecret!),
      });
      expect(shopify.status).toBe(200);
      const shipping = await call('PUT', `/v1/stores/${storeId}/connectors/shiprocket`, undefined, keyed);
      expect(shipping.status, shipping.text).toBe(200);
      secrets.shippingToken = JSON.parse(shipping.text).token;
      expect(
        (await call('POST', '/v1/shipping/tracking-webhook', { awb: '1' }, { 'x-api-key': secrets.shippingToken }))
          .status,
      ).toBeLessThan(500);
      expect(
        (
          await call(
            'POST',
            '/v1/webhooks/subscriptions',
            { url: 'https://example.com/hook', secret: secrets.subscriptionSecret },
            keyed,
          )
        ).status,
      ).toBe(201);
      // A client that puts its key in the query string by mistake.
      expect((await call('GET', `/v1/channels?api_key=${apiKey}`)).status).toBe(401);
    } finally {
      await fake.close();
      await server.stop();
    }
    const log = server.output();
    // The control: request lines are there, with the URLs they redacted.
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toContain('/v1/ingest/[redacted]/events');
    expect(log).toContain('hub.verify_token=[redacted]');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(log.includes(secret), `${name} is in the log`).toBe(false);
    }
  }, 120_000);

  it("the error handler's lines, at the default level, carry the URL without its secrets", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = { ...loadConfig({}), databaseUrl: `sqlite:${join(dir, 'errors.db')}` };
    const app = await createApp(config, { logger: pino({ level: 'info' }, sink) });
    const store = await createStore(app.storage, { name: 'Broken' });
    // The database goes away under the server: the request fails, and the failure is logged.
    await app.storage.db.destroy();
    const res = await app.server.inject({
      method: 'POST',
      url: `/v1/ingest/${store.ingestToken}/events?token=${store.apiKey}`,
      payload: { event_id: 'e1', event_name: 'product_view', customer: { customer_id: 'c1' } },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    const log = lines.join('');
    expect(log).toMatch(/request failed|database unavailable/);
    expect(log).toContain('/v1/ingest/[redacted]/events?token=[redacted]');
    expect(log).not.toContain(store.ingestToken);
    expect(log).not.toContain(store.apiKey);
    await app.server.close();
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureText, shopifySignature } from './support/shopify.js';

/**
 * The connector commands as an operator runs them (`node bin/storewire.js stores ...` in its
 * own process), then `storewire start` serving real HTTP on loopback, taking a signed Shopify
 * webhook and a Shiprocket one with what the commands set up.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'storewire.js');
const dir = mkdtempSync(join(tmpdir(), 'storewire-cli-connectors-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'PORT', 'HOST', 'STOREWIRE_DATA_DIR', 'STOREWIRE_DEMO_STORE', 'LOG_LEVEL'])
    delete base[key];
  return { ...base, DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, STOREWIRE_DATA_DIR: dir, ...extra };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function start(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: env({ PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (/Health: \S+\/healthz/.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`start exited ${code}:\n${out}`)));
  });
}

describe('storewire stores connect-shopify / connect-shiprocket', () => {
  it('connects a store from the command line, and the running server takes both webhooks', async () => {
    const created = await run([
      'stores',
      'create',
      '--name',
      'CLI Shop',
      '--country',
      'IN',
      '--time-zone',
      'Asia/Kolkata',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const { id, apiKey } = JSON.parse(created.stdout);

    const bad = await run([
      'stores',
      'connect-shopify',
      '--store',
      id,
      '--shop-domain',
      'shop.example.com',
      '--app-secret',
      's',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('myshopify.com');
    const missing = await run([
      'stores',
      'connect-shopify',
      '--store',
      'st_nope',
      '--shop-domain',
      'cli-shop.myshopify.com',
      '--app-secret',
      's',
    ]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'no store st_nope']);

    const shopify = await run([
      'stores',
      'connect-shopify',
      '--store',
      id,
      '--shop-domain',
      'CLI-Shop.myshopify.com',
      '--app-secret',
      'cli-secret',
      '--json',
    ]);
    expect(shopify.code).toBe(0);
    expect(JSON.parse(shopify.stdout)).toMatchObject({
      connector: 'shopify',
      shopDomain: 'cli-shop.myshopify.com',
      webhookUrl: '/v1/shopify/webhooks',
    });
    const shipping = await run(['stores', 'connect-shiprocket', '--store', id, '--json']);
    expect(shipping.code).toBe(0);
    const { token } = JSON.parse(shipping.stdout);
    expect(token).toMatch(/^sw_ship_/);

    const port = await freePort();
    const server = await start(port);
    const base = `http://127.0.0.1:${port}`;
    const order = fixtureText('shopify/orders_create.sample.json');
    const webhook = await fetch(`${base}/v1/shopify/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': 'cli-shop.myshopify.com',
        'x-shopify-webhook-id': 'cli-1',
        'x-shopify-hmac-sha256': shopifySignature(order, 'cli-secret'),
      },
      body: order,
    });
    expect(webhook.status).toBe(200);
    const tracking = await fetch(`${base}/v1/shipping/tracking-webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': token },
      body: fixtureText('shipping/shiprocket_tracking_webhook.sample.json'),
    });
    expect(tracking.status).toBe(200);
    const read = await fetch(`${base}/v1/orders/820982911946154508`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(((await read.json()) as { status: string }).status).toBe('CANCELLED');
    const listed = (await (
      await fetch(`${base}/v1/stores/${id}/connectors`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json()) as { connectors: { connector: string }[] };
    expect(listed.connectors.map((c) => c.connector)).toEqual(['shiprocket', 'shopify']);
    server.kill('SIGTERM');
  }, 120_000);
});

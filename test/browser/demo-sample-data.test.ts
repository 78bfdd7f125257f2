/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_NDR_ORDER, SAMPLE_NDR_RESOLUTIONS, SAMPLE_SHOPPERS } from '../../src/cli/demo-sample-data.js';
import type { TestDatabase } from '../support/databases.js';
import { freePort, repoRoot, startProcess, type Started } from '../support/processes.js';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import { apiFromPage, expectAccessible, openPage, screenshot, type UserPage } from './support/pages.js';
import { buildDashboard } from './support/web-build.js';

/**
 * Issue 13's "done when", as a newcomer does it: a fresh database, `npm start` (storewire start
 * with nothing set but where the database is), the printed sign-in link opened in the browser,
 * and the demo store's contacts, orders and messages are there — the sample data the start that
 * made the demo store put in, through the product's own road. A restart adds nothing; a store
 * made before the first start stays empty; `--no-sample-data` starts empty.
 */

const BIN = join(repoRoot, 'bin', 'storewire.js');
const BANNER = /Health: \S+\/healthz/;
const SHOPPERS = Object.values(SAMPLE_SHOPPERS);
const ORDERS = ['SW-1001', 'SW-1002', 'SW-1003', 'SW-1004'];

/** A newcomer's environment: nothing of ours inherited but where the database is and the port. */
function newcomerEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of Object.keys(env)) if (key.startsWith('STOREWIRE_')) delete env[key];
  for (const key of ['DATABASE_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'LOG_LEVEL']) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

const cli = (env: Record<string, string>, args: string[]) =>
  execFileSync(process.execPath, [BIN, ...args], { cwd: repoRoot, env, encoding: 'utf8' });

describeInBrowser('the demo store after npm start', (target) => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;
  let baseUrl: string;
  let server: Started | null = null;
  let browser: Browser;
  let owner: UserPage;
  let storeId: string;
  let otherStore: { id: string; apiKey: string };
  const shoot = target.dialect === 'sqlite';
  const cleanups: (() => Promise<void>)[] = [];
  const inDemo = (path: string) => `${baseUrl}/stores/${storeId}${path}`;
  const api = async (path: string) => {
    const answer = await apiFromPage(owner.page, storeId, path);
    expect(answer.status, path).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    await buildDashboard();
    database = await target.create();
    dataDir = mkdtempSync(join(tmpdir(), 'storewire-newcomer-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = newcomerEnv({ DATABASE_URL: database.url, STOREWIRE_DATA_DIR: dataDir, PORT: String(port) });
    // A store of the user's own, made before the first start: the sample data is never put there.
    otherStore = JSON.parse(cli(env, ['stores', 'create', '--name', 'My Shop', '--json']));
    server = await startProcess([BIN, 'start'], env, BANNER, 90_000);
    browser = await launchChromium();
    owner = await openPage(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const cleanup of cleanups) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('prints what the demo store holds, and the link opens the dashboard on it', async () => {
    const output = server!.output();
    expect(output).toContain('Sample data (made now, once): 5 shoppers, 4 orders');
    expect(output).toContain('--no-sample-data (or STOREWIRE_SAMPLE_DATA=0)');
    storeId = /Demo store "Demo Store" \((st_\w+)/.exec(output)![1]!;
    const link = /Dashboard: open (\S+)/.exec(output)![1]!;
    const { page } = owner;
    await page.goto(link);
    await page.waitForURL(inDemo('/overview'));
    // The overview shows today: the orders and messages the sample data made are today's.
    await expect.poll(() => page.locator('main').textContent(), { timeout: 20_000 }).toMatch(/Orders/);
  });

  it('contacts: the sample shoppers, with their WhatsApp consent', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await page.waitForURL(inDemo('/contacts'));
    for (const shopper of SHOPPERS) await page.getByRole('link', { name: shopper.name, exact: true }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(SHOPPERS.length);
    await expectAccessible(page, 'contacts');

    await page.getByRole('link', { name: SAMPLE_SHOPPERS.rohan.name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(SAMPLE_SHOPPERS.rohan.name);
    const panel = (name: string) => page.getByRole('region', { name });
    await expect.poll(() => panel('Consent').textContent()).toContain('Subscribed');
    await expect.poll(() => panel('Cart').textContent()).toContain('Leather Sandals - Tan');
    // The timeline loads on its own.
    await expect.poll(() => panel('Timeline').textContent()).toContain('Add to cart');
    expect(await panel('Timeline').textContent()).toContain('Product view');
  });

  it('orders: four, one delivered, and the failed delivery with the courier’s resolutions', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL(inDemo('/orders'));
    await expect
      .poll(async () => (await page.locator('tbody th').allTextContents()).sort())
      .toEqual(ORDERS.map((id) => `Order ${id}`));
    await page.getByLabel('Status').selectOption('DELIVERED');
    await expect.poll(() => page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('SW-1001')]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectAccessible(page, 'orders');

    await page.getByRole('link', { name: `Order ${SAMPLE_NDR_ORDER}` }).click();
    await page.waitForURL(inDemo(`/orders/${SAMPLE_NDR_ORDER}`));
    const shipment = page.getByRole('region', { name: /Shipment SHP-1002/ });
    await shipment.waitFor();
    const text = await shipment.textContent();
    for (const step of ['Created', 'Packed', 'Shipped', 'Out for delivery', 'Failed delivery'])
      expect(text).toContain(step);
    for (const resolution of SAMPLE_NDR_RESOLUTIONS) expect(text).toContain(resolution.action);
    expect(await page.getByRole('region', { name: 'Items' }).textContent()).toContain('Cotton Saree - Indigo');
    // Its picture is drawn offline (the demo shop is not on the internet).
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'Items' })
          .locator('img')
          .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth > 0)),
      )
      .toEqual([true]);
    await expectAccessible(page, 'order');
    if (shoot) await screenshot(page, 'demo-order');
  });

  it('messages: the journeys’ receipts and failed-delivery question, delivered and read through the sandbox; one failed with the reason', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await page.waitForURL(inDemo('/messages'));
    // The server's own workers send them; the sandbox reports within seconds.
    const statuses = async () => {
      const { messages } = await api('/v1/messages');
      return (messages as { templateName: string; recipient: string; status: string }[])
        .map((m) => `${m.templateName} ${m.recipient} ${m.status}`)
        .sort();
    };
    await expect
      .poll(statuses, { timeout: 30_000 })
      .toEqual(
        [
          `ndr_options ${SAMPLE_SHOPPERS.diya.phone} read`,
          `order_receipt ${SAMPLE_SHOPPERS.diya.phone} read`,
          `order_receipt ${SAMPLE_SHOPPERS.kabir.phone} failed`,
          `order_receipt ${SAMPLE_SHOPPERS.meera.phone} read`,
        ].sort(),
      );
    await page.reload();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);
    const rows = (await page.locator('tbody tr').allTextContents()).join('\n');
    expect(rows).toContain('Read');
    expect(rows).toContain('Failed');
    await page.getByLabel('Journey').selectOption('failed_delivery');
    await expect
      .poll(() => page.locator('tbody tr').allTextContents())
      .toEqual([expect.stringContaining(SAMPLE_SHOPPERS.diya.phone)]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectAccessible(page, 'messages');
    if (shoot) await screenshot(page, 'demo-messages');

    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.locator('tbody th a').first().click();
    await page.getByRole('heading', { name: 'Why it failed' }).waitFor();
    expect(await page.getByRole('note').textContent()).toContain('131026');

    // The overview (the last 7 days of the store, by default) counts them, and the orders.
    await page.goto(inDemo('/overview'));
    const tile = (label: string) =>
      page
        .locator('.kpi')
        .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd');
    for (const [label, value] of Object.entries({ Messages: '4', Read: '3', Failed: '1', Orders: '4' }))
      await expect.poll(() => tile(label).textContent(), { message: label }).toBe(value);
    await expectAccessible(page, 'overview');
    if (shoot) await screenshot(page, 'demo-overview');

    // Two journeys on; the one the README's tour enables is left for it.
    const { journeys } = await api('/v1/journeys');
    expect(
      (journeys as { id: string; enabled: boolean }[])
        .filter((j) => j.enabled)
        .map((j) => j.id)
        .sort(),
    ).toEqual(['failed_delivery', 'order_receipt']);
  });

  it('a restart adds nothing, and the store made before the first start stays empty', async () => {
    const before = {
      contacts: (await api('/v1/contacts?limit=100')).contacts.length,
      orders: (await api('/v1/orders?limit=100')).orders.length,
      messages: (await api('/v1/messages?limit=100')).messages.length,
    };
    expect(before).toEqual({ contacts: 5, orders: 4, messages: 4 });
    await server!.stop();
    server = await startProcess([BIN, 'start'], env, BANNER, 90_000);
    expect(server.output()).not.toContain('Sample data');
    expect(/Demo store "Demo Store" \((st_\w+)/.exec(server.output())![1]).toBe(storeId);
    const link = /Dashboard: open (\S+)/.exec(server.output())![1]!;
    await owner.page.goto(link);
    await owner.page.waitForURL(inDemo('/overview'));
    // The journeys' workers ran again on the restart: still nothing new.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect({
      contacts: (await api('/v1/contacts?limit=100')).contacts.length,
      orders: (await api('/v1/orders?limit=100')).orders.length,
      messages: (await api('/v1/messages?limit=100')).messages.length,
    }).toEqual(before);

    const other = async (path: string) =>
      (await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${otherStore.apiKey}` } })).json();
    expect((await other('/v1/contacts')).contacts).toEqual([]);
    expect((await other('/v1/orders')).orders).toEqual([]);
    expect((await other('/v1/messages')).messages).toEqual([]);
  }, 120_000);

  it('`start --no-sample-data` on another new database: the demo store starts empty', async () => {
    const fresh = await target.create();
    const dir = mkdtempSync(join(tmpdir(), 'storewire-empty-'));
    cleanups.push(async () => {
      rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    });
    const port = await freePort();
    const empty = await startProcess(
      [BIN, 'start', '--no-sample-data'],
      newcomerEnv({ DATABASE_URL: fresh.url, STOREWIRE_DATA_DIR: dir, PORT: String(port) }),
      BANNER,
      90_000,
    );
    try {
      expect(empty.output()).not.toContain('Sample data');
      const apiKey = /API key:\s+(\S+)/.exec(empty.output())![1]!;
      const read = async (path: string) =>
        (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${apiKey}` } })).json();
      expect((await read('/v1/contacts')).contacts).toEqual([]);
      expect((await read('/v1/orders')).orders).toEqual([]);
      expect((await read('/v1/messages')).messages).toEqual([]);
    } finally {
      await empty.stop();
    }
  }, 120_000);
});

/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  PHONE,
  screenshot,
  signIn,
  type UserPage,
  withPage,
} from './support/pages.js';
import { startSecondProcess } from './support/second-process.js';
import { MITUJ, type SeededStore, seedStore, storeClient } from './support/seed-store.js';
import { createUser, type RunningStorewire, startStorewire } from './support/storewire-process.js';
import { buildDashboard } from './support/web-build.js';

type Json = any;

const OWNER = { email: 'omar@overview.test', password: 'owner-pass-5521-cliff', name: 'Omar Owner' };
const AGENT = { email: 'ana@overview.test', password: 'agent-pass-9034-brook', name: 'Ana Agent' };
const TIME_ZONE = 'Asia/Kolkata'; // the demo store's

/** Today in the store's zone, "2026-12-03". */
const storeToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());

/** An order of Mituj's placed now (seed 003's orderCreated), through `call`'s API process. */
async function orderToday(call: ReturnType<typeof storeClient>, orderId: string, total: string) {
  const now = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'medium' }).format(
    new Date(),
  );
  await call('POST', '/v1/generate-event', {
    eventTypeKey: 'orderCreated',
    params: Object.entries({
      externalOrderId: orderId,
      externalCustomerId: MITUJ.customerId,
      phone: MITUJ.phone,
      currency: 'INR',
      totalCost: total,
      status: 'INITIALIZED',
      date: now,
      items: [
        {
          externalItemId: 'SK101',
          name: 'Roasted Makhanas',
          quantity: 1,
          cost: Number(total),
          url: 'https://shop.test/p/SK101',
          imageUrl: 'https://cdn.shop.test/SK101.svg',
        },
      ],
    }).map(([name, value]) => ({ name, value })),
  });
}

/**
 * The overview as its users see it, on each database: its numbers are the ones the stats, order
 * and journey APIs give for the seeded store, for today and for 30 days.
 */
describeInBrowser('the overview in a browser', (target) => {
  let sw: RunningStorewire;
  let browser: Browser;
  let owner: UserPage;
  let call: ReturnType<typeof storeClient>;
  let seeded: SeededStore;
  const shoot = target.dialect === 'sqlite';
  const inDemo = (path: string) => `${sw.baseUrl}/stores/${sw.demo.id}${path}`;

  beforeAll(async () => {
    await buildDashboard();
    sw = await startStorewire(target);
    seeded = await seedStore(sw.baseUrl, sw.demo);
    call = storeClient(sw.baseUrl, sw.demo);
    // The seed's orders are a year old: two of today, so today's numbers are not all zero.
    for (const [orderId, total] of [
      ['55300001', '749.5'],
      ['55300002', '1250.0'],
    ] as const)
      await orderToday(call, orderId, total);
    await createUser(sw, { ...OWNER, store: sw.demo.id, role: 'owner' });
    await createUser(sw, { ...AGENT, store: sw.demo.id, role: 'agent' });
    browser = await launchChromium();
    owner = await openPage(browser);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await sw?.stop();
  });

  /** The value a tile shows, e.g. tile(page, 'Read') → "5". */
  const tile = (page: Page, label: string) =>
    page
      .locator('.kpi')
      .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
      .locator('dd');

  /** What the other APIs say for the period starting on `firstDay` (a day of the store). */
  async function expected(firstDay: string) {
    const since = (await call('GET', `/v1/overview?period=${firstDay === storeToday() ? 'today' : '30d'}`)).from;
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(since))).toBe(firstDay);
    const templates = new Set<string>();
    for (let after: string | null = null, first = true; first || after; first = false) {
      const page: Json = await call('GET', `/v1/messages?limit=500${after ? `&after=${after}` : ''}`);
      for (const m of page.messages) templates.add(m.templateName);
      after = page.next;
    }
    const sums = { total: 0, sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 };
    for (const template of templates) {
      const stats = await call('GET', `/v1/stats/messages?template=${template}&since=${encodeURIComponent(since)}`);
      for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += stats[key];
    }
    const orders = (await call('GET', `/v1/orders?from=${firstDay}&to=${storeToday()}&limit=200`)).orders as Json[];
    const revenue = orders.reduce((sum, o) => sum + o.orderTotal, 0);
    let runs = 0;
    for (const journey of (await call('GET', '/v1/journeys')).journeys as Json[]) {
      const list = (await call('GET', `/v1/journeys/${journey.id}/runs?limit=500`)).runs as Json[];
      runs += list.filter((r) => Date.parse(r.enteredAt) >= Date.parse(since)).length;
    }
    const number = new Intl.NumberFormat('en-IN');
    return {
      Messages: number.format(sums.total),
      Sent: number.format(sums.sent),
      Delivered: number.format(sums.delivered),
      Read: number.format(sums.read),
      Failed: number.format(sums.failed),
      Replies: number.format(sums.replied),
      Orders: number.format(orders.length),
      Revenue: revenue ? new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(revenue) : '0',
      'Journey runs': number.format(runs),
    };
  }

  async function expectTiles(page: Page, want: Record<string, string>) {
    for (const [label, value] of Object.entries(want))
      await expect.poll(() => tile(page, label).textContent(), { message: label }).toBe(value);
  }

  it("opens on the overview; today's numbers are the stats API's", async () => {
    const { page } = owner;
    await signIn(owner, sw.baseUrl, OWNER.email, OWNER.password);
    await page.waitForURL(inDemo('/overview'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Overview');
    // Nothing above the period links moves as the week's numbers arrive.
    const before = await page.getByRole('link', { name: 'Today' }).boundingBox();
    await tile(page, 'Messages').waitFor();
    expect(await page.getByRole('link', { name: 'Today' }).boundingBox()).toEqual(before);
    await page.getByRole('link', { name: 'Today' }).click();
    await page.waitForURL(inDemo('/overview?period=today'), { timeout: 60_000 });
    const want = await expected(storeToday());
    expect(Number(want.Messages), 'the seed sent messages today').toBeGreaterThan(0);
    expect(want.Orders).toBe('2');
    expect(Number(want.Failed)).toBeGreaterThan(0);
    await expectTiles(page, want);
    expect(await page.getByRole('link', { name: 'Today' }).getAttribute('aria-current')).toBe('page');
    // The charts are drawn (uPlot's canvases), and their numbers are in a table too.
    await expect.poll(() => page.locator('.time-chart canvas').count()).toBe(2);
    const byTemplate = await page.getByRole('region', { name: 'By template' }).textContent();
    expect(byTemplate).toContain('order_confirmation');
    if (shoot) await screenshot(page, 'overview');
    await page.getByText('Numbers by hour').first().click();
    await expectAccessible(page, 'overview');
  }, 90_000);

  it("shows 30 days by the store's days, numbers equal to the APIs'", async () => {
    const { page } = owner;
    await page.getByRole('link', { name: 'Last 30 days' }).click();
    await page.waitForURL(inDemo('/overview?period=30d'), { timeout: 60_000 });
    const first = new Date(Date.now() - 29 * 86_400_000);
    const want = await expected(new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(first));
    await expectTiles(page, want);
    await page.getByText('Numbers by day').first().click();
    await expect.poll(() => page.locator('.chart-numbers').first().locator('tbody tr').count()).toBe(30);
    expect(owner.problems).toEqual([]);
  }, 90_000);

  it('updates the overview live as another API process on the same database takes an order', async () => {
    const { page } = owner;
    await page.goto(inDemo('/overview?period=today'));
    await expect.poll(() => tile(page, 'Orders').textContent()).toBe('2');
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const other = await startSecondProcess(sw);
    try {
      await orderToday(storeClient(other.baseUrl, sw.demo), '55300003', '300.0');
      await expect.poll(() => tile(page, 'Orders').textContent(), { timeout: 20_000 }).toBe('3');
      await expect.poll(() => tile(page, 'Revenue').textContent()).toBe('₹2,299.50');
    } finally {
      await other.stop();
    }
    // Without reloading the page.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  }, 60_000);

  it('updates a contact page live: a message sent through another process appears, then is read', async () => {
    const { page } = owner;
    await page.goto(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
    const timeline = page.getByRole('region', { name: 'Timeline' });
    const entries = timeline.locator('li', { hasText: 'order_confirmation' });
    await entries.first().waitFor();
    const before = await entries.count();
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const other = await startSecondProcess(sw);
    try {
      await storeClient(other.baseUrl, sw.demo)('POST', '/v1/messages', {
        to: { contactId: seeded.contacts[MITUJ.customerId] },
        template: 'order_confirmation',
        orderId: '55300003',
      });
      await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(before + 1);
      // The sandbox reads it after a few seconds: the same entry shows it, still without a reload.
      await expect.poll(() => timeline.locator('li').first().textContent(), { timeout: 20_000 }).toContain('Read');
    } finally {
      await other.stop();
    }
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(owner.problems).toEqual([]);
  }, 60_000);

  it('fits a phone', async () => {
    await withPage(browser, PHONE, async (user) => {
      await signIn(user, sw.baseUrl, OWNER.email, OWNER.password);
      await user.page.waitForURL(inDemo('/overview'));
      await tile(user.page, 'Messages').waitFor();
      await expect.poll(() => user.page.locator('.time-chart canvas').count()).toBe(2);
      await expectNoSidewaysScroll(user.page, 'overview');
      await expectAccessible(user.page, 'overview on a phone');
      if (shoot) await screenshot(user.page, 'phone-overview');
    });
  });

  it('is not for agents: not in their navigation, "Not allowed" at its address', async () => {
    await withPage(browser, { width: 1280, height: 860 }, async (user) => {
      await signIn(user, sw.baseUrl, AGENT.email, AGENT.password);
      await user.page.waitForURL(inDemo('/contacts'));
      const nav = user.page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Overview' }).count()).toBe(0);
      await user.page.goto(inDemo('/overview'));
      await user.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    });
  });
});

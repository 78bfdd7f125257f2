/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  apiFromPage,
  DESK,
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  withPage,
  PHONE,
  screenshot,
  signIn,
  type UserPage,
} from './support/pages.js';
import {
  ASHA,
  JOURNEY_RECEIPTS,
  MITUJ,
  RAVI,
  SEED_ORDER,
  type SeededStore,
  seedStore,
  storeClient,
} from './support/seed-store.js';
import {
  createStore,
  createUser,
  type RunningStorewire,
  type StoreKey,
  startStorewire,
} from './support/storewire-process.js';
import { buildDashboard } from './support/web-build.js';

/**
 * The dashboard as its users see it: a real `storewire start` on a seeded store, Debian's
 * Chromium, on each database. The cases run in order, as one owner's and one agent's day.
 */
const OWNER = { email: 'olivia@demo.test', password: 'owner-pass-4829-river', name: 'Olivia Owner' };
const AGENT = { email: 'arun@demo.test', password: 'agent-pass-7713-stone', name: 'Arun Agent' };

describeInBrowser('dashboard in a browser', (target) => {
  let sw: RunningStorewire;
  let browser: Browser;
  let seeded: SeededStore;
  let other: StoreKey;
  let otherContact: string;
  let owner: UserPage;
  const shoot = target.dialect === 'sqlite';
  const url = (path: string) => `${sw.baseUrl}${path}`;
  const inDemo = (path: string) => url(`/stores/${sw.demo.id}${path}`);

  beforeAll(async () => {
    await buildDashboard();
    sw = await startStorewire(target);
    seeded = await seedStore(sw.baseUrl, sw.demo);
    other = await createStore(sw, 'Tea Leaf & Co');
    const synced = await storeClient(sw.baseUrl, other)('POST', '/v1/contacts', {
      customer_id: 'chai-1',
      name: 'Meera Iyer',
      phone: '+919900011223',
    });
    otherContact = synced.contacts[0].id;
    await createUser(sw, { ...OWNER, store: sw.demo.id, role: 'owner' });
    await createUser(sw, { ...OWNER, store: other.id, role: 'owner' });
    await createUser(sw, { ...AGENT, store: sw.demo.id, role: 'agent' });
    browser = await launchChromium();
    owner = await openPage(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sw?.stop();
  });

  it('signs in: a wrong password says what to do, the right one opens the store', async () => {
    const { page } = owner;
    await page.goto(url('/'));
    await page.waitForURL(/\/sign-in/);
    await expectAccessible(page, 'sign-in');
    if (shoot) await screenshot(page, 'sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/do not match an account/);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // An owner starts on the overview (test/browser/overview.test.ts); contacts are one click away.
    await page.waitForURL(inDemo('/overview'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await page.waitForURL(inDemo('/contacts'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Contacts');
  });

  it('finds a contact by phone and by a word of the name', async () => {
    const { page } = owner;
    await page.getByRole('link', { name: RAVI.name }).waitFor();
    await expectAccessible(page, 'contacts');
    if (shoot) await screenshot(page, 'contacts');

    const search = page.getByLabel('Search contacts');
    await search.fill('+9197111');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=%2B9197111/);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').first().textContent()).toContain(MITUJ.e164);

    await search.fill('verma');
    await search.press('Enter');
    await expect.poll(() => page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining(ASHA.name)]);

    await search.fill('nobody-like-this');
    await search.press('Enter');
    await expect.poll(() => page.getByText('No contact matches').count()).toBe(1);
  });

  it('shows a contact: identities, consent, cart, orders and one timeline of events and messages', async () => {
    const { page } = owner;
    const search = page.getByLabel('Search contacts');
    await search.fill(MITUJ.email);
    await search.press('Enter');
    await page.getByRole('link', { name: MITUJ.name, exact: true }).click();
    await page.waitForURL(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(MITUJ.name);
    const panel = (name: string) => page.getByRole('region', { name });
    expect(await panel('Identities').textContent()).toContain(MITUJ.e164);
    expect(await panel('Identities').textContent()).toContain(MITUJ.email);
    expect(await panel('Identities').textContent()).toContain(MITUJ.customerId);
    expect(await panel('Consent').textContent()).toContain('WhatsAppNot subscribed');
    expect(await panel('Cart').textContent()).toContain('Peri Peri Makhanas');
    expect(await panel('Orders').textContent()).toContain(`Order ${SEED_ORDER}`);
    const timeline = panel('Timeline');
    await timeline.getByText('order_confirmation').first().waitFor();
    const text = await timeline.textContent();
    expect(text).toContain('Product view');
    expect(text).toContain('Add to cart');
    expect(text).toContain('Read');
    await expectAccessible(page, 'contact');
    if (shoot) await screenshot(page, 'contact');
    // The focus moved to the new page's heading (a screen reader announces it).
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });

  it('lists orders by status and date, and shows seed 004’s order with its shipment timeline and tracking page', async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL(inDemo('/orders'));
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);
    await page.getByLabel('Status').selectOption('DELIVERED');
    await expect.poll(() => page.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('44212810')]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Ordered from').fill('2025-11-19');
    await page.getByLabel('Ordered from').dispatchEvent('change');
    await expect
      .poll(async () => (await page.locator('tbody th').allTextContents()).sort())
      .toEqual([`Order ${SEED_ORDER}`, 'Order 44212812']);
    await expectAccessible(page, 'orders');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);
    if (shoot) await screenshot(page, 'orders');

    await page.getByRole('link', { name: `Order ${SEED_ORDER}` }).click();
    await page.waitForURL(inDemo(`/orders/${SEED_ORDER}`));
    const shipment = page.getByRole('region', { name: /Shipment 11204761/ });
    await shipment.waitFor();
    const text = await shipment.textContent();
    for (const step of ['Created', 'Packed', 'Shipped', 'Out for delivery', 'Failed delivery'])
      expect(text).toContain(step);
    expect(text).toContain('TestLabel3-5977-7119');
    expect(text).toContain('I would like to choose a new delivery date');
    const items = await page.getByRole('region', { name: 'Items' }).textContent();
    expect(items).toContain('Roasted Makhanas - Roasted In Olive Oil');
    expect(items).toContain('Peri Peri Makhanas');
    const tracking = await page.getByRole('link', { name: /Open the tracking page/ }).getAttribute('href');
    expect(tracking).toMatch(new RegExp(`^${sw.baseUrl}/t/[A-Za-z0-9_-]{16,}$`));
    expect(tracking).not.toContain(SEED_ORDER);
    await expectAccessible(page, 'order');
    if (shoot) await screenshot(page, 'order');
  });

  it('lists messages by status, template, channel and journey, and shows a failure with the provider’s reason', async () => {
    const { page } = owner;
    const rows = () => page.locator('tbody tr');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }).click();
    await expect.poll(() => rows().count()).toBe(3 + JOURNEY_RECEIPTS);
    await page.getByLabel('Status').selectOption('failed');
    // Ravi's number fails in the sandbox: his confirmation and his receipt.
    await expect
      .poll(() => rows().allTextContents())
      .toEqual([expect.stringContaining(RAVI.phone), expect.stringContaining(RAVI.phone)]);
    await page.getByLabel('Template').selectOption('order_confirmation');
    await expect.poll(() => rows().count()).toBe(1);
    await page.getByLabel('Status').selectOption('read');
    await expect.poll(() => rows().count()).toBe(2);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('Journey').selectOption('order_receipt');
    await expect.poll(() => rows().count()).toBe(JOURNEY_RECEIPTS);
    expect((await page.locator('tbody th').allTextContents()).every((t) => t.startsWith('order_receipt'))).toBe(true);
    await page.locator('tbody th a').first().click();
    await page.getByText('The order_receipt journey, step receipt').waitFor();
    await page.goBack();
    await expect.poll(() => rows().count()).toBe(JOURNEY_RECEIPTS);
    await page.getByLabel('Channel').selectOption('messenger');
    await expect.poll(() => page.getByText('No message matches these filters.').count()).toBe(1);
    await page.getByLabel('Channel').selectOption('sandbox');
    await expect.poll(() => rows().count()).toBe(JOURNEY_RECEIPTS);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows().count()).toBe(3 + JOURNEY_RECEIPTS);
    await expectAccessible(page, 'messages');
    if (shoot) await screenshot(page, 'messages');

    await page.goto(inDemo(`/messages/${seeded.messages.failed}`));
    await page.getByRole('heading', { name: 'Why it failed' }).waitFor();
    expect(await page.getByRole('note').textContent()).toContain('Message undeliverable');
    expect(await page.getByRole('note').textContent()).toContain('131026');
    const history = await page.getByRole('region', { name: 'Status history' }).textContent();
    expect(history).toMatch(/Queued.*Sent.*Failed/s);
    await expectAccessible(page, 'message');
    if (shoot) await screenshot(page, 'message');
  });

  it('lets a user of several stores switch between them', async () => {
    const { page } = owner;
    await page.goto(inDemo('/contacts'));
    await page.getByLabel('Store').selectOption(other.id);
    await page.waitForURL(url(`/stores/${other.id}/contacts`));
    await expect
      .poll(() => page.locator('tbody tr').allTextContents())
      .toEqual([expect.stringContaining('Meera Iyer')]);
    await page.getByLabel('Store').selectOption(sw.demo.id);
    await page.waitForURL(inDemo('/contacts'));
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('region', { name: 'Channels' }).getByText('Sandbox', { exact: true }).waitFor();
    await expectAccessible(page, 'settings');
    if (shoot) await screenshot(page, 'settings');
  });

  it('keeps an agent out of the owner’s settings; another store’s contact is a 404', async () => {
    await withPage(browser, DESK, async (user) => {
      const { page } = user;
      await signIn(user, sw.baseUrl, AGENT.email, AGENT.password);
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Contacts', 'Orders', 'Messages', 'Templates']);
      await page.goto(inDemo('/settings'));
      await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
      expect(await page.locator('main').textContent()).toContain('Only the store’s owners');
      await expectAccessible(page, 'not allowed');
      if (shoot) await screenshot(page, 'not-allowed');
      // Not only hidden: the API refuses the agent what the page would read.
      expect((await apiFromPage(page, sw.demo.id, '/v1/channels')).status).toBe(403);

      await page.goto(inDemo(`/contacts/${otherContact}`));
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      await expectAccessible(page, 'not found');
      if (shoot) await screenshot(page, 'not-found');
      await page.goto(url(`/stores/${other.id}/contacts/${otherContact}`));
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      expect((await apiFromPage(page, other.id, `/v1/contacts/${otherContact}`)).status).toBe(404);
    });
  });

  it('works on a 375 px phone: cards instead of tables, the navigation behind a Menu button', async () => {
    await withPage(browser, PHONE, async (user) => {
      const { page } = user;
      await page.goto(url('/sign-in'));
      await expectNoSidewaysScroll(page, 'sign-in');
      if (shoot) await screenshot(page, 'phone-sign-in');
      await signIn(user, sw.baseUrl, OWNER.email, OWNER.password);
      await page.goto(inDemo('/contacts'));
      await page.getByRole('link', { name: MITUJ.name, exact: true }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
      await expectNoSidewaysScroll(page, 'contacts');
      if (shoot) await screenshot(page, 'phone-contacts');
      await page.getByRole('button', { name: 'Menu' }).click();
      if (shoot) await screenshot(page, 'phone-menu');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
      await page.waitForURL(inDemo('/orders'));
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
      for (const [path, name] of [
        [`/orders/${SEED_ORDER}`, 'order'],
        [`/contacts/${seeded.contacts[MITUJ.customerId]}`, 'contact'],
        [`/messages/${seeded.messages.failed}`, 'message'],
      ] as const) {
        await page.goto(inDemo(path));
        await page.locator('main h2').first().waitFor();
        await expectNoSidewaysScroll(page, name);
        await expectAccessible(page, `${name} on a phone`);
        if (shoot) await screenshot(page, `phone-${name}`);
      }
    });
  }, 60_000);

  it('the tracking page’s opt-in flips the flag the order API then reports', async () => {
    const call = storeClient(sw.baseUrl, sw.demo);
    const before = await call('GET', `/v1/orders/${SEED_ORDER}`);
    expect(before.isWhatsAppEnabledForNotifications).toBe('0');
    await withPage(browser, PHONE, async (user) => {
      const { page } = user;
      await page.goto(before.trackingUrl);
      await page.getByText('Roasted Makhanas - Roasted In Olive Oil').first().waitFor();
      await expectAccessible(page, 'tracking page');
      await expectNoSidewaysScroll(page, 'tracking page');
      if (shoot) await screenshot(page, 'tracking-page');
      await page.getByRole('checkbox', { name: 'Send me updates on WhatsApp' }).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Done: you will get updates about your orders on WhatsApp.').waitFor();
      // The page now shows the subscribed state instead of the checkbox.
      expect(await page.getByText('You get updates about your orders on WhatsApp').count()).toBe(1);
      expect(await page.getByRole('checkbox').count()).toBe(0);
      const after = await call('GET', `/v1/orders/${SEED_ORDER}`);
      expect(after.isWhatsAppEnabledForNotifications).toBe('1');
      const contact = await call('GET', `/v1/contacts/${seeded.contacts[MITUJ.customerId]}`);
      expect(contact.whatsapp).toMatchObject({ status: 'ACTIVE', source: 'tracking_page' });
    });
    // The contact's page shows the new consent and the change in its history.
    await owner.page.goto(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
    const consent = owner.page.getByRole('region', { name: 'Consent' });
    await consent.getByText('WhatsApp: Not subscribed → Subscribed').waitFor();
    expect(await consent.textContent()).toContain('Tracking page');
  });

  it('records the shopper’s failed-delivery choice made on the tracking page', async () => {
    const call = storeClient(sw.baseUrl, sw.demo);
    const order = await call('GET', `/v1/orders/${SEED_ORDER}`);
    await withPage(browser, PHONE, async (user) => {
      const { page } = user;
      await page.goto(order.trackingUrl);
      await page.getByRole('radio', { name: 'I would like to choose a new delivery date' }).check();
      await page.getByRole('button', { name: 'Send my choice' }).click();
      await page.getByText('Thank you: your choice was sent to the shop.').waitFor();
      expect(await page.locator('main').textContent()).toContain(
        'You asked: I would like to choose a new delivery date',
      );
      const after = await call('GET', `/v1/orders/${SEED_ORDER}`);
      expect(after.items[0].ndrResolutionDetails).toMatchObject({ resolutionCode: 'ACTF002' });
      if (shoot) await screenshot(page, 'tracking-page-choice');
    });
    // The owner's order page shows the choice too.
    await owner.page.goto(inDemo(`/orders/${SEED_ORDER}`));
    await owner.page.getByText('The shopper chose:').waitFor();
    expect(await owner.page.locator('main').textContent()).toContain('I would like to choose a new delivery date');
  });

  it('pages a long list by keyset: “Show more” adds the next page, and the end says so', async () => {
    const bulk = Array.from({ length: 40 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return { customer_id: `bulk-${n}`, name: `Bulk Shopper ${n}`, email: `bulk${n}@example.in` };
    });
    await storeClient(sw.baseUrl, sw.demo)('POST', '/v1/contacts', { contacts: bulk });
    const { page } = owner;
    await page.goto(inDemo('/contacts?q=bulk'));
    await expect.poll(() => page.locator('tbody tr').count()).toBe(25);
    await page.getByRole('button', { name: 'Show more contacts' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(40);
    const names = await page.locator('tbody th').allTextContents();
    expect(new Set(names).size).toBe(40);
    await page.getByText('All 40 shown.').waitFor();
    expect(await page.getByRole('button', { name: 'Show more contacts' }).count()).toBe(0);
  });

  it('signs out: the session ends, and the store’s pages ask to sign in again', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    expect((await apiFromPage(page, sw.demo.id, '/v1/session')).status).toBe(401);
    await page.goto(inDemo('/contacts'));
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(inDemo('/contacts'));
    expect(owner.problems).toEqual([]);
  });

  it('a used or unknown sign-in link says what to do; the link `storewire start` printed signs the owner in', async () => {
    await withPage(browser, DESK, async (user) => {
      const { page } = user;
      await page.goto(url('/sign-in/not-a-real-token'));
      await page.waitForURL(url('/sign-in?error=link_expired'));
      expect(await page.getByRole('status').first().textContent()).toContain('expired or was already used');
      if (shoot) await screenshot(page, 'sign-in-link-expired');
      // Guessing passwords is stopped, and the page says how long to wait.
      for (let attempt = 1; attempt <= 6; attempt++) {
        await page.getByLabel('Email').fill('someone@demo.test');
        await page.getByLabel('Password').fill(`guess-number-${attempt}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
      }
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch(/Too many failed attempts\. Wait \d+ minutes?/);
      const link = /(http:\/\/\S+\/sign-in\/[A-Za-z0-9_-]+)/.exec(sw.output())?.[1];
      expect(link, sw.output()).toBeTruthy();
      await page.goto(link!);
      await page.waitForURL(inDemo('/overview'));
      await page.goto(inDemo('/contacts'));
      await expect.poll(() => page.locator('tbody tr').count()).toBe(25);
      expect(await page.locator('main').textContent()).toContain('Bulk Shopper 40');
    });
  }, 60_000);
});

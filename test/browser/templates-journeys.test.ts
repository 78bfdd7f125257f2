/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import type { Browser } from 'playwright-core';
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
import { ASHA, JOURNEY_RECEIPTS, MITUJ, type SeededStore, seedStore, storeClient } from './support/seed-store.js';
import { createUser, type RunningStorewire, startStorewire } from './support/storewire-process.js';
import { buildDashboard } from './support/web-build.js';

/**
 * Templates and journeys as a store's marketer works on them: a real `storewire start` on the
 * seeded store, Debian's Chromium, each database. The editor's checks and its preview come from
 * the API (validate, preview with the draft); the journey's flow, funnel and runs from the
 * journeys API.
 */
type Json = any;

const MARKETER = { email: 'maya@demo.test', password: 'marketer-pass-5521-hill', name: 'Maya Marketer' };
const AGENT = { email: 'arun@demo.test', password: 'agent-pass-7713-stone', name: 'Arun Agent' };

describeInBrowser('templates and journeys in a browser', (target) => {
  let sw: RunningStorewire;
  let browser: Browser;
  let seeded: SeededStore;
  let marketer: UserPage;
  const shoot = target.dialect === 'sqlite';
  const inDemo = (path: string) => `${sw.baseUrl}/stores/${sw.demo.id}${path}`;

  beforeAll(async () => {
    await buildDashboard();
    sw = await startStorewire(target);
    seeded = await seedStore(sw.baseUrl, sw.demo);
    await createUser(sw, { ...MARKETER, store: sw.demo.id, role: 'marketer' });
    await createUser(sw, { ...AGENT, store: sw.demo.id, role: 'agent' });
    browser = await launchChromium();
    marketer = await openPage(browser);
    await signIn(marketer, sw.baseUrl, MARKETER.email, MARKETER.password);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sw?.stop();
  });

  it('lists the templates the store can send, built-in ones included', async () => {
    const { page } = marketer;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.waitForURL(inDemo('/templates'));
    const rows = page.locator('tbody tr');
    await expect
      .poll(() => page.locator('tbody th').allTextContents())
      .toEqual(expect.arrayContaining(['order_confirmation', 'order_receipt', 'Order Receipt Push']));
    const receiptPush = await rows.filter({ hasText: 'Order Receipt Push' }).textContent();
    expect(receiptPush).toContain('Messenger');
    expect(receiptPush).toContain('Built in');
    expect(await rows.filter({ hasText: 'order_confirmation' }).textContent()).toContain('The store’s own');
    await expectAccessible(page, 'templates');
    if (shoot) await screenshot(page, 'templates');
  });

  it('editing a template changes the preview, drawn with a chosen contact’s real data; an invalid parameter shows its error', async () => {
    const { page } = marketer;
    await page.getByLabel('New template’s name').fill('packed_update');
    await page.getByRole('button', { name: 'New template' }).click();
    await page.waitForURL(inDemo('/templates/packed_update?new=whatsapp'));
    const phone = page.getByRole('figure', { name: 'Phone preview' });
    const body = page.getByLabel('Body', { exact: true });

    // The contact is a real one of the store, found by search; the preview reads their name.
    await page.getByLabel('Find a contact').fill(MITUJ.email);
    await expect
      .poll(() => page.getByLabel('Contact', { exact: true }).locator('option').allTextContents())
      .toEqual([MITUJ.name]);
    await body.fill('Hi {{first_name}}, your order is packed and leaves today.');
    await expect
      .poll(() => phone.locator('.chat-body').textContent())
      .toBe(`Hi ${MITUJ.name}, your order is packed and leaves today.`);
    await page.getByLabel('Find a contact').fill('verma');
    await expect
      .poll(() => phone.locator('.chat-body').textContent())
      .toBe('Hi Asha, your order is packed and leaves today.');
    await body.fill('Hello {{first_name}}! Your parcel is on its way.');
    await expect.poll(() => phone.locator('.chat-body').textContent()).toBe('Hello Asha! Your parcel is on its way.');

    // A placeholder without a parameter: the API's check says so as it is typed.
    await body.fill('Hello {{first_name}}! Parcel {{parcel}} is on its way.');
    await page.getByText('the body placeholder {{parcel}} has no parameter').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'to fix before saving' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Add a parameter' }).click();
    await page.locator('#tpl-param-1-key').fill('parcel');
    // Liquid that does not parse: its error shows at the parameter, and the field is marked invalid.
    const parcel = page.getByLabel('Value of parcel');
    await parcel.fill('{{ order.id');
    await expect.poll(() => parcel.getAttribute('aria-invalid')).toBe('true');
    const error = page.locator(`#${await parcel.getAttribute('id')}-error`);
    await expect.poll(() => error.textContent()).toMatch(/is not valid Liquid/);
    await expectAccessible(page, 'template editor with a problem');
    if (shoot) await screenshot(page, 'template-problem');
    // Valid Liquid, but the contact's order is what it reads: with no order chosen it is missing.
    await parcel.fill('{{ order.id }}');
    await expect.poll(() => error.count()).toBe(0);
    await page.getByLabel('Order', { exact: true }).selectOption('');
    await expect.poll(() => page.locator('.preview-failure').textContent()).toMatch(/Parameter parcel:.*order/);
    await expect.poll(() => error.textContent()).toMatch(/order/);

    // A value WhatsApp would refuse (a header image must be https) is named, at its parameter.
    await page.getByLabel('Header', { exact: true }).selectOption('image');
    await page.getByRole('button', { name: 'Add a parameter' }).click();
    await page.locator('#tpl-param-2-key').fill('header');
    await page.getByLabel('Value of header').fill('http://cdn.shop.test/parcel.jpg');
    await parcel.fill("{{ contact.customer_id | default: 'parcel' }}");
    await expect.poll(() => page.locator('.preview-failure').textContent()).toMatch(/Parameter header:/);
    await expect.poll(() => page.getByLabel('Value of header').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Value of header').fill('https://cdn.shop.test/SK101.svg');
    await expect
      .poll(() => phone.locator('.chat-body').textContent())
      .toBe(`Hello Asha! Parcel ${ASHA.customerId} is on its way.`);
    expect(await phone.locator('img.chat-media').getAttribute('src')).toBe('https://cdn.shop.test/SK101.svg');

    await page.getByRole('button', { name: 'Add a button' }).click();
    await page.getByLabel('Button 1 type').selectOption('url');
    await page.getByLabel('Button 1 text').fill('Track parcel');
    await page.getByLabel('Button 1 link').fill('https://shop.test/track');
    await expect.poll(() => phone.getByRole('list', { name: 'Buttons' }).textContent()).toContain('Track parcel');
    await page.getByLabel('Footer').fill('Storewire demo store');
    await expect.poll(() => phone.locator('.chat-footer').textContent()).toBe('Storewire demo store');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'No problems found.' }).count()).toBe(1);
    await expectAccessible(page, 'template editor');
    if (shoot) await screenshot(page, 'template-editor');

    await page.getByRole('button', { name: 'Save template' }).click();
    await page.waitForURL(inDemo('/templates/packed_update'));
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await storeClient(sw.baseUrl, sw.demo)('GET', '/v1/templates/packed_update');
    expect(stored.definition).toMatchObject({
      body: { text: 'Hello {{first_name}}! Parcel {{parcel}} is on its way.' },
      header: { format: 'image' },
      footer: { text: 'Storewire demo store' },
      buttons: [{ type: 'url', text: 'Track parcel', url: 'https://shop.test/track' }],
      parameters: { header: 'https://cdn.shop.test/SK101.svg' },
    });
  });

  it('a Messenger template previews from the values a send request gives', async () => {
    const { page } = marketer;
    await page.goto(inDemo(`/templates/${encodeURIComponent('Shipping Status Update Push')}`));
    const phone = page.getByRole('figure', { name: 'Phone preview' });
    await expect.poll(() => phone.locator('.chat-body').textContent()).toContain('PKG-1042');
    await page.getByLabel('Tracking button’s title').fill('Where is it?');
    await expect.poll(() => phone.getByRole('list', { name: 'Buttons' }).textContent()).toContain('Where is it?');
    await page.getByLabel('Params (JSON)').fill('{"package_number": "PKG-9"}');
    await expect.poll(() => page.locator('.preview-failure').textContent()).toMatch(/package_status/);
    await expectAccessible(page, 'messenger template');
  });

  it('lists journeys; enabling a ready-made one stores it with the templates it needs', async () => {
    const { page } = marketer;
    await page.goto(inDemo('/templates'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journeys' }).click();
    await page.waitForURL(inDemo('/journeys'));
    const row = page.locator('tbody tr').filter({ hasText: 'cart_abandonment' });
    await expect.poll(() => row.textContent()).toContain('Ready-made, off');
    expect(await page.locator('tbody tr').filter({ hasText: 'order_receipt' }).textContent()).toContain('Enabled');
    await row.getByRole('button', { name: /^Enable / }).click();
    await expect.poll(() => row.textContent()).toContain('Enabled');
    expect(await row.textContent()).toMatch(/Templates created for it: .*cart_reminder_1/);
    expect(await row.textContent()).toContain('version 1');
    const stored = await storeClient(sw.baseUrl, sw.demo)('GET', '/v1/journeys/cart_abandonment');
    expect(stored).toMatchObject({ enabled: true, version: 1 });
    await expectAccessible(page, 'journeys');
    if (shoot) await screenshot(page, 'journeys');
  });

  it('draws a journey as a flow with each step’s funnel as the stats API counts it, and its runs with their steps', async () => {
    const { page } = marketer;
    const stats = await storeClient(sw.baseUrl, sw.demo)('GET', '/v1/journeys/order_receipt/stats');
    await page.getByRole('link', { name: 'Order receipt' }).click();
    await page.waitForURL(inDemo('/journeys/order_receipt'));
    const step = page.getByRole('listitem', { name: 'receipt' });
    await step.locator('.funnel').waitFor();
    const facts = Object.fromEntries(
      await step
        .locator('.funnel-facts > div')
        .evaluateAll((rows) =>
          rows.map((r) => [r.querySelector('dt')!.textContent, r.querySelector('dd')!.textContent]),
        ),
    );
    const [receipt] = stats.steps;
    expect(facts).toMatchObject({
      Entered: String(receipt.entered),
      Sent: String(receipt.sent),
      Delivered: String(receipt.delivered),
      Failed: String(receipt.failed),
    });
    expect(receipt.entered).toBe(JOURNEY_RECEIPTS);
    const numbers = page.getByRole('region', { name: 'Numbers' });
    expect(await numbers.textContent()).toContain(`Runs${stats.runs.total}`);

    const runs = page.getByRole('region', { name: 'Runs' });
    await expect.poll(() => runs.locator('.run').count()).toBe(JOURNEY_RECEIPTS);
    // Each run names its shopper (a name, else the phone or email), linked to the contact's page.
    const shoppers = await runs.locator('.run-line a').allTextContents();
    expect(shoppers).toContain(MITUJ.name);
    expect(shoppers.filter((name) => name.startsWith('Contact '))).toEqual([]);
    await runs.getByRole('button', { name: 'Show steps' }).first().click();
    await runs.locator('.run-steps li').first().waitFor();
    const steps = await runs.locator('.run-steps').textContent();
    expect(steps).toMatch(/receipt.*(Sent|Not sent)/);
    await expectAccessible(page, 'journey');
    if (shoot) await screenshot(page, 'journey');
  });

  it('updates the funnel, the numbers and the runs live as a shopper enters through another API process', async () => {
    const { page } = marketer;
    await page.goto(inDemo('/journeys/order_receipt'));
    const entered = page
      .getByRole('listitem', { name: 'receipt' })
      .locator('.funnel-facts > div', { has: page.locator('dt', { hasText: /^Entered$/ }) })
      .locator('dd');
    await expect.poll(() => entered.textContent()).toBe(String(JOURNEY_RECEIPTS));
    const runs = page.getByRole('region', { name: 'Runs' });
    await expect.poll(() => runs.locator('.run').count()).toBe(JOURNEY_RECEIPTS);
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const other = await startSecondProcess(sw);
    try {
      await storeClient(other.baseUrl, sw.demo)('POST', '/v1/generate-event', {
        eventTypeKey: 'orderCreated',
        params: Object.entries({
          externalOrderId: '55400001',
          externalCustomerId: ASHA.customerId,
          phone: ASHA.e164,
          currency: 'INR',
          totalCost: '420.0',
          status: 'INITIALIZED',
          date: new Date().toISOString(),
          items: [
            {
              externalItemId: 'SK101',
              name: 'Roasted Makhanas',
              quantity: 1,
              cost: 420,
              url: 'https://shop.test/p/SK101',
              imageUrl: 'https://cdn.shop.test/SK101.svg',
            },
          ],
        }).map(([name, value]) => ({ name, value })),
      });
      await expect.poll(() => entered.textContent(), { timeout: 20_000 }).toBe(String(JOURNEY_RECEIPTS + 1));
      await expect.poll(() => runs.locator('.run').count()).toBe(JOURNEY_RECEIPTS + 1);
      const newest = runs.locator('.run').first().locator('.run-line a');
      expect(await newest.textContent()).toBe(ASHA.name);
      expect(await newest.getAttribute('href')).toBe(
        `/stores/${sw.demo.id}/contacts/${seeded.contacts[ASHA.customerId]}`,
      );
      const numbers = page.getByRole('region', { name: 'Numbers' });
      await expect.poll(() => numbers.textContent()).toContain(`Runs${JOURNEY_RECEIPTS + 1}`);
    } finally {
      await other.stop();
    }
    // Without reloading the page.
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  }, 60_000);

  it('simulates a journey for a contact and shows what each step would do on the flow', async () => {
    const { page } = marketer;
    // Mituj agrees to WhatsApp marketing, so the reminders would go to him.
    await storeClient(sw.baseUrl, sw.demo)('POST', '/v1/contacts', {
      customer_id: MITUJ.customerId,
      whatsapp_status: 'ACTIVE',
      whatsapp_status_source: 'checkout',
    });
    await page.goto(inDemo('/journeys/cart_abandonment'));
    const simulate = page.getByRole('region', { name: 'Simulate for a contact' });
    await simulate.getByLabel('Find a contact').fill(MITUJ.email);
    await expect
      .poll(() => simulate.getByLabel('Contact', { exact: true }).locator('option').allTextContents())
      .toEqual([MITUJ.name]);
    await simulate.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => simulate.getByRole('status').textContent()).toMatch(/^Simulated for Mituj: \d+ steps/);
    const expected = await storeClient(sw.baseUrl, sw.demo)('POST', '/v1/journeys/cart_abandonment/simulate', {
      to: { contactId: seeded.contacts[MITUJ.customerId] },
    });
    for (const entry of expected.timeline) {
      const node = page.getByRole('listitem', { name: entry.stepId, exact: true });
      expect(await node.locator('.sim').first().textContent()).toContain('Simulation');
      if (entry.message?.refused) expect(await node.textContent()).toContain(entry.message.refused);
      if (entry.message?.template) expect(await node.textContent()).toContain(`Sends ${entry.message.template}`);
    }
    // What the test store gives: the two reminders go, with his cart; the third needs the store's discount code.
    expect(expected.timeline.map((e: Json) => [e.stepId, e.action])).toEqual([
      ['wait_1h', 'wait'],
      ['reminder_1', 'send'],
      ['wait_24h', 'wait'],
      ['reminder_2', 'send'],
      ['wait_72h', 'wait'],
      ['reminder_3', 'not_sent'],
    ]);
    const first = page.getByRole('listitem', { name: 'reminder_1', exact: true });
    await expect
      .poll(() => first.getByRole('figure', { name: 'Phone preview' }).textContent())
      .toContain('Hi Mituj, you left Roasted Makhanas - Roasted In Olive Oil in your cart.');
    expect(await page.getByRole('listitem', { name: 'reminder_3', exact: true }).textContent()).toMatch(
      /Would not send.*MISSING_PARAMETER.*discount_code/,
    );
    expect(await simulate.getByRole('status').textContent()).toBe(
      'Simulated for Mituj: 6 steps, 2 messages sent, 1 not sent. Shown on each step below.',
    );
    await expectAccessible(page, 'journey simulation');
    if (shoot) await screenshot(page, 'journey-simulation');
  });

  it('the template editor and the journey pages fit a 375 px phone', async () => {
    await withPage(browser, PHONE, async (user) => {
      const { page } = user;
      await signIn(user, sw.baseUrl, MARKETER.email, MARKETER.password);
      await page.goto(inDemo('/templates/packed_update'));
      await page.getByRole('figure', { name: 'Phone preview' }).locator('.chat-body').waitFor();
      await expectNoSidewaysScroll(page, 'template editor');
      await expectAccessible(page, 'template editor on a phone');
      if (shoot) await screenshot(page, 'phone-template');
      await page.goto(inDemo('/journeys'));
      await page.locator('tbody tr').first().waitFor();
      await expectNoSidewaysScroll(page, 'journeys');
      await page.goto(inDemo('/journeys/order_receipt'));
      await page.getByRole('listitem', { name: 'receipt' }).locator('.funnel').waitFor();
      await page.getByRole('region', { name: 'Runs' }).locator('.run').first().waitFor();
      await expectNoSidewaysScroll(page, 'journey');
      await expectAccessible(page, 'journey on a phone');
      if (shoot) await screenshot(page, 'phone-journey');
    });
  });

  it('an agent reads and previews templates but changes none, and journeys are not theirs', async () => {
    await withPage(browser, PHONE, async (user) => {
      const { page } = user;
      await signIn(user, sw.baseUrl, AGENT.email, AGENT.password);
      await page.goto(inDemo('/templates/order_confirmation'));
      await page.getByLabel('Find a contact').fill(MITUJ.email);
      await expect
        .poll(() => page.getByRole('figure', { name: 'Phone preview' }).locator('.chat-body').textContent())
        .toBe(`Thank you, ${MITUJ.name}! We got your order 44212809.`);
      expect(await page.getByLabel('Body', { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save template' }).count()).toBe(0);
      expect(await page.getByLabel('New template’s name').count()).toBe(0);
      await page.goto(inDemo('/journeys'));
      await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
      expect(await page.locator('main').textContent()).toContain(
        'Journeys are run by the store’s owners and marketers',
      );
    });
  });

  it('ends without a page error', () => {
    expect(seeded.contacts[MITUJ.customerId]).toBeTruthy();
    expect(marketer.problems).toEqual([]);
  });
});

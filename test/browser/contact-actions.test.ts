/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchChromium } from './support/chromium.js';
import {
  apiFromPage,
  DESK,
  expectAccessible,
  expectNoSidewaysScroll,
  openPage,
  PHONE,
  screenshot,
  signIn,
  type UserPage,
  withPage,
} from './support/pages.js';
import { ASHA, MITUJ, SEED_ORDER, type SeededStore, seedStore } from './support/seed-store.js';
import { createUser, type RunningStorewire, startStorewire } from './support/storewire-process.js';
import { buildDashboard } from './support/web-build.js';

/**
 * What the API lets a person do to one shopper, done from the dashboard (issue 14, docs/dashboard.md
 * "What the API does, and where on the dashboard"): create and edit a contact, set their WhatsApp
 * consent, send them a template or a text and watch the message, write as them on the sandbox,
 * switch an order's WhatsApp updates, download every contact as CSV, start a journey for one.
 * Each role sees only the controls the API lets it use, and the API still refuses the others.
 */
const SLOW = 90_000;
const OWNER = { email: 'odile@contacts.test', password: 'owner-pass-3318-maple', name: 'Odile Owner' };
const MARKETER = { email: 'mona@contacts.test', password: 'marketer-pass-7702-birch', name: 'Mona Marketer' };
const AGENT = { email: 'amit@contacts.test', password: 'agent-pass-9920-cedar', name: 'Amit Agent' };
const NEW = { name: 'Zoya Khan', email: 'zoya.khan@example.in', phone: '+91 99887 76655', e164: '+919988776655' };

describeInBrowser('contact actions in a browser', (target) => {
  let sw: RunningStorewire;
  let browser: Browser;
  let seeded: SeededStore;
  let owner: UserPage;
  let zoya: string;
  const shoot = target.dialect === 'sqlite';
  const inDemo = (path: string) => `${sw.baseUrl}/stores/${sw.demo.id}${path}`;
  const panel = (page: Page, name: string) => page.getByRole('region', { name });
  const contactOf = async (page: Page, id: string) => (await apiFromPage(page, sw.demo.id, `/v1/contacts/${id}`)).body;

  beforeAll(async () => {
    await buildDashboard();
    sw = await startStorewire(target);
    seeded = await seedStore(sw.baseUrl, sw.demo);
    await createUser(sw, { ...OWNER, store: sw.demo.id, role: 'owner' });
    await createUser(sw, { ...MARKETER, store: sw.demo.id, role: 'marketer' });
    await createUser(sw, { ...AGENT, store: sw.demo.id, role: 'agent' });
    browser = await launchChromium();
    owner = await openPage(browser);
    await signIn(owner, sw.baseUrl, OWNER.email, OWNER.password);
  }, 180_000);

  afterAll(async () => {
    expect(owner?.problems ?? []).toEqual([]);
    await browser?.close();
    await sw?.stop();
  });

  it(
    'creates a contact with custom fields and WhatsApp consent, then edits it',
    async () => {
      const { page } = owner;
      await page.goto(inDemo('/contacts'));
      await page.getByRole('link', { name: 'New contact' }).click();
      await page.waitForURL(inDemo('/contacts/new'));
      // Nothing to name the shopper by: the form says so and sends nothing.
      await page.getByLabel('Name', { exact: true }).fill(NEW.name);
      await page.getByRole('button', { name: 'Create the contact' }).click();
      await page.getByRole('alert').getByText('Give a customer id, an email or a phone').waitFor();

      await page.getByLabel('Email').fill(NEW.email);
      await page.getByLabel('Phone').fill(NEW.phone);
      await page.getByRole('button', { name: 'Add a field' }).click();
      await page.getByLabel('Field 1 name').fill('tier');
      await page.getByLabel('Value of tier').fill('gold');
      await page.getByLabel('Subscribed to WhatsApp marketing').check();
      await expectAccessible(page, 'new contact');
      if (shoot) await screenshot(page, 'contact-new');
      await page.getByRole('button', { name: 'Create the contact' }).click();
      await page.waitForURL(/\/contacts\/ct_[^/]+$/);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(NEW.name);
      zoya = page.url().split('/').pop()!;
      const created = await contactOf(page, zoya);
      expect(created).toMatchObject({
        name: NEW.name,
        email: NEW.email,
        phone: NEW.e164,
        attributes: { tier: 'gold' },
        whatsapp: { status: 'ACTIVE', source: 'dashboard' },
      });
      expect(await panel(page, 'Identities').textContent()).toContain('tiergold');

      await page.getByRole('link', { name: `Edit ${NEW.name}` }).click();
      await page.waitForURL(inDemo(`/contacts/${zoya}/edit`));
      await page.getByLabel('Name', { exact: true }).fill('Zoya R. Khan');
      await page.getByLabel('Value of tier').fill('platinum');
      await page.getByRole('button', { name: 'Add a field' }).click();
      await page.getByLabel('Field 2 name').fill('city');
      await page.getByLabel('Value of city').fill('Pune');
      await page.getByLabel('Another customer id').fill('cust-2001');
      await expectAccessible(page, 'edit contact');
      await page.getByRole('button', { name: 'Save the contact' }).click();
      await page.waitForURL(inDemo(`/contacts/${zoya}`));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Zoya R. Khan');
      const edited = await contactOf(page, zoya);
      expect(edited.attributes).toEqual({ tier: 'platinum', city: 'Pune' });
      expect(edited.identities).toContainEqual({ kind: 'customer_id', value: 'cust-2001' });
    },
    SLOW,
  );

  it(
    'sets WhatsApp consent by hand, recorded as given on the dashboard',
    async () => {
      const { page } = owner;
      const consent = panel(page, 'Consent');
      await consent.getByRole('button', { name: 'Unsubscribe from WhatsApp marketing' }).click();
      await consent.getByRole('button', { name: 'Yes, unsubscribe' }).click();
      await consent.getByText('Unsubscribed from WhatsApp marketing.').waitFor();
      await expect.poll(() => consent.locator('dd').first().textContent()).toContain('Not subscribed');
      expect((await contactOf(page, zoya)).whatsapp).toMatchObject({ status: 'INACTIVE', source: 'dashboard' });
      expect(await consent.locator('ol').textContent()).toMatch(/Subscribed → Not subscribed.*Dashboard/);

      await consent.getByRole('button', { name: 'Subscribe to WhatsApp marketing' }).click();
      await consent.getByRole('button', { name: 'Yes, they agreed' }).click();
      await expect.poll(async () => (await contactOf(page, zoya)).whatsapp.status).toBe('ACTIVE');
    },
    SLOW,
  );

  it(
    'sends a template drawn as the phone shows it, then a text once the shopper wrote (sandbox)',
    async () => {
      const { page } = owner;
      await page.goto(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
      const send = panel(page, 'Send a message');
      await send.getByLabel('Template', { exact: true }).selectOption('order_receipt');
      await send.getByLabel('Order it is about').selectOption(SEED_ORDER);
      await send.getByRole('figure', { name: 'Phone preview' }).waitFor();
      expect(await send.getByRole('figure').textContent()).toContain(SEED_ORDER);
      await send.getByRole('button', { name: `Send to ${MITUJ.name}` }).click();
      const sent = send.getByRole('status');
      await expect.poll(() => send.textContent()).toContain('Sent “order_receipt” on Sandbox');
      // The sandbox delivers it; the contact page hears of it live and the status moves on.
      await expect.poll(() => sent.textContent(), { timeout: 30_000 }).toMatch(/Delivered|Read/);
      if (shoot) await screenshot(page, 'contact-send');
      const messageHref = await sent.getByRole('link', { name: 'Open the message' }).getAttribute('href');
      const messageId = messageHref!.split('/').pop()!;
      const message = (await apiFromPage(page, sw.demo.id, `/v1/messages/${messageId}`)).body;
      expect(message).toMatchObject({
        templateName: 'order_receipt',
        source: 'api',
        contactId: seeded.contacts[MITUJ.customerId],
      });

      // A text outside the 24 hours after the shopper wrote: the API's refusal, in its words.
      await send.getByLabel('A text').check();
      await send.getByLabel('Text', { exact: true }).fill('Your order is on its way!');
      await send.getByRole('button', { name: `Send to ${MITUJ.name}` }).click();
      await expect.poll(() => send.getByRole('alert').textContent()).toMatch(/24|window/i);

      // The owner writes as the shopper on the sandbox: the window opens and the text goes.
      const sandbox = panel(page, 'Write as this shopper (sandbox)');
      await sandbox.getByLabel('Their message').fill('Where is my order?');
      await sandbox.getByRole('button', { name: 'Receive it' }).click();
      await sandbox.getByText('Received from the shopper’s phone').waitFor();
      await send.getByRole('button', { name: `Send to ${MITUJ.name}` }).click();
      await send.getByRole('status').getByText('Sent a text on Sandbox').waitFor();
      await panel(page, 'Timeline').getByText('Where is my order?').first().waitFor();
      await expectAccessible(page, 'contact with its actions');
    },
    SLOW,
  );

  it(
    'switches an order’s WhatsApp updates, as the tracking page’s box does',
    async () => {
      const { page } = owner;
      await page.goto(inDemo(`/orders/${SEED_ORDER}`));
      const summary = panel(page, 'Summary');
      await summary.getByText('Not subscribed').waitFor();
      await summary.getByRole('button', { name: 'Turn on WhatsApp updates' }).click();
      await summary.getByText('WhatsApp updates are on for this shopper.').waitFor();
      await expect
        .poll(
          async () =>
            (await apiFromPage(page, sw.demo.id, `/v1/orders/${SEED_ORDER}`)).body.isWhatsAppEnabledForNotifications,
        )
        .toBe('1');
      await expect.poll(() => summary.textContent()).toContain('Subscribed');
      await expectAccessible(page, 'order with WhatsApp updates');
      await summary.getByRole('button', { name: 'Turn off WhatsApp updates' }).click();
      await expect
        .poll(
          async () =>
            (await apiFromPage(page, sw.demo.id, `/v1/orders/${SEED_ORDER}`)).body.isWhatsAppEnabledForNotifications,
        )
        .toBe('0');
    },
    SLOW,
  );

  it(
    'downloads every contact as CSV',
    async () => {
      const { page } = owner;
      await page.goto(inDemo('/contacts'));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download all as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`contacts-${sw.demo.id}.csv`);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv.split('\n')[0]).toContain('id,customer_id,email,phone,name,whatsapp_status');
      expect(csv).toContain(NEW.email);
      expect(csv).toContain(ASHA.email);
    },
    SLOW,
  );

  it(
    'starts a journey for a contact: the run appears among its runs',
    async () => {
      const { page } = owner;
      await page.goto(inDemo('/journeys/order_receipt'));
      const trigger = panel(page, 'Start for a contact');
      await trigger.getByLabel('Find a contact').fill('Zoya');
      await expect
        .poll(() => trigger.getByLabel('Contact', { exact: true }).locator('option').allTextContents())
        .toEqual(['Zoya R. Khan']);
      await trigger.getByRole('button', { name: 'Start the journey for them' }).click();
      await trigger.getByText('Zoya R. Khan entered the journey').waitFor();
      const runs = (await apiFromPage(page, sw.demo.id, '/v1/journeys/order_receipt/runs')).body.runs;
      expect(runs.map((r: { contactId: string }) => r.contactId)).toContain(zoya);
      await expectAccessible(page, 'journey with its trigger');
    },
    SLOW,
  );

  it(
    'opens a product from the cart, and a template’s numbers above the messages it sent',
    async () => {
      const { page } = owner;
      await page.goto(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
      await panel(page, 'Cart').getByRole('link', { name: 'Peri Peri Makhanas' }).click();
      await page.waitForURL(inDemo('/products/SK204'));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Peri Peri Makhanas');
      await expectAccessible(page, 'product');

      await page.goto(inDemo('/messages?template=order_receipt'));
      const numbers = panel(page, '“order_receipt” in numbers');
      await numbers.getByText('Messages').waitFor();
      const stats = (await apiFromPage(page, sw.demo.id, '/v1/stats/messages?template=order_receipt')).body;
      expect(await numbers.locator('dl').textContent()).toContain(`Messages${stats.total}`);
      expect(await numbers.locator('dl').textContent()).toContain(`Failed${stats.failed}`);
      await expectAccessible(page, 'messages with a template’s numbers');
      if (shoot) await screenshot(page, 'messages-template-stats');
    },
    SLOW,
  );

  it(
    'writes a journey’s definition: what the API refuses is listed, a good one is saved as a new version',
    async () => {
      const { page } = owner;
      await page.goto(inDemo('/journeys'));
      await page.getByRole('link', { name: 'New journey' }).click();
      await page.waitForURL(inDemo('/journeys/new'));
      await page.getByLabel('Id').fill('vip_hello');
      const definition = {
        name: 'VIP hello',
        trigger: { event: 'vip_signup' },
        steps: [
          { id: 'wait', type: 'wait', duration: '1h' },
          { id: 'hello', type: 'send', channel: 'whatsapp', template: 'no_such_template' },
        ],
      };
      await page.getByLabel('Definition (JSON)').fill(JSON.stringify(definition, null, 2));
      await page.getByRole('button', { name: 'Create the journey' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/steps\[1\]\.template.*no_such_template/);
      await expectAccessible(page, 'journey editor with a problem');
      if (shoot) await screenshot(page, 'journey-editor');
      definition.steps[1]!.template = 'order_receipt';
      await page.getByLabel('Definition (JSON)').fill(JSON.stringify(definition, null, 2));
      await page.getByRole('button', { name: 'Create the journey' }).click();
      await page.waitForURL(inDemo('/journeys/vip_hello'));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('VIP hello');

      await page.getByRole('link', { name: 'Edit the definition' }).click();
      await page.waitForURL(inDemo('/journeys/vip_hello/edit'));
      const text = await page.getByLabel('Definition (JSON)').inputValue();
      await page.getByLabel('Definition (JSON)').fill(text.replace('"1h"', '"2h"'));
      await page.getByRole('button', { name: 'Save the next version' }).click();
      await page.waitForURL(inDemo('/journeys/vip_hello'));
      const saved = (await apiFromPage(page, sw.demo.id, '/v1/journeys/vip_hello')).body;
      expect(saved.version).toBe(2);
      expect(saved.definition.steps[0].duration).toBe('2h');
    },
    SLOW,
  );

  it(
    'shows each role only what the API lets it do, and the API still refuses the rest',
    async () => {
      await withPage(browser, DESK, async (agent) => {
        await signIn(agent, sw.baseUrl, AGENT.email, AGENT.password);
        const { page } = agent;
        await page.goto(inDemo('/contacts'));
        await page.getByRole('link', { name: 'New contact' }).waitFor();
        expect(await page.getByRole('button', { name: 'Download all as CSV' }).count()).toBe(0);
        expect((await apiFromPage(page, sw.demo.id, '/v1/contacts/export')).status).toBe(403);
        await page.goto(inDemo(`/contacts/${zoya}`));
        await panel(page, 'Send a message').waitFor();
        await panel(page, 'Consent').getByRole('button', { name: 'Unsubscribe from WhatsApp marketing' }).waitFor();
        // Writing as the shopper is the owner's (the sandbox is a channel): no panel, and a 403.
        expect(await panel(page, 'Write as this shopper (sandbox)').count()).toBe(0);
        const inbound = await page.evaluate(
          async ({ storeId, csrf }) =>
            (
              await fetch('/v1/channels/sandbox/inbound', {
                method: 'POST',
                headers: { 'x-store-id': storeId, 'x-csrf-token': csrf, 'content-type': 'application/json' },
                body: JSON.stringify({ from: '+919988776655', text: 'hi' }),
              })
            ).status,
          {
            storeId: sw.demo.id,
            csrf: (await apiFromPage(page, sw.demo.id, '/v1/session')).body.csrfToken,
          },
        );
        expect(inbound).toBe(403);
      });
      await withPage(browser, DESK, async (marketer) => {
        await signIn(marketer, sw.baseUrl, MARKETER.email, MARKETER.password);
        const { page } = marketer;
        await page.goto(inDemo('/contacts'));
        await page.getByRole('button', { name: 'Download all as CSV' }).waitFor();
        await page.goto(inDemo(`/contacts/${zoya}`));
        await panel(page, 'Send a message').waitFor();
        expect(await panel(page, 'Write as this shopper (sandbox)').count()).toBe(0);
        // The journey settings are a marketer's too (the API lets them), without the owner's other settings.
        await page.goto(inDemo('/journeys'));
        await page.getByRole('link', { name: 'Journey settings' }).click();
        await page.waitForURL(inDemo('/journey-settings'));
        await page.getByRole('button', { name: /Save/ }).first().waitFor();
        expect(await page.getByRole('navigation', { name: 'Settings' }).count()).toBe(0);
        await expectAccessible(page, 'journey settings for a marketer');
      });
    },
    SLOW,
  );

  it(
    'fits a 375 px phone: the contact page with its actions and the new contact form',
    async () => {
      await withPage(browser, PHONE, async (phone) => {
        await signIn(phone, sw.baseUrl, OWNER.email, OWNER.password);
        const { page } = phone;
        await page.goto(inDemo(`/contacts/${seeded.contacts[MITUJ.customerId]}`));
        await panel(page, 'Send a message').getByRole('figure', { name: 'Phone preview' }).waitFor();
        await expectNoSidewaysScroll(page, 'contact page');
        await expectAccessible(page, 'contact page on a phone');
        if (shoot) await screenshot(page, 'phone-contact-send');
        await page.goto(inDemo('/contacts/new'));
        await page.getByRole('button', { name: 'Add a field' }).click();
        await expectNoSidewaysScroll(page, 'new contact form');
        await expectAccessible(page, 'new contact form on a phone');
        await page.goto(inDemo(`/orders/${SEED_ORDER}`));
        await panel(page, 'Summary')
          .getByRole('button', { name: /WhatsApp updates/ })
          .waitFor();
        await expectNoSidewaysScroll(page, 'order page');
      });
    },
    SLOW,
  );
});

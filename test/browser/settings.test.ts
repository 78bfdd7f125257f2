/// <reference lib="dom" />
// (page.evaluate callbacks run in the browser)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
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
import {
  createStore,
  createUser,
  type RunningStorewire,
  type StoreKey,
  startStorewire,
} from './support/storewire-process.js';
import { signBody } from '../../src/channels/signature.js';
import { accountErrorWebhook } from '../support/fake-meta/index.js';
import { fixture } from '../support/fixtures.js';
import { storeClient } from './support/seed-store.js';
import { buildDashboard } from './support/web-build.js';

/**
 * The owner's settings in a browser, on each database, against a real `storewire start`: the
 * channels (disconnecting and connecting the sandbox, connecting WhatsApp with write-only
 * secrets), the store settings, rotating the API key (the old key is then refused), the team
 * (adding a marketer, who can then sign in but open neither the users nor the keys); journey
 * settings, connectors and store webhooks with their deliveries.
 */
/** A case's time: sign-ins hash passwords (scrypt), and the machine may be busy with other suites. */
const SLOW = 90_000;
const OWNER = { email: 'sana@settings.test', password: 'owner-pass-5521-harbour', name: 'Sana Owner' };

describeInBrowser('settings in a browser', (target) => {
  let sw: RunningStorewire;
  let browser: Browser;
  let store: StoreKey;
  let owner: UserPage;
  const shoot = target.dialect === 'sqlite';
  const url = (path: string) => `${sw.baseUrl}${path}`;
  const inStore = (path: string) => url(`/stores/${store.id}${path}`);
  /** A call with a store key, as the store's own systems make it. */
  const withKey = (apiKey: string, path: string) =>
    fetch(url(path), { headers: { authorization: `Bearer ${apiKey}` } }).then((res) => res.status);

  beforeAll(async () => {
    await buildDashboard();
    sw = await startStorewire(target);
    store = await createStore(sw, 'Harbour Tea');
    await createUser(sw, { ...OWNER, store: store.id, role: 'owner' });
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
    'disconnects and connects the sandbox, and connects WhatsApp without ever showing its secrets',
    async () => {
      const { page } = owner;
      await page.goto(inStore('/settings'));
      const channels = page.getByRole('region', { name: 'Channels' });
      await channels.getByText('Sandbox', { exact: true }).waitFor();
      await channels.getByRole('button', { name: 'Disconnect Sandbox' }).click();
      await channels.getByRole('button', { name: 'Yes, disconnect Sandbox' }).click();
      await channels.getByText('No channel is connected').waitFor();
      expect((await apiFromPage(page, store.id, '/v1/channels')).body.channels).toEqual([]);

      await page.getByRole('button', { name: 'Connect the sandbox' }).click();
      await page.getByText('The sandbox is connected.', { exact: true }).first().waitFor();
      await channels.getByText('Sandbox', { exact: true }).waitFor();
      expect(await channels.textContent()).toContain('Active');
      const listed = (await apiFromPage(page, store.id, '/v1/channels')).body.channels;
      expect(listed.map((c: { channel: string; status: string }) => [c.channel, c.status])).toEqual([
        ['sandbox', 'active'],
      ]);

      const whatsapp = page.getByRole('region', { name: 'WhatsApp' });
      await whatsapp.getByLabel('Phone number id').fill('106540352242922');
      await whatsapp.getByLabel('Access token').fill('EAAG-secret-access-token');
      await whatsapp.getByLabel('App secret').fill('app-secret-never-shown');
      await whatsapp.getByLabel('Verify token').fill('verify-me-please');
      await whatsapp.getByRole('button', { name: 'Connect WhatsApp' }).click();
      await whatsapp.getByText('WhatsApp is connected.').waitFor();
      await channels.getByText('106540352242922').waitFor();
      expect(await channels.textContent()).toContain(`${sw.baseUrl}/v1/webhooks/whatsapp`);
      // The secrets went one way: the form is empty, and neither the page nor the API shows them.
      expect(await whatsapp.getByLabel('Access token').inputValue()).toBe('');
      const html = await page.content();
      const api = JSON.stringify((await apiFromPage(page, store.id, '/v1/channels')).body);
      for (const secret of ['EAAG-secret-access-token', 'app-secret-never-shown', 'verify-me-please']) {
        expect(html).not.toContain(secret);
        expect(api).not.toContain(secret);
      }
      await expect.poll(() => whatsapp.getByRole('button', { name: 'Replace WhatsApp' }).count()).toBe(1);
      // Meta reports a problem with the number (signed with its app secret): the channel shows it.
      const report = JSON.stringify(
        accountErrorWebhook(
          [{ code: 130429, title: 'Rate limit hit', details: 'Cloud API message throughput has been reached.' }],
          '106540352242922',
        ),
      );
      const hook = await fetch(url('/v1/webhooks/whatsapp'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signBody('app-secret-never-shown', report),
        },
        body: report,
      });
      expect(hook.status).toBe(200);
      await page.reload();
      await channels.getByRole('heading', { name: 'Recent errors from WhatsApp' }).waitFor();
      expect(await channels.textContent()).toMatch(/Rate limit hit \(130429\).*throughput has been reached/);
      await expectAccessible(page, 'channels');
      if (shoot) await screenshot(page, 'settings-channels');
    },
    SLOW,
  );

  it(
    'changes the store settings, which the API then reports',
    async () => {
      const { page } = owner;
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Store' }).click();
      await page.waitForURL(inStore('/settings/store'));
      const form = page.getByRole('form', { name: 'Store settings' });
      await form.getByLabel('Name').waitFor();
      expect(await form.getByLabel('Name').inputValue()).toBe('Harbour Tea');
      await form.getByLabel('Opt-out keywords').fill('STOP, UNSUBSCRIBE, BAS');
      await form.getByLabel('Accent colour').fill('#7a3e00');
      await form.getByRole('button', { name: 'Save store settings' }).click();
      await page.getByText(/^Saved\./).waitFor();
      const saved = (await apiFromPage(page, store.id, '/v1/store/settings')).body;
      expect(saved).toMatchObject({
        name: 'Harbour Tea',
        optOutKeywords: ['STOP', 'UNSUBSCRIBE', 'BAS'],
        accentColor: '#7a3e00',
      });
      await expectAccessible(page, 'store settings');
      if (shoot) await screenshot(page, 'settings-store');
      // A value the API refuses says why, and nothing is saved.
      await page.getByLabel('Time zone').fill('Mars/Olympus');
      await form.getByRole('button', { name: 'Save store settings' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not an IANA time zone/);
      expect((await apiFromPage(page, store.id, '/v1/store/settings')).body.timeZone).toBe('UTC');
      await expectAccessible(page, 'store settings with an error');
    },
    SLOW,
  );

  it(
    'rotates the API key: the new key is shown once and works, the old key is then 401',
    async () => {
      const { page } = owner;
      expect(await withKey(store.apiKey, '/v1/store/settings')).toBe(200);
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API key' }).click();
      await page.waitForURL(inStore('/settings/api-key'));
      await page.getByRole('button', { name: 'Make a new API key' }).click();
      await page.getByRole('button', { name: 'Yes, make a new key' }).click();
      const shown = page.getByLabel(/^New API key/);
      await shown.waitFor();
      const fresh = await shown.inputValue();
      expect(fresh).toMatch(/^sw_key_/);
      expect(await withKey(store.apiKey, '/v1/store/settings')).toBe(401);
      expect(await withKey(fresh, '/v1/store/settings')).toBe(200);
      await expectAccessible(page, 'api key');
      if (shoot) await screenshot(page, 'settings-api-key');
      // Shown once: after a reload the page has no key to show.
      await page.reload();
      await page.getByRole('button', { name: 'Make a new API key' }).waitFor();
      expect(await page.content()).not.toContain(fresh);
      store = { ...store, apiKey: fresh };
    },
    SLOW,
  );

  it(
    'adds a marketer, who signs in with the password shown once but can open neither users nor keys',
    async () => {
      const { page } = owner;
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Team' }).click();
      await page.waitForURL(inStore('/settings/team'));
      const people = page.getByRole('region', { name: 'People in this store' });
      await people.getByText(OWNER.name, { exact: true }).waitFor();
      const add = page.getByRole('region', { name: 'Add someone' });
      await add.getByLabel('Email').fill('maya@settings.test');
      await add.getByLabel('Name (optional)').fill('Maya Marketer');
      await add.getByLabel('Role').selectOption('marketer');
      await add.getByRole('button', { name: 'Add to the store' }).click();
      const password = await page.getByLabel('Password for maya@settings.test').inputValue();
      expect(password.length).toBeGreaterThanOrEqual(10);
      await people.getByText('Maya Marketer', { exact: true }).waitFor();
      expect(await people.getByLabel('Role of Maya Marketer (maya@settings.test)').inputValue()).toBe('marketer');
      await expectAccessible(page, 'team');
      if (shoot) await screenshot(page, 'settings-team');

      await withPage(browser, DESK, async (user) => {
        await signIn(user, sw.baseUrl, 'maya@settings.test', password);
        const nav = user.page.getByRole('navigation', { name: 'Main' });
        expect(await nav.getByRole('link').allTextContents()).not.toContain('Settings');
        for (const path of ['/settings/team', '/settings/api-key']) {
          await user.page.goto(inStore(path));
          await user.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
        }
        expect((await apiFromPage(user.page, store.id, '/v1/store/members')).status).toBe(403);
        const rotate = await user.page.evaluate(async (storeId) => {
          const session = await (await fetch('/v1/session')).json();
          const res = await fetch('/v1/store/api-key', {
            method: 'POST',
            headers: { 'x-store-id': storeId, 'x-csrf-token': session.csrfToken },
          });
          return res.status;
        }, store.id);
        expect(rotate).toBe(403);
      });
      expect(await withKey(store.apiKey, '/v1/store/settings')).toBe(200);

      // The owner makes her an agent, then removes her; the only owner cannot be removed.
      await people.getByLabel('Role of Maya Marketer (maya@settings.test)').selectOption('agent');
      await expect
        .poll(async () => (await apiFromPage(page, store.id, '/v1/store/members')).body.members.map((m: any) => m.role))
        .toEqual(['agent', 'owner']);
      await people.getByRole('button', { name: 'Remove Maya Marketer (maya@settings.test)' }).click();
      await people.getByRole('button', { name: 'Yes, remove' }).click();
      await expect.poll(() => people.getByText('Maya Marketer', { exact: true }).count()).toBe(0);
      await people.getByRole('button', { name: `Remove ${OWNER.name} (${OWNER.email})` }).click();
      await people.getByRole('button', { name: 'Yes, remove' }).click();
      await expect.poll(() => people.getByRole('alert').textContent()).toMatch(/only owner/);
    },
    SLOW,
  );

  it(
    'saves quiet hours and the partner exit API without showing the partner’s key again',
    async () => {
      const { page } = owner;
      await page.goto(inStore('/settings/journeys'));
      const form = page.getByRole('form', { name: 'Journey settings' });
      await form.getByLabel(/No journey messages during quiet hours/).check();
      await form.getByLabel('From').fill('22:00');
      await form.getByLabel('Until').fill('08:00');
      await form.getByLabel('A message due in quiet hours').selectOption('skip');
      await form.getByLabel('Ask the checkout partner').check();
      await form.getByLabel("Partner's address").fill('https://partner.example/fetch-user-events');
      await form.getByLabel('Header for its API key (optional)').fill('X-Api-Key');
      await form.getByLabel('Header value').fill('partner-key-never-shown');
      await form.getByLabel('Discount code (the last cart reminder)').fill('COMEBACK10');
      await form.getByRole('button', { name: 'Save journey settings' }).click();
      await page.getByText(/^Saved\. Journeys use/).waitFor();
      const saved = (await apiFromPage(page, store.id, '/v1/journey-settings')).body;
      // The API names the header and says a value is set; the value never leaves the server.
      expect(saved).toMatchObject({
        quietHours: { start: '22:00', end: '08:00', action: 'skip' },
        partner: { url: 'https://partner.example/fetch-user-events', headers: { 'X-Api-Key': { set: true } } },
        discountCode: 'COMEBACK10',
      });
      expect(JSON.stringify(saved)).not.toContain('partner-key-never-shown');
      expect(await page.content()).not.toContain('partner-key-never-shown');
      // Saving again without typing the value keeps it (the API refuses to keep a value it does not have).
      await form.getByLabel('Discount code (the last cart reminder)').fill('COMEBACK15');
      await form.getByRole('button', { name: 'Save journey settings' }).click();
      await expect
        .poll(async () => (await apiFromPage(page, store.id, '/v1/journey-settings')).body.discountCode)
        .toBe('COMEBACK15');
      const kept = (await apiFromPage(page, store.id, '/v1/journey-settings')).body.partner.headers;
      expect(kept).toEqual({ 'X-Api-Key': { set: true } });
      await expectAccessible(page, 'journey settings');
      if (shoot) await screenshot(page, 'settings-journeys');
      // A header of another name needs its value: the form says so, and nothing is saved.
      await form.getByLabel('Header for its API key (optional)').fill('X-Partner-Token');
      await form.getByRole('button', { name: 'Save journey settings' }).click();
      await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/no value is stored under this name/);
      expect((await apiFromPage(page, store.id, '/v1/journey-settings')).body.partner.headers).toEqual(kept);
    },
    SLOW,
  );

  it(
    'connects Shopify and the shipping partner, and makes a new Segment write key (the old ingest URL then 401)',
    async () => {
      const { page } = owner;
      await page.goto(inStore('/settings/connectors'));
      const shopify = page.getByRole('region', { name: 'Shopify' });
      await shopify.getByLabel('Shop domain').fill('harbour-tea.myshopify.com');
      await shopify.getByLabel('App secret').fill('shpss_never_shown_again');
      await shopify.getByRole('button', { name: 'Connect Shopify' }).click();
      await shopify.getByText(`${sw.baseUrl}/v1/shopify/webhooks`).waitFor();
      expect(await page.content()).not.toContain('shpss_never_shown_again');

      const shipping = page.getByRole('region', { name: 'Shipping partner' });
      await shipping.getByRole('button', { name: 'Connect the shipping partner' }).click();
      const token = await shipping.getByLabel('Token for the shipping partner').inputValue();
      expect(token.length).toBeGreaterThan(20);
      await shipping.getByText(`${sw.baseUrl}/v1/shipping/tracking-webhook`).waitFor();

      const oldIngest = (store as StoreKey & { ingestUrl: string }).ingestUrl;
      const ingest = (at: string) =>
        fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event()) });
      const event = () => ({ ...fixture('seeds/001_product_view.json'), event_id: `ev-${Math.random()}` });
      expect((await ingest(oldIngest)).status).toBeLessThan(300);
      const segment = page.getByRole('region', { name: 'Segment' });
      await segment.getByRole('button', { name: 'Make a new write key' }).click();
      await segment.getByRole('button', { name: 'Yes, make a new write key' }).click();
      const writeKey = await segment.getByLabel('New Segment write key').inputValue();
      expect(writeKey).toMatch(/^sw_ing_/);
      expect((await ingest(oldIngest)).status).toBe(401);
      expect((await ingest(url(`/v1/ingest/${writeKey}/events`))).status).toBeLessThan(300);
      await expectAccessible(page, 'connectors');
      if (shoot) await screenshot(page, 'settings-connectors');
    },
    SLOW,
  );

  it(
    'adds a store webhook, shows its secret once and its deliveries',
    async () => {
      const received: string[] = [];
      const receiver: Server = createServer((req, res) => {
        received.push(String(req.headers['x-storewire-event']));
        req.resume();
        req.on('end', () => res.writeHead(200).end());
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      try {
        const { page } = owner;
        await page.goto(inStore('/settings/webhooks'));
        await page.getByText('No webhook').waitFor();
        const add = page.getByRole('region', { name: 'Add a webhook' });
        await add.getByLabel('Address').fill(hook);
        await add.getByLabel('Every event, including those added later').uncheck();
        await add.getByLabel(/contact\.consent_changed/).check();
        await add.getByRole('button', { name: 'Add the webhook' }).click();
        const secret = await page.getByLabel(`Signing secret for ${hook}`).inputValue();
        expect(secret).toMatch(/^whsec_/);
        await page.getByRole('region', { name: 'Subscriptions' }).getByText(hook).waitFor();

        // A shopper says yes to WhatsApp: the store hears of it.
        await storeClient(sw.baseUrl, store)('POST', '/v1/contacts', {
          customer_id: 'hook-shopper',
          phone: '+919800000123',
          whatsapp_status: 'ACTIVE',
        });
        await expect.poll(() => received, { timeout: 15_000 }).toContain('contact.consent_changed');
        const deliveries = page.getByRole('region', { name: 'Recent deliveries' });
        await expect
          .poll(
            async () => {
              await page.reload();
              await deliveries
                .getByText('order.created')
                .first()
                .waitFor({ timeout: 2_000 })
                .catch(() => {});
              return deliveries.textContent();
            },
            { timeout: 15_000 },
          )
          .toMatch(/contact\.consent_changed.*Delivered.*answered 200/s);
        expect(await page.content()).not.toContain(secret);
        await expectAccessible(page, 'webhooks');
        if (shoot) await screenshot(page, 'settings-webhooks');
      } finally {
        receiver.close();
      }
    },
    SLOW,
  );

  it(
    'fits a phone',
    async () => {
      await withPage(browser, PHONE, async (user) => {
        await signIn(user, sw.baseUrl, OWNER.email, OWNER.password);
        const pages = ['', '/store', '/journeys', '/connectors', '/webhooks', '/api-key', '/team'];
        for (const path of pages.map((p) => `/settings${p}`)) {
          await user.page.goto(inStore(path));
          await user.page.getByRole('navigation', { name: 'Settings' }).waitFor();
          await user.page.getByRole('heading', { level: 1 }).waitFor();
          await expectNoSidewaysScroll(user.page, path);
        }
        await user.page.goto(inStore('/settings/team'));
        await user.page
          .getByRole('region', { name: 'People in this store' })
          .getByText(OWNER.name, { exact: true })
          .waitFor();
        if (shoot) await screenshot(user.page, 'phone-settings-team');
      });
    },
    SLOW,
  );
});

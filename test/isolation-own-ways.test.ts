import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSignInLink } from '../src/accounts/sign-in-links.js';
import { signBody } from '../src/channels/signature.js';
import { browser, cookieFrom, member, signIn } from './support/accounts.js';
import { ManualClock } from './support/clock.js';
import { describeEachDatabase } from './support/databases.js';
import {
  type FakeWhatsApp,
  inboundWebhook,
  startFakeWhatsApp,
  startWebhookReceiver,
} from './support/fake-meta/index.js';
import { fixture } from './support/fixtures.js';
import { useHarness } from './support/harness.js';
import { basicAuth } from './support/segment.js';
import { fixtureText, shopifySignature } from './support/shopify.js';
import { formFields } from './support/tracking-forms.js';
import { buildWorld, markersOf, type World } from './support/world.js';

type Json = any;

/**
 * The isolation suite's routes that take no store key (test/support/route-cases.ts lists them;
 * isolation.test.ts fails when a route has no case): Meta's, Shopify's and the shipping
 * partner's webhooks, the ingest URL, Segment, the sessions themselves, sign-in links and the
 * hosted tracking page. Each opens with its own secret only, and shows nothing of another store.
 */
describeEachDatabase('isolation: the routes without a store key', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  let fake: FakeWhatsApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let a: World;
  let b: World;
  let doc: Json;

  beforeAll(async () => {
    fake = await startFakeWhatsApp({ throughputPerSecond: 1000 });
    receiver = await startWebhookReceiver(500);
    a = await buildWorld(h, clock, 'a', fake, receiver.url);
    b = await buildWorld(h, clock, 'b', fake, receiver.url);
    doc = (await h.get('/openapi.json')).json();
  }, 120_000);
  afterAll(async () => {
    await fake?.close();
    await receiver?.close();
  });

  const documented = (): { key: string; method: string; path: string; op: Json }[] =>
    Object.entries<Json>(doc.paths).flatMap(([path, ops]) =>
      Object.entries<Json>(ops).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        op,
      })),
    );
  /** What `of` must keep to itself: its ids, in an answer to a request that did not carry them. */
  const leakedOf = (of: World, res: LightMyRequestResponse, sent = '') =>
    markersOf(of).filter((m) => res.body.includes(m) && !sent.includes(m) && !sent.includes(encodeURIComponent(m)));
  const leaked = (res: LightMyRequestResponse, sent = '') => leakedOf(a, res, sent);

  it('Segment routes: A’s write key stores in A; B’s goes to B; none or garbage is 401', async () => {
    const segmentRoutes = documented().filter(({ op }) =>
      (op.security ?? []).some((s: Json) => 'segmentWriteKey' in s),
    );
    expect(segmentRoutes.length).toBeGreaterThanOrEqual(4);
    for (const { key, path } of segmentRoutes) {
      const type = path.split('/').pop()!;
      const message = {
        type,
        userId: a.customerId,
        event: 'Isolation',
        name: 'Isolation',
        groupId: 'g1',
        previousId: 'anon-iso',
        traits: { email: a.email },
      };
      const body = type === 'batch' ? { batch: [{ ...message, type: 'track' }] } : message;
      const post = (auth: string | null) =>
        h.call('POST', path, body, { as: null, headers: auth ? { authorization: auth } : {} });
      expect((await post(null)).statusCode, key).toBe(401);
      expect((await post(basicAuth('sw_ing_garbage_garbage_garbage'))).statusCode, key).toBe(401);
      const own = await post(basicAuth(a.as.ingestToken));
      expect(own.statusCode, `${key}: ${own.body}`).toBe(200);
      // B's write key, with B's own shopper: stored in B, nothing of A's in the answer.
      const bBody = JSON.parse(
        JSON.stringify(body).replaceAll(a.customerId, b.customerId).replaceAll(a.email, b.email),
      );
      const other = await h.call('POST', path, bBody, {
        as: null,
        headers: { authorization: basicAuth(b.as.ingestToken) },
      });
      expect(other.statusCode, key).toBe(200);
      expect(leaked(other, ''), key).toEqual([]);
    }
    // B's write key put nothing into A: A's shopper has no event from B's calls beyond A's own.
    const contact = (await h.get(`/v1/contacts/${a.contactId}`, a.as)).json();
    expect(contact.id).toBe(a.contactId);
  });

  it('the ingest URL: A’s token stores in A, a garbage token is 401', async () => {
    const event = { ...fixture('seeds/001_product_view.json'), event_id: 'iso-ingest-1' };
    const own = await h.call('POST', `/v1/ingest/${a.as.ingestToken}/events`, event, { as: null });
    expect(own.statusCode, own.body).toBe(202);
    const garbage = await h.call('POST', '/v1/ingest/sw_ing_garbage_garbage_garbage/events', event, { as: null });
    expect(garbage.statusCode).toBe(401);
    // A's store key is not an ingest token.
    expect((await h.call('POST', `/v1/ingest/${a.as.apiKey}/events`, event, { as: null })).statusCode).toBe(401);
  });

  it("Meta's webhooks: only the app secret of the account named opens them; the verify check only with a verify token", async () => {
    const check = (channel: string, token: string) =>
      h.call('GET', `/v1/webhooks/${channel}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=9`, undefined, {
        as: null,
      });
    expect((await check('whatsapp', a.verifyToken)).statusCode).toBe(200);
    expect((await check('whatsapp', 'garbage')).statusCode).toBe(401);
    expect((await check('messenger', `${a.verifyToken}-page`)).statusCode).toBe(200);
    expect((await check('messenger', 'garbage')).statusCode).toBe(401);

    const text = JSON.stringify(inboundWebhook('text', { phoneNumberId: a.phoneNumberId, from: '919811100909' }));
    const post = (signature?: string) =>
      h.call('POST', '/v1/webhooks/whatsapp', text, {
        as: null,
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      });
    expect((await post()).statusCode).toBe(401);
    expect((await post('sha256=garbage')).statusCode).toBe(401);
    expect((await post(signBody(b.appSecret, text))).statusCode).toBe(401);
    expect((await post(signBody(a.appSecret, text))).json()).toEqual({ received: 1, ignored: 0 });
    const bContacts = (await h.get('/v1/contacts?phone=%2B919811100909', b.as)).json().contacts;
    expect(bContacts).toEqual([]);
    expect((await h.get('/v1/contacts?phone=%2B919811100909', a.as)).json().contacts).toHaveLength(1);

    const page = JSON.stringify({ object: 'page', entry: [{ id: a.pageId, time: 1, messaging: [] }] });
    const postPage = (signature?: string) =>
      h.call('POST', '/v1/webhooks/messenger', page, {
        as: null,
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      });
    expect((await postPage()).statusCode).toBe(401);
    expect((await postPage(signBody(`${b.appSecret}-page`, page))).statusCode).toBe(401);
    expect((await postPage(signBody(`${a.appSecret}-page`, page))).statusCode).toBe(200);
  });

  it("Shopify's and the shipping partner's webhooks: only the store's own secret opens them", async () => {
    const order = fixtureText('shopify/orders_create.sample.json');
    const shopify = (domain: string, hmac?: string) =>
      h.call('POST', '/v1/shopify/webhooks', order, {
        as: null,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/create',
          'x-shopify-shop-domain': domain,
          ...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}),
        },
      });
    expect((await shopify(a.shopDomain)).statusCode).toBe(401);
    expect((await shopify(a.shopDomain, 'garbage')).statusCode).toBe(401);
    expect((await shopify(a.shopDomain, shopifySignature(order, b.shopifySecret))).statusCode).toBe(401);
    expect((await shopify(a.shopDomain, shopifySignature(order, a.shopifySecret))).statusCode).toBe(200);

    const tracking = fixture('shipping/shiprocket_tracking_webhook.sample.json');
    const ship = (token?: string) =>
      h.call('POST', '/v1/shipping/tracking-webhook', tracking, {
        as: null,
        headers: token ? { 'x-api-key': token } : {},
      });
    expect((await ship()).statusCode).toBe(401);
    expect((await ship('sw_ship_garbage_garbage_garbage')).statusCode).toBe(401);
    expect((await ship(a.as.apiKey)).statusCode).toBe(401);
    expect((await ship(a.shippingToken)).statusCode).toBe(200);
  });

  it('sessions: a member signs in to their own stores only; a wrong password, no cookie or a garbage one opens nothing; signing out ends one session only', async () => {
    const aOwner = await member(h, a.storeId, 'owner');
    const bAgent = await member(h, b.storeId, 'agent');
    for (const email of [aOwner.email, bAgent.email]) {
      const wrong = await h.call(
        'POST',
        '/v1/session',
        { email, password: 'the password of someone else' },
        { as: null },
      );
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    }
    const mine = await signIn(h, aOwner.email);
    const theirs = await signIn(h, bAgent.email);
    const session = (cookie?: string) =>
      h.call('GET', '/v1/session', undefined, { as: null, headers: cookie ? { cookie } : {} });
    const own = await session(mine.cookie);
    expect(own.json().stores).toEqual([{ id: a.storeId, name: 'Isolation a', role: 'owner' }]);
    expect([leakedOf(b, own), own.body.includes('Isolation b')]).toEqual([[], false]);
    const other = await session(theirs.cookie);
    expect(other.json().stores).toEqual([{ id: b.storeId, name: 'Isolation b', role: 'agent' }]);
    expect([leaked(other), other.body.includes('Isolation a')]).toEqual([[], false]);

    for (const cookie of [undefined, `sw_session=${'A'.repeat(43)}`, 'sw_session=', mine.csrfToken]) {
      const res = await session(cookie);
      expect([res.statusCode, res.json().error.code], cookie).toEqual([401, 'UNAUTHORIZED']);
    }

    // Signing out needs the session's own CSRF token; without a cookie it ends nothing.
    const foreignToken = await mine.call('DELETE', '/v1/session', { csrf: theirs.csrfToken });
    expect([foreignToken.statusCode, foreignToken.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    const noCookie = await h.call('DELETE', '/v1/session', undefined, {
      as: null,
      headers: { 'x-csrf-token': theirs.csrfToken },
    });
    expect(noCookie.statusCode).toBe(204);
    expect([(await session(mine.cookie)).statusCode, (await session(theirs.cookie)).statusCode]).toEqual([200, 200]);
    expect((await mine.call('DELETE', '/v1/session')).statusCode).toBe(204);
    expect([(await session(mine.cookie)).statusCode, (await session(theirs.cookie)).statusCode]).toEqual([401, 200]);
    expect((await mine.call('GET', '/v1/contacts', { store: a.storeId })).statusCode).toBe(401);
  });

  it('sign-in links: a link signs its own member in to its own store, once; any other token signs in nobody', async () => {
    const { userId, email } = await member(h, a.storeId, 'marketer');
    const token = await createSignInLink(h.app.storage.db, userId, a.storeId, clock.now());
    const open = (t: string) => h.call('GET', `/sign-in/${encodeURIComponent(t)}`, undefined, { as: null });
    const expired = '/sign-in?error=link_expired';
    for (const guess of [
      'A'.repeat(43),
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      a.as.apiKey,
      a.as.ingestToken,
      a.trackingPath.slice(3),
    ]) {
      const res = await open(guess);
      expect([res.statusCode, res.headers.location, res.headers['set-cookie']], guess).toEqual([
        303,
        expired,
        undefined,
      ]);
    }
    const res = await open(token);
    expect([res.statusCode, res.headers.location]).toEqual([303, `/?store=${a.storeId}`]);
    const cookie = cookieFrom(res);
    const session = await h.call('GET', '/v1/session', undefined, { as: null, headers: { cookie } });
    expect(session.json()).toMatchObject({
      user: { id: userId, email },
      stores: [{ id: a.storeId, name: 'Isolation a', role: 'marketer' }],
    });
    expect(leakedOf(b, session)).toEqual([]);
    const signedIn = browser(h, email, userId, cookie, session.json().csrfToken);
    expect((await signedIn.call('GET', `/v1/contacts/${a.contactId}`, { store: a.storeId })).statusCode).toBe(200);
    const inB = await signedIn.call('GET', `/v1/contacts/${b.contactId}`, { store: b.storeId });
    expect([inB.statusCode, inB.json().error.code]).toEqual([404, 'NOT_FOUND']);
    // Used once: the second time it signs in nobody.
    const again = await open(token);
    expect([again.statusCode, again.headers.location, again.headers['set-cookie']]).toEqual([303, expired, undefined]);
  });

  it("the tracking page: a page shows its own order and nothing of another store's; its forms take only its own tokens", async () => {
    const page = (path: string) => h.call('GET', path, undefined, { as: null });
    const aPage = await page(a.trackingPath);
    const bPage = await page(b.trackingPath);
    expect([aPage.statusCode, bPage.statusCode]).toEqual([200, 200]);
    expect(aPage.body).toContain('<strong>Isolation a</strong>');
    expect([leakedOf(b, aPage), aPage.body.includes('Isolation b')]).toEqual([[], false]);
    expect([leaked(bPage), bPage.body.includes('Isolation a')]).toEqual([[], false]);

    const bToken = b.trackingPath.slice(3);
    for (const path of [
      '/t/AAAAAAAAAAAAAAAAAAAAAA',
      `/t/${bToken.slice(0, -1)}${bToken.endsWith('A') ? 'B' : 'A'}`,
      `/t/${a.pageOrderId}`,
      `/t/${a.orderId}`,
      `/t/${a.as.apiKey}`,
      `/t/${a.storeId}`,
    ]) {
      const res = await page(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.body).toContain('<h1>Page not found</h1>');
      expect([leaked(res, path), leakedOf(b, res), res.body.includes('Isolation')], path).toEqual([[], [], false]);
    }

    const post = (path: string, fields: Record<string, string>) =>
      h.call('POST', path, new URLSearchParams(fields).toString(), {
        as: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
      });
    const order = async (w: World) => (await h.get(`/v1/orders/${w.pageOrderId}`, w.as)).json();
    const aWhatsApp = formFields(aPage.body, `${a.trackingPath}/whatsapp`);
    const aDelivery = formFields(aPage.body, `${a.trackingPath}/delivery`);
    const bDelivery = formFields(bPage.body, `${b.trackingPath}/delivery`);
    // A's tokens on B's page, and on the other form of A's page: refused.
    for (const [path, fields] of [
      [`${b.trackingPath}/whatsapp`, { ...aWhatsApp, subscribe: '1' }],
      [`${b.trackingPath}/delivery`, { ...aDelivery, resolution: 'ACTF001' }],
      [`${b.trackingPath}/delivery`, { ...bDelivery, form_token: aDelivery.form_token!, resolution: 'ACTF001' }],
      [`${a.trackingPath}/delivery`, { ...aDelivery, form_token: aWhatsApp.form_token!, resolution: 'ACTF001' }],
    ] as const) {
      const res = await post(path, fields);
      expect(res.statusCode, `${path} ${JSON.stringify(fields)}`).toBe(403);
      expect([leaked(res, path), leakedOf(b, res, path)]).toEqual([[], []]);
    }
    // B's own form naming A's shipment: not a shipment of B's order.
    const crossed = await post(`${b.trackingPath}/delivery`, {
      ...bDelivery,
      shipment: a.pageShipmentId,
      resolution: 'ACTF001',
    });
    expect(crossed.statusCode).toBe(409);
    expect(leaked(crossed, a.pageShipmentId)).toEqual([]);
    for (const w of [a, b]) {
      const untouched = await order(w);
      expect([untouched.isWhatsAppEnabledForNotifications, untouched.items[0].ndrResolutionDetails ?? null]).toEqual([
        '0',
        null,
      ]);
    }

    // The controls: A's own forms on A's page are taken, and change A's order only.
    const optIn = await post(`${a.trackingPath}/whatsapp`, { ...aWhatsApp, subscribe: '1' });
    expect([optIn.statusCode, optIn.headers.location]).toEqual([303, `${a.trackingPath}?done=whatsapp`]);
    const choice = await post(`${a.trackingPath}/delivery`, { ...aDelivery, resolution: 'ACTF001' });
    expect([choice.statusCode, choice.headers.location]).toEqual([303, `${a.trackingPath}?done=delivery`]);
    const aOrder = await order(a);
    expect([aOrder.isWhatsAppEnabledForNotifications, aOrder.items[0].ndrResolutionDetails.choice]).toEqual([
      '1',
      'ACTF001',
    ]);
    const bOrder = await order(b);
    expect([bOrder.isWhatsAppEnabledForNotifications, bOrder.items[0].ndrResolutionDetails ?? null]).toEqual([
      '0',
      null,
    ]);
  });
});

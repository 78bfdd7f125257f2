import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signBody } from '../src/channels/signature.js';
import { registeredRoutes } from '../src/http/server.js';
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
import { caseUrl, STORE_KEY_CASES } from './support/route-cases.js';
import { basicAuth } from './support/segment.js';
import { fixtureText, shopifySignature } from './support/shopify.js';
import { buildWorld, markersOf, type World } from './support/world.js';

type Json = any;

/**
 * No store reaches another's data, through any route — including routes added later: the
 * routes come from /openapi.json (and the suite fails when the server has a route the document
 * does not list). Every store-key route is called for store A's objects with A's key and must
 * answer 2xx (a positive control: a route that fails for everyone fails here), then with B's
 * key (4xx for A's objects, and never any of A's ids in the answer), with no key and with a
 * garbage key (401). Routes that take no store key — Meta's, Shopify's and the shipping
 * partner's webhooks, the ingest URL, Segment — have cases of their own.
 */
const PUBLIC = new Set(['GET /healthz', 'GET /metrics']);
const OWN_CASES = new Set([
  'POST /v1/ingest/{ingestToken}/events',
  'GET /v1/webhooks/whatsapp',
  'POST /v1/webhooks/whatsapp',
  'GET /v1/webhooks/messenger',
  'POST /v1/webhooks/messenger',
  'POST /v1/shopify/webhooks',
  'POST /v1/shipping/tracking-webhook',
]);

describeEachDatabase('isolation: one store never reaches another', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  let fake: FakeWhatsApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let a: World;
  let b: World;
  let doc: Json;
  const tried = new Set<string>();

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
  /** What B must never read: A's ids, unless B's own request carried them. */
  const leaked = (res: LightMyRequestResponse, sent: string) =>
    markersOf(a).filter((m) => res.body.includes(m) && !sent.includes(m) && !sent.includes(encodeURIComponent(m)));

  it('every route the server registers is in /openapi.json', () => {
    const listed = new Set(documented().map((d) => d.key));
    const missing = registeredRoutes(h.app.server)
      .filter((r) => !r.hidden)
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`)
      .filter((key) => !listed.has(key));
    expect(missing).toEqual([]);
    // And the check itself sees the routes: the document is not empty, nor the list.
    expect(listed.size).toBeGreaterThan(50);
  });

  it('every route has a case: store-key routes in route-cases.ts, the others here', () => {
    for (const { key, op } of documented()) {
      const storeKey = (op.security ?? []).some((s: Json) => 'storeKey' in s);
      const segment = (op.security ?? []).some((s: Json) => 'segmentWriteKey' in s);
      if (storeKey) expect(STORE_KEY_CASES[key], `no case for ${key} in test/support/route-cases.ts`).toBeDefined();
      else if (!segment) expect(PUBLIC.has(key) || OWN_CASES.has(key), `no case for ${key}`).toBe(true);
    }
  });

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

  it('public routes answer without a key and show no store’s data', async () => {
    for (const key of PUBLIC) {
      const [method, path] = key.split(' ') as ['GET', string];
      const res = await h.call(method, path, undefined, { as: null });
      expect(res.statusCode, key).toBe(200);
      expect(leaked(res, ''), key).toEqual([]);
    }
  });
  it('store-key routes: A’s key works on A’s objects; B’s key, no key and a garbage key never do', async () => {
    // Reads first (before B has made anything of its own under A's names), then writes; calls
    // that end something (deletions, disabling) last, so every other route still finds A's objects.
    const phase = (method: string, path: string) =>
      method === 'GET' ? 0 : method === 'DELETE' || path.endsWith('/disable') ? 2 : 1;
    const routes = documented()
      .filter(({ op }) => (op.security ?? []).some((s: Json) => 'storeKey' in s))
      .sort((x, y) => phase(x.method, x.path) - phase(y.method, y.path));
    const problems: string[] = [];
    /** Names B made its own (a template or journey of the same name): B may then act on them. */
    const bOwns = new Set<string>();
    /** Ids of A that B itself sent (B may keep them, e.g. as a customer id of its own). */
    let bSent = '';
    for (const { key, method, path } of routes) {
      const make = STORE_KEY_CASES[key];
      if (!make) continue; // reported by the case above
      const c = make(a);
      const url = caseUrl(path, c);
      const body = c.body;
      bSent += ` ${url} ${JSON.stringify(body ?? null)}`;
      const params = Object.values(c.params ?? {});
      const call = (as: typeof a.as | null, headers: Record<string, string> = {}) =>
        h.call(method as 'GET', url, body, { as, headers });

      const none = await call(null);
      if (none.statusCode !== 401) problems.push(`${key} without a key: ${none.statusCode}`);
      const garbage = await call(null, { authorization: 'Bearer sw_key_not_a_real_key_at_all_123456' });
      if (garbage.statusCode !== 401) problems.push(`${key} with a garbage key: ${garbage.statusCode}`);
      const other = await call(b.as);
      const ownName = c.sameNameIsOwn || (params.length > 0 && params.every((p) => bOwns.has(p)));
      if (other.statusCode >= 500) problems.push(`${key} with B's key: ${other.statusCode}`);
      if (params.length > 0 && !ownName && other.statusCode < 400)
        problems.push(`${key} with B's key on A's objects: ${other.statusCode} ${other.body.slice(0, 200)}`);
      if (c.sameNameIsOwn && other.statusCode < 300) for (const p of params) bOwns.add(p);
      const seen = leaked(other, bSent);
      if (seen.length > 0) problems.push(`${key} with B's key shows A's ${seen.join(', ')}`);

      // After B tried: A's own call still works (B changed or removed nothing of A's).
      const own = await call(a.as);
      if (own.statusCode < 200 || own.statusCode >= 300)
        problems.push(`${key} with A's own key (the control): ${own.statusCode} ${own.body.slice(0, 300)}`);
      tried.add(key);
    }
    expect(problems).toEqual([]);
    expect(tried.size).toBe(routes.length);
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/domain/roles.js';
import { rolesFor } from '../src/http/access.js';
import { registeredRoutes } from '../src/http/server.js';
import { type Browser, signedIn, signIn } from './support/accounts.js';
import { ManualClock } from './support/clock.js';
import { describeEachDatabase } from './support/databases.js';
import { type FakeWhatsApp, startFakeWhatsApp, startWebhookReceiver } from './support/fake-meta/index.js';
import { useHarness } from './support/harness.js';
import { caseUrl, OWN_WAY_ROUTES, PUBLIC_ROUTES, STORE_KEY_CASES } from './support/route-cases.js';
import { buildWorld, markersOf, type World } from './support/world.js';

type Json = any;

/**
 * No store reaches another's data, through any route — including routes added later: the
 * routes come from /openapi.json (and the suite fails when the server has a route the document
 * does not list), the roles from the access table (src/http/access.ts). Every store route is
 * called for store A's objects by everyone who must not reach them — no key, a garbage key, B's
 * key; no cookie, a garbage cookie, a signed-out session's; B's owner signed in to B; A's owner
 * naming store B (404, as a store that does not exist) or no store (400); each role of A the
 * table does not allow (403); a state-changing call without A's session's CSRF token (403) —
 * and then, as positive controls (a route that fails for everyone fails here), by A's key and
 * by A's members in every role the table allows, which must all succeed. The routes that take
 * no store key have their own cases in isolation-own-ways.test.ts.
 */
describeEachDatabase('isolation: one store never reaches another', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  let fake: FakeWhatsApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let a: World;
  let b: World;
  let doc: Json;
  /** A's members, one per role, and B's owner, each signed in through POST /v1/session. */
  const aMember = {} as Record<Role, Browser>;
  let bOwner: Browser;
  /** A cookie whose session was ended by signing out. */
  let signedOutCookie: string;
  const tried = new Set<string>();

  beforeAll(async () => {
    fake = await startFakeWhatsApp({ throughputPerSecond: 1000 });
    receiver = await startWebhookReceiver(500);
    a = await buildWorld(h, clock, 'a', fake, receiver.url);
    b = await buildWorld(h, clock, 'b', fake, receiver.url);
    doc = (await h.get('/openapi.json')).json();
    for (const role of ROLES) aMember[role] = await signedIn(h, a.storeId, role);
    bOwner = await signedIn(h, b.storeId, 'owner');
    const leaving = await signIn(h, aMember.owner.email);
    expect((await leaving.call('DELETE', '/v1/session')).statusCode).toBe(204);
    signedOutCookie = leaving.cookie;
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
  const schemes = (op: Json): string[] => (op.security ?? []).flatMap((s: Json) => Object.keys(s));
  /** What B must never read: A's ids, unless B's own request carried them. */
  const leaked = (res: LightMyRequestResponse, sent: string) =>
    markersOf(a).filter((m) => res.body.includes(m) && !sent.includes(m) && !sent.includes(encodeURIComponent(m)));
  const codeOf = (res: LightMyRequestResponse): string | null => {
    try {
      return JSON.parse(res.body)?.error?.code ?? null;
    } catch {
      return null;
    }
  };

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

  it('every route has a case: store routes in route-cases.ts (keys and sessions alike), the others their own', () => {
    for (const { key, op } of documented()) {
      const security = schemes(op);
      if (security.includes('storeKey')) {
        expect(STORE_KEY_CASES[key], `no case for ${key} in test/support/route-cases.ts`).toBeDefined();
        // The dashboard calls every store route with its session: the document says so.
        expect(security, key).toContain('session');
      } else if (!security.includes('segmentWriteKey'))
        expect(PUBLIC_ROUTES.has(key) || OWN_WAY_ROUTES.has(key), `no case for ${key}`).toBe(true);
    }
  });

  it('public routes answer without a key and show no store’s data', async () => {
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ') as ['GET', string];
      const res = await h.call(method, path, undefined, { as: null });
      expect(res.statusCode, key).toBe(200);
      expect(leaked(res, ''), key).toEqual([]);
    }
  });

  it('store routes: A’s key and A’s members work on A’s objects as the roles allow; nobody else ever does', async () => {
    // Reads first (before B has made anything of its own under A's names), then writes; calls
    // that end something (deletions, disabling) last, so every other route still finds A's objects.
    const phase = (method: string, path: string) =>
      method === 'GET' ? 0 : method === 'DELETE' || path.endsWith('/disable') ? 2 : 1;
    const routes = documented()
      .filter(({ op }) => schemes(op).includes('storeKey'))
      .sort((x, y) => phase(x.method, x.path) - phase(y.method, y.path));
    const problems: string[] = [];
    /** Names B made its own (a template or journey of the same name): B may then act on them. */
    const bOwns = new Set<string>();
    /** Ids of A that B itself sent (B may keep them, e.g. as a customer id of its own). */
    let bSent = '';
    let roleCalls = 0;
    for (const { key, method, path } of routes) {
      const make = STORE_KEY_CASES[key];
      if (!make) continue; // reported by the case above
      const c = make(a);
      const url = caseUrl(path, c);
      const body = c.body;
      bSent += ` ${url} ${JSON.stringify(body ?? null)}`;
      const params = Object.values(c.params ?? {});
      const stateChanging = method !== 'GET';
      const call = (as: typeof a.as | null, headers: Record<string, string> = {}) =>
        h.call(method as 'GET', url, body, { as, headers });
      const asMember = (who: Browser, store: string | null, csrf?: string | null) =>
        who.call(method as 'GET', url, { store, body, csrf });
      const expectAnswer = (res: LightMyRequestResponse, who: string, status: number, code: string) => {
        if (res.statusCode !== status || codeOf(res) !== code)
          problems.push(`${key} ${who}: ${res.statusCode} ${res.body.slice(0, 200)} (expected ${status} ${code})`);
      };

      // Strangers: no key, a garbage key; no cookie (the dashboard's headers alone), a garbage
      // cookie, the cookie of a session that signed out.
      const stranger = 'sw_key_not_a_real_key_at_all_123456';
      expectAnswer(await call(null), 'without a key', 401, 'UNAUTHORIZED');
      expectAnswer(
        await call(null, { authorization: `Bearer ${stranger}` }),
        'with a garbage key',
        401,
        'UNAUTHORIZED',
      );
      const dashboardHeaders = { 'x-store-id': a.storeId, 'x-csrf-token': aMember.owner.csrfToken };
      expectAnswer(await call(null, dashboardHeaders), 'without a cookie', 401, 'UNAUTHORIZED');
      const garbageCookie = { ...dashboardHeaders, cookie: `sw_session=${'A'.repeat(43)}` };
      expectAnswer(await call(null, garbageCookie), 'with a garbage cookie', 401, 'UNAUTHORIZED');
      const ended = { ...dashboardHeaders, cookie: signedOutCookie };
      expectAnswer(await call(null, ended), "with a signed-out session's cookie", 401, 'UNAUTHORIZED');

      // B, with its key and with its owner signed in to B: never A's objects, never A's ids.
      const ownName = c.sameNameIsOwn || (params.length > 0 && params.every((p) => bOwns.has(p)));
      // (Each answer is told to the case: a new key of B's is B's key from then on.)
      const byB = async (res: Promise<LightMyRequestResponse>) => {
        const answer = await res;
        c.answered?.(b, answer);
        return answer;
      };
      for (const [who, other] of [
        ["B's key", await byB(call(b.as))],
        ["B's owner signed in to B", await byB(asMember(bOwner, b.storeId))],
      ] as const) {
        if (other.statusCode >= 500) problems.push(`${key} with ${who}: ${other.statusCode}`);
        if (params.length > 0 && !ownName && other.statusCode < 400)
          problems.push(`${key} with ${who} on A's objects: ${other.statusCode} ${other.body.slice(0, 200)}`);
        if (c.sameNameIsOwn && other.statusCode < 300) for (const p of params) bOwns.add(p);
        const seen = leaked(other, bSent);
        if (seen.length > 0) problems.push(`${key} with ${who} shows A's ${seen.join(', ')}`);
      }

      // A's members the wrong way: naming a store they are not in (404 NOT_FOUND, the very answer
      // for a store that does not exist), naming none (400), a role the table does not allow (403),
      // a state-changing call without the session's CSRF token or with another session's (403).
      const notMine = await asMember(aMember.owner, b.storeId);
      expectAnswer(notMine, 'by A’s owner naming store B', 404, 'NOT_FOUND');
      const noSuchStore = await asMember(aMember.owner, 'st_00000000000000000000000000');
      if (notMine.body !== noSuchStore.body)
        problems.push(`${key}: store B answers ${notMine.body}, a store that does not exist ${noSuchStore.body}`);
      expectAnswer(await asMember(aMember.owner, null), 'by A’s owner naming no store', 400, 'STORE_REQUIRED');
      const allowed = rolesFor(method, path.replace(/\{([^}]+)\}/g, ':$1'));
      for (const role of ROLES.filter((r) => !allowed.includes(r))) {
        expectAnswer(await asMember(aMember[role], a.storeId), `by A's ${role}`, 403, 'FORBIDDEN');
        roleCalls++;
      }
      if (stateChanging) {
        const member = aMember[allowed[allowed.length - 1]!];
        expectAnswer(await asMember(member, a.storeId, null), 'without X-CSRF-Token', 403, 'CSRF_FAILED');
        expectAnswer(
          await asMember(member, a.storeId, bOwner.csrfToken),
          "with another session's X-CSRF-Token",
          403,
          'CSRF_FAILED',
        );
      }

      // The controls, after everyone else tried (so nothing of A's was changed or removed): A's
      // key, then each role the table allows; a read answers every one of them alike.
      const own = await call(a.as);
      c.answered?.(a, own);
      if (own.statusCode < 200 || own.statusCode >= 300)
        problems.push(`${key} with A's own key (the control): ${own.statusCode} ${own.body.slice(0, 300)}`);
      for (const role of allowed) {
        await c.again?.(h, a);
        const fresh = make(a);
        const res = await aMember[role].call(method as 'GET', caseUrl(path, fresh), {
          store: a.storeId,
          body: fresh.body,
        });
        fresh.answered?.(a, res);
        if (res.statusCode < 200 || res.statusCode >= 300)
          problems.push(`${key} by A's ${role} (the control): ${res.statusCode} ${res.body.slice(0, 300)}`);
        else if (!stateChanging && res.body !== own.body)
          problems.push(`${key} by A's ${role} answers otherwise than A's key: ${res.body.slice(0, 300)}`);
        roleCalls++;
      }
      tried.add(key);
    }
    expect(problems).toEqual([]);
    expect(tried.size).toBe(routes.length);
    // Every role was tried on every store route: let through, or refused.
    expect(roleCalls).toBe(routes.length * ROLES.length);
  });
});

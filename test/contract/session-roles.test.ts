import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { rolesFor } from '../../src/http/access.js';
import { ROLES, type Role } from '../../src/domain/roles.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { member, signIn, signedIn } from '../support/accounts.js';

type Json = any;

/** Store routes called with a session: X-Store-Id, membership (404 otherwise), roles (403), CSRF. */
describeEachDatabase('store routes with a session', (target) => {
  const h = useHarness(target);

  const contactOf = async (as: Parameters<typeof h.post>[2], customerId: string) => {
    const res = await h.post('/v1/contacts', { customer_id: customerId, name: 'Asha Rao', phone: '+919820000001' }, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().contacts[0].id as string;
  };

  it('reads the store the X-Store-Id header names; without it 400 STORE_REQUIRED', async () => {
    const owner = await signedIn(h, h.shop.store.id, 'owner');
    const contactId = await contactOf(h.shop, 'c-1');
    const res = await owner.call('GET', `/v1/contacts/${contactId}`, { store: h.shop.store.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: contactId, name: 'Asha Rao' });
    const noStore = await owner.call('GET', `/v1/contacts/${contactId}`);
    expect([noStore.statusCode, noStore.json().error.code]).toEqual([400, 'STORE_REQUIRED']);
  });

  it("another store's data is a 404 NOT_FOUND exactly like a store that does not exist", async () => {
    const other = await h.newStore({ name: 'Other Shop' });
    const theirs = await contactOf(other, 'c-theirs');
    const agent = await signedIn(h, h.shop.store.id, 'agent');
    const foreign = await agent.call('GET', `/v1/contacts/${theirs}`, { store: other.store.id });
    const missing = await agent.call('GET', `/v1/contacts/${theirs}`, { store: 'st_00000000000000000000000000' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual({ error: { code: 'NOT_FOUND', message: `no route GET /v1/contacts/${theirs}` } });
    expect(missing.json()).toEqual(foreign.json());
    // In their own store the id means nothing either.
    const own = await agent.call('GET', `/v1/contacts/${theirs}`, { store: h.shop.store.id });
    expect([own.statusCode, own.json().error.code]).toEqual([404, 'CONTACT_NOT_FOUND']);
    // Writes too: the other store's orders cannot be touched.
    const optIn = await agent.call('POST', '/v1/orders/X-1/whatsapp-subscription', {
      store: other.store.id,
      body: {
        contactPhone: '9820000001',
        email: 'a@b.example',
        accountId: other.store.id,
        whatsAppStatus: 'ACTIVE',
      },
    });
    expect([optIn.statusCode, optIn.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('one person in two stores has the role of each store in it', async () => {
    const second = await h.newStore({ name: 'Second Shop' });
    const { email } = await member(h, h.shop.store.id, 'owner');
    await member(h, second.store.id, 'agent', email);
    const session = await signIn(h, email);
    const body = (await session.call('GET', '/v1/session')).json();
    expect(body.stores).toEqual(
      expect.arrayContaining([
        { id: h.shop.store.id, name: 'Test Shop', role: 'owner' },
        { id: second.store.id, name: 'Second Shop', role: 'agent' },
      ]),
    );
    expect((await session.call('PUT', '/v1/channels/sandbox', { store: h.shop.store.id })).statusCode).toBe(200);
    const asAgent = await session.call('PUT', '/v1/channels/sandbox', { store: second.store.id });
    expect([asAgent.statusCode, asAgent.json().error.code]).toEqual([403, 'FORBIDDEN']);
    // The contacts each store shows are its own.
    const mine = await contactOf(second, 'c-second');
    expect((await session.call('GET', `/v1/contacts/${mine}`, { store: second.store.id })).statusCode).toBe(200);
    const wrongStore = await session.call('GET', `/v1/contacts/${mine}`, { store: h.shop.store.id });
    expect(wrongStore.json().error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('a state-changing request with the cookie needs X-CSRF-Token (403 CSRF_FAILED); a Bearer key needs none', async () => {
    const marketer = await signedIn(h, h.shop.store.id, 'marketer');
    const template = {
      channel: 'whatsapp',
      language: 'en',
      category: 'marketing',
      body: { text: 'Hello {{1}}' },
      parameters: { 1: '{{ contact.first_name }}' },
    };
    const none = await marketer.call('PUT', '/v1/templates/csrf_check', {
      store: h.shop.store.id,
      body: template,
      csrf: null,
    });
    expect([none.statusCode, none.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    const wrong = await marketer.call('PUT', '/v1/templates/csrf_check', {
      store: h.shop.store.id,
      body: template,
      csrf: 'x'.repeat(43),
    });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    expect((await h.get('/v1/templates/csrf_check')).statusCode).toBe(404);
    const ok = await marketer.call('PUT', '/v1/templates/csrf_check', { store: h.shop.store.id, body: template });
    expect(ok.statusCode, ok.body).toBeLessThan(300);
    expect((await h.call('DELETE', '/v1/templates/csrf_check')).statusCode).toBeLessThan(300);
    // Reads need no token.
    expect((await marketer.call('GET', '/v1/templates', { store: h.shop.store.id, csrf: null })).statusCode).toBe(200);
  });

  it('every store route of /openapi.json answers each role as the access rules say: 403 FORBIDDEN or let through', async () => {
    const doc = (await h.get('/openapi.json')).json();
    const browsers = Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, await signedIn(h, h.shop.store.id, role)] as const)),
    );
    let checked = 0;
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, operation] of Object.entries(operations as Record<string, Json>)) {
        const security = (operation.security ?? []).flatMap((s: Json) => Object.keys(s));
        if (!security.includes('session') || path === '/v1/session') continue;
        const url = path.replace(/\{[^}]+\}/g, 'x');
        const pattern = path.replace(/\{([^}]+)\}/g, ':$1');
        for (const role of ROLES) {
          const res = await browsers[role]!.call(method.toUpperCase() as never, url, { store: h.shop.store.id });
          const allowed = rolesFor(method.toUpperCase(), pattern).includes(role as Role);
          const code = /json/.test(String(res.headers['content-type'])) ? (res.json().error?.code ?? null) : null;
          if (allowed) expect([method, path, role, code]).not.toEqual([method, path, role, 'FORBIDDEN']);
          else expect([method, path, role, res.statusCode, code]).toEqual([method, path, role, 403, 'FORBIDDEN']);
          expect([method, path, role, code]).not.toEqual([method, path, role, 'UNAUTHORIZED']);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(120);
  });
});

it('docs/dashboard.md lists every store route with the roles that may use it', async () => {
  const doc = readFileSync(new URL('../../docs/dashboard.md', import.meta.url), 'utf8');
  const { routeAccessTable } = await import('../support/route-access-table.js');
  const table = await routeAccessTable();
  expect(doc, `docs/dashboard.md should contain this table:\n${table}`).toContain(table);
});

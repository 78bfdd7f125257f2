import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { member, signIn, signedIn } from '../support/accounts.js';

/**
 * Store routes called with a session, beyond what the isolation suite tries on every route
 * (test/isolation.test.ts: each role of the access table let through or refused with 403, a store
 * the member is not in 404 as one that does not exist, no X-Store-Id 400, no CSRF token 403): one
 * person with a different role in each of two stores, and a write refused for its CSRF token
 * that leaves nothing written.
 */
describeEachDatabase('store routes with a session', (target) => {
  const h = useHarness(target);

  const contactOf = async (as: Parameters<typeof h.post>[2], customerId: string) => {
    const res = await h.post('/v1/contacts', { customer_id: customerId, name: 'Asha Rao', phone: '+919820000001' }, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().contacts[0].id as string;
  };

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
});

it('docs/dashboard.md lists every store route with the roles that may use it', async () => {
  const doc = readFileSync(new URL('../../docs/dashboard.md', import.meta.url), 'utf8');
  const { routeAccessTable } = await import('../support/route-access-table.js');
  const table = await routeAccessTable();
  expect(doc, `docs/dashboard.md should contain this table:\n${table}`).toContain(table);
});

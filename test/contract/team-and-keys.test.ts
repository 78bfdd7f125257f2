import { expect, it } from 'vitest';
import { member, signIn, signedIn } from '../support/accounts.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { basicAuth } from '../support/segment.js';

type Json = any;

/**
 * The owner's access APIs: API key rotation (POST /v1/store/api-key: a new key shown once, the
 * old one refused at once, the ingest URL untouched) and the team API (GET / POST
 * /v1/store/members, PATCH / DELETE /v1/store/members/{userId}; the store keeps an owner).
 */
describeEachDatabase('API key rotation and the team API', (target) => {
  const h = useHarness(target);
  const codeOf = (res: { statusCode: number; json(): Json }) => [res.statusCode, res.json().error?.code];

  it('rotating the key answers a new key once; the old key is then 401, the new one works, the ingest URL still does', async () => {
    const store = await h.newStore({ name: 'Rotating Shop' });
    const old = { ...store };
    const res = await h.post('/v1/store/api-key', undefined, store);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { apiKey } = res.json();
    expect(apiKey).toMatch(/^sw_key_/);
    expect(apiKey).not.toBe(old.apiKey);
    const before = await h.get('/v1/store/settings', old);
    expect(codeOf(before)).toEqual([401, 'UNAUTHORIZED']);
    const fresh = { ...store, apiKey };
    expect((await h.get('/v1/store/settings', fresh)).json().name).toBe('Rotating Shop');
    const ingest = await h.call('POST', `/v1/ingest/${store.ingestToken}/events`, seedEvent('product_view'), {
      as: null,
    });
    expect(ingest.statusCode, ingest.body).toBeLessThan(300);
    // The key is nowhere to be read again: not in the settings, not in the team.
    expect((await h.get('/v1/store/settings', fresh)).body).not.toContain(apiKey);
    // Another store's key is untouched.
    expect((await h.get('/v1/store/settings')).statusCode).toBe(200);
  });

  it('a new ingest token (the Segment write key) is shown once; the old one is refused at the ingest URL and by Segment, the API key stays', async () => {
    const store = await h.newStore({ name: 'Ingest Shop' });
    const old = store.ingestToken;
    const segment = (writeKey: string) =>
      h.call(
        'POST',
        '/v1/track',
        { userId: 'u1', event: 'Viewed', messageId: `m-${writeKey.slice(-6)}` },
        {
          as: null,
          headers: { authorization: basicAuth(writeKey) },
        },
      );
    expect((await segment(old)).statusCode).toBe(200);
    const res = await h.post('/v1/store/ingest-token', undefined, store);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { ingestToken, ingestUrl } = res.json();
    expect(ingestToken).toMatch(/^sw_ing_/);
    expect(ingestUrl).toMatch(new RegExp(`/v1/ingest/${ingestToken}/events$`));
    const ingest = (token: string) =>
      h.call('POST', `/v1/ingest/${token}/events`, seedEvent('product_view'), { as: null });
    expect(codeOf(await ingest(old))).toEqual([401, 'UNAUTHORIZED']);
    expect((await segment(old)).statusCode).toBe(401);
    expect((await ingest(ingestToken)).statusCode).toBeLessThan(300);
    expect((await segment(ingestToken)).statusCode).toBe(200);
    expect((await h.get('/v1/store/settings', store)).statusCode).toBe(200);
  });

  it('an owner signed in rotates the key; a marketer and an agent are refused and the key stays', async () => {
    const store = await h.newStore({ name: 'Team Rotation' });
    const marketer = await signedIn(h, store.store.id, 'marketer');
    const agent = await signedIn(h, store.store.id, 'agent');
    for (const who of [marketer, agent]) {
      const refused = await who.call('POST', '/v1/store/api-key', { store: store.store.id });
      expect(codeOf(refused)).toEqual([403, 'FORBIDDEN']);
    }
    expect((await h.get('/v1/store/settings', store)).statusCode).toBe(200);
    const owner = await signedIn(h, store.store.id, 'owner');
    const res = await owner.call('POST', '/v1/store/api-key', { store: store.store.id });
    expect(res.statusCode, res.body).toBe(201);
    expect((await h.get('/v1/store/settings', store)).statusCode).toBe(401);
    expect((await h.get('/v1/store/settings', { ...store, apiKey: res.json().apiKey })).statusCode).toBe(200);
  });

  it('lists the team, adds a new person with a password shown once who can then sign in, and an existing account keeps its password', async () => {
    const store = await h.newStore({ name: 'Team Shop' });
    const owner = await member(h, store.store.id, 'owner', `owner-${Date.now()}@team.example`);
    const list = async () => (await h.get('/v1/store/members', store)).json().members as Json[];
    expect((await list()).map((m) => [m.email, m.role])).toEqual([[owner.email, 'owner']]);

    const added = await h.post(
      '/v1/store/members',
      { email: '  Priya@Team.Example ', role: 'marketer', name: 'Priya' },
      store,
    );
    expect(added.statusCode, added.body).toBe(201);
    expect(added.headers['cache-control']).toBe('no-store');
    const { member: priya, password } = added.json();
    expect(priya).toMatchObject({ email: 'priya@team.example', name: 'Priya', role: 'marketer' });
    expect(password).toEqual(expect.any(String));
    const session = await signIn(h, 'priya@team.example', password);
    expect((await session.call('GET', '/v1/session')).json().stores).toEqual([
      { id: store.store.id, name: 'Team Shop', role: 'marketer' },
    ]);
    // The password is never shown again.
    expect(JSON.stringify(await list())).not.toContain(password);

    // Someone with an account elsewhere joins with their own password and name.
    const other = await h.newStore({ name: 'Elsewhere' });
    const elsewhere = await member(h, other.store.id, 'owner', `elsewhere-${Date.now()}@team.example`);
    const joined = await h.post('/v1/store/members', { email: elsewhere.email, role: 'agent', name: 'Renamed' }, store);
    expect(joined.statusCode, joined.body).toBe(201);
    expect(joined.json()).toMatchObject({
      member: { email: elsewhere.email, role: 'agent', name: null },
      password: null,
    });
    const theirs = await signIn(h, elsewhere.email);
    expect((await theirs.call('GET', '/v1/session')).json().stores).toHaveLength(2);
    expect((await list()).map((m) => [m.email, m.role])).toEqual(
      [
        [owner.email, 'owner'],
        [elsewhere.email, 'agent'],
        ['priya@team.example', 'marketer'],
      ].sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );

    // Adding someone already in the store is refused (PATCH changes a role); bad input is a 400.
    const again = await h.post('/v1/store/members', { email: 'priya@team.example', role: 'owner' }, store);
    expect(codeOf(again)).toEqual([409, 'MEMBER_EXISTS']);
    expect(codeOf(await h.post('/v1/store/members', { email: 'not-an-email', role: 'agent' }, store))).toEqual([
      400,
      'INVALID_USER',
    ]);
    expect(codeOf(await h.post('/v1/store/members', { email: 'x@y.example', role: 'boss' }, store))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
  });

  it('changes a role (taking effect on the next request) and removes a member, whose account and other stores stay', async () => {
    const store = await h.newStore({ name: 'Roles Shop' });
    await member(h, store.store.id, 'owner');
    const other = await h.newStore({ name: 'Other Roles Shop' });
    const { email, userId } = await member(h, store.store.id, 'agent');
    await member(h, other.store.id, 'marketer', email);
    const session = await signIn(h, email);
    const sandbox = () => session.call('PUT', '/v1/channels/sandbox', { store: store.store.id });
    expect(codeOf(await sandbox())).toEqual([403, 'FORBIDDEN']);

    const promoted = await h.call('PATCH', `/v1/store/members/${userId}`, { role: 'owner' }, { as: store });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({ userId, email, role: 'owner' });
    expect((await sandbox()).statusCode).toBe(200);

    const removed = await h.call('DELETE', `/v1/store/members/${userId}`, undefined, { as: store });
    expect(removed.statusCode, removed.body).toBe(204);
    // Out of this store (404, as a store that does not exist), still in the other.
    expect(codeOf(await sandbox())).toEqual([404, 'NOT_FOUND']);
    expect((await session.call('GET', '/v1/session')).json().stores).toEqual([
      { id: other.store.id, name: 'Other Roles Shop', role: 'marketer' },
    ]);
    expect(codeOf(await h.call('DELETE', `/v1/store/members/${userId}`, undefined, { as: store }))).toEqual([
      404,
      'MEMBER_NOT_FOUND',
    ]);
    expect(codeOf(await h.call('PATCH', `/v1/store/members/${userId}`, { role: 'agent' }, { as: store }))).toEqual([
      404,
      'MEMBER_NOT_FOUND',
    ]);
  });

  it('the last owner can neither be demoted nor removed, even by themselves; with a second owner both can', async () => {
    const store = await h.newStore({ name: 'Owner Shop' });
    const only = await signedIn(h, store.store.id, 'owner');
    const demote = (userId: string, as = only) =>
      as.call('PATCH', `/v1/store/members/${userId}`, { store: store.store.id, body: { role: 'marketer' } });
    const remove = (userId: string, as = only) =>
      as.call('DELETE', `/v1/store/members/${userId}`, { store: store.store.id });
    expect(codeOf(await demote(only.userId))).toEqual([409, 'LAST_OWNER']);
    expect(codeOf(await remove(only.userId))).toEqual([409, 'LAST_OWNER']);
    expect(codeOf(await h.call('DELETE', `/v1/store/members/${only.userId}`, undefined, { as: store }))).toEqual([
      409,
      'LAST_OWNER',
    ]);
    // Keeping the owner an owner is no change and is allowed.
    const same = await only.call('PATCH', `/v1/store/members/${only.userId}`, {
      store: store.store.id,
      body: { role: 'owner' },
    });
    expect(same.statusCode, same.body).toBe(200);

    const second = await signedIn(h, store.store.id, 'owner');
    expect((await demote(only.userId)).statusCode).toBe(200);
    // Now `second` is the last owner: the demoted one may not touch the team any more.
    expect(codeOf(await remove(second.userId, only))).toEqual([403, 'FORBIDDEN']);
    expect(codeOf(await remove(second.userId, second))).toEqual([409, 'LAST_OWNER']);
    const roles = (await h.get('/v1/store/members', store))
      .json()
      .members.map((m: Json) => m.role)
      .sort();
    expect(roles).toEqual(['marketer', 'owner']);
  });

  it('two owners demoting each other at the same time leave one owner', async () => {
    const store = await h.newStore({ name: 'Race Shop' });
    const x = await signedIn(h, store.store.id, 'owner');
    const y = await signedIn(h, store.store.id, 'owner');
    const answers = await Promise.all([
      x.call('PATCH', `/v1/store/members/${y.userId}`, { store: store.store.id, body: { role: 'agent' } }),
      y.call('PATCH', `/v1/store/members/${x.userId}`, { store: store.store.id, body: { role: 'agent' } }),
    ]);
    const owners = (await h.get('/v1/store/members', store)).json().members.filter((m: Json) => m.role === 'owner');
    expect(owners).toHaveLength(1);
    expect(answers.map((a) => a.statusCode).sort()).toEqual(
      answers.some((a) => a.statusCode === 403) ? [200, 403] : [200, 409],
    );
  });

  it("a store's key never reaches another store's members", async () => {
    const mine = await h.newStore({ name: 'Mine' });
    const theirs = await h.newStore({ name: 'Theirs' });
    const { userId, email } = await member(h, theirs.store.id, 'owner');
    expect((await h.get('/v1/store/members', mine)).body).not.toContain(email);
    for (const res of [
      await h.call('PATCH', `/v1/store/members/${userId}`, { role: 'agent' }, { as: mine }),
      await h.call('DELETE', `/v1/store/members/${userId}`, undefined, { as: mine }),
    ])
      expect(codeOf(res)).toEqual([404, 'MEMBER_NOT_FOUND']);
    expect((await h.get('/v1/store/members', theirs)).json().members).toEqual([
      expect.objectContaining({ userId, role: 'owner' }),
    ]);
  });
});

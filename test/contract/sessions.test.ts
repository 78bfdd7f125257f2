import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { browser, cookieFrom, member, PASSWORD, signIn } from '../support/accounts.js';
import { createSignInLink } from '../../src/accounts/sign-in-links.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Dashboard sessions (docs/dashboard.md): sign-in, the cookie, expiry, sign-out, attempt limits, sign-in links. */
describeEachDatabase('sessions', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  it('signs in with email and password: the session body, an HttpOnly SameSite=Lax cookie, and only a hash of the token stored', async () => {
    const { email, userId } = await member(h, h.shop.store.id, 'marketer', 'Mixed.Case@Team.example');
    const res = await h.call(
      'POST',
      '/v1/session',
      { email: 'mixed.case@team.example', password: PASSWORD },
      { as: null },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      user: { id: userId, email, name: null },
      stores: [{ id: h.shop.store.id, name: 'Test Shop', role: 'marketer' }],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
    });
    expect(res.headers['cache-control']).toBe('no-store');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^sw_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/);
    const token = cookieFrom(res).split('=')[1]!;
    const rows = await h.app.storage.db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
    expect(rows.map((r) => r.token_hash)).toEqual([createHash('sha256').update(token).digest('hex')]);

    const again = await h.call('GET', '/v1/session', undefined, { as: null, headers: { cookie: cookieFrom(res) } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
  });

  it('answers a wrong password and an unknown email alike: 401 INVALID_CREDENTIALS', async () => {
    const { email } = await member(h, h.shop.store.id, 'agent');
    const wrong = await h.call('POST', '/v1/session', { email, password: 'not the password' }, { as: null });
    const unknown = await h.call(
      'POST',
      '/v1/session',
      { email: 'nobody@team.example', password: PASSWORD },
      { as: null },
    );
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: { code: 'INVALID_CREDENTIALS', message: 'the email or the password is wrong' },
      });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    const missing = await h.call('POST', '/v1/session', { email }, { as: null });
    expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('GET /v1/session without a session (or with an unknown one) is 401 UNAUTHORIZED', async () => {
    const none = await h.call('GET', '/v1/session', undefined, { as: null });
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    const forged = await h.call('GET', '/v1/session', undefined, {
      as: null,
      headers: { cookie: 'sw_session=forgedforgedforgedforgedforgedforgedforged' },
    });
    expect([forged.statusCode, forged.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    expect(String(forged.headers['set-cookie'])).toContain('sw_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });

  it('ends after 12 idle hours; use keeps it alive, but never past 7 days', async () => {
    const { email } = await member(h, h.shop.store.id, 'owner');
    const idle = await signIn(h, email);
    const busy = await signIn(h, email);
    for (let i = 0; i < 7; i++) {
      clock.advance(11 * HOUR);
      expect((await busy.call('GET', '/v1/session')).statusCode).toBe(200);
      clock.advance(11 * HOUR);
      expect((await busy.call('GET', '/v1/messages', { store: h.shop.store.id })).statusCode).toBe(200);
    }
    const idled = await idle.call('GET', '/v1/session');
    expect([idled.statusCode, idled.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    // 6 days 21 hours in: still alive; past 7 days from sign-in it ends however busy.
    clock.advance(11 * HOUR);
    expect((await busy.call('GET', '/v1/session')).statusCode).toBe(200);
    clock.advance(4 * HOUR);
    expect((await busy.call('GET', '/v1/session')).statusCode).toBe(401);
    expect((await busy.call('GET', '/v1/contacts', { store: h.shop.store.id })).statusCode).toBe(401);
  });

  it('signs out with DELETE /v1/session (CSRF header needed): the session ends and the cookie is cleared', async () => {
    const { email } = await member(h, h.shop.store.id, 'agent');
    const session = await signIn(h, email);
    const other = await signIn(h, email);
    const noToken = await session.call('DELETE', '/v1/session', { csrf: null });
    expect([noToken.statusCode, noToken.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    const wrongToken = await session.call('DELETE', '/v1/session', { csrf: other.csrfToken });
    expect([wrongToken.statusCode, wrongToken.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    expect((await session.call('GET', '/v1/session')).statusCode).toBe(200);

    const out = await session.call('DELETE', '/v1/session');
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sw_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    expect((await session.call('GET', '/v1/session')).statusCode).toBe(401);
    expect((await session.call('GET', '/v1/contacts', { store: h.shop.store.id })).statusCode).toBe(401);
    // Only that browser is signed out.
    expect((await other.call('GET', '/v1/session')).statusCode).toBe(200);
  });

  it('after 5 failures in 15 minutes the account is refused with 429 and Retry-After, even with the right password', async () => {
    const { email } = await member(h, h.shop.store.id, 'owner');
    const attempt = (password: string, remoteAddress = '203.0.113.7') =>
      h.app.server.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, remoteAddress });
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000);
      expect((await attempt(`wrong ${i}`)).statusCode).toBe(401);
    }
    const blocked = await attempt(PASSWORD, '198.51.100.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('TOO_MANY_SIGN_IN_ATTEMPTS');
    // The oldest failure leaves the 15-minute window 11 minutes from now.
    expect(blocked.headers['retry-after']).toBe(String(11 * 60));
    clock.advance(11 * 60_000 + 1);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
    // A success clears the account's count.
    for (let i = 0; i < 4; i++) expect((await attempt(`wrong again ${i}`)).statusCode).toBe(401);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
  });

  it('after 50 failures from one address in 15 minutes that address is refused (429); others are not', async () => {
    const { email } = await member(h, h.shop.store.id, 'owner');
    const attempt = (body: { email: string; password: string }, remoteAddress: string) =>
      h.app.server.inject({ method: 'POST', url: '/v1/session', payload: body, remoteAddress });
    for (let i = 0; i < 50; i++)
      expect((await attempt({ email: `guess${i}@team.example`, password: 'x' }, '192.0.2.50')).statusCode).toBe(401);
    const blocked = await attempt({ email, password: PASSWORD }, '192.0.2.50');
    expect([blocked.statusCode, blocked.json().error.code]).toEqual([429, 'TOO_MANY_SIGN_IN_ATTEMPTS']);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt({ email, password: PASSWORD }, '192.0.2.51')).statusCode).toBe(200);
    clock.advance(15 * 60_000);
    expect((await attempt({ email, password: PASSWORD }, '192.0.2.50')).statusCode).toBe(200);
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const { email } = await member(h, h.shop.store.id, 'owner');
    const res = await h.call(
      'POST',
      '/v1/session',
      { email, password: PASSWORD },
      { as: null, headers: { origin: 'https://evil.example' } },
    );
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    const same = await h.call(
      'POST',
      '/v1/session',
      { email, password: PASSWORD },
      { as: null, headers: { origin: 'http://localhost:80', host: 'localhost:80' } },
    );
    expect(same.statusCode).toBe(200);
  });

  it('a sign-in link signs in once, within 15 minutes, and opens the dashboard on its store', async () => {
    const { email, userId } = await member(h, h.shop.store.id, 'owner');
    const token = await createSignInLink(h.app.storage.db, userId, h.shop.store.id, clock.now());
    const first = await h.call('GET', `/sign-in/${token}`, undefined, { as: null });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/?store=${h.shop.store.id}`);
    const session = browser(h, email, userId, cookieFrom(first), '');
    const body = (await session.call('GET', '/v1/session')).json();
    expect(body.user).toEqual({ id: userId, email, name: null });
    const csrfSession = browser(h, email, userId, cookieFrom(first), body.csrfToken);
    expect((await csrfSession.call('DELETE', '/v1/session')).statusCode).toBe(204);

    const reused = await h.call('GET', `/sign-in/${token}`, undefined, { as: null });
    expect([reused.statusCode, reused.headers.location]).toEqual([303, '/sign-in?error=link_expired']);
    expect(reused.headers['set-cookie']).toBeUndefined();

    const late = await createSignInLink(h.app.storage.db, userId, h.shop.store.id, clock.now());
    clock.advance(15 * 60_000);
    const expired = await h.call('GET', `/sign-in/${late}`, undefined, { as: null });
    expect([expired.statusCode, expired.headers.location]).toEqual([303, '/sign-in?error=link_expired']);
    const unknown = await h.call('GET', '/sign-in/not-a-real-token-at-all-0000', undefined, { as: null });
    expect([unknown.statusCode, unknown.headers.location]).toEqual([303, '/sign-in?error=link_expired']);
    clock.advance(DAY);
  });
});

describeEachDatabase('sessions behind https', (target) => {
  const h = useHarness(target, { config: { publicUrl: 'https://shop.example.com' } });

  it('makes the cookie Secure when PUBLIC_URL is https', async () => {
    const { email } = await member(h, h.shop.store.id, 'owner');
    const res = await h.call('POST', '/v1/session', { email, password: PASSWORD }, { as: null });
    expect(String(res.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure$/);
    const session = await signIn(h, email);
    const out = await session.call('DELETE', '/v1/session');
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0; Secure$/);
  });
});

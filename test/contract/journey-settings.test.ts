import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';

const HOUR = 3_600_000;

/**
 * GET / PUT /v1/journey-settings (docs/journeys.md, "Journey settings"): the checkout partner's
 * header values are write-only — answers name the headers, never their values — and a PUT that
 * does not give a value keeps the stored one, which the partner check still sends.
 */
describeEachDatabase('journey settings: partner header values are write-only', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const j = journeyKit(h, clock);
  let partner: Server;
  let url = '';
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    partner = createServer((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"recent_events": []}');
    });
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(partner.address() as AddressInfo).port}/fetch-user-events`;
  });
  afterAll(async () => {
    partner.closeAllConnections();
    await new Promise((resolve) => partner.close(resolve));
  });

  it('answers header names with {"set": true}; a PUT without the value keeps it, and the partner still gets it', async () => {
    const as = await j.store('cart_abandonment');
    const put = (body: unknown) => h.call('PUT', '/v1/journey-settings', body, { as });
    const saved = await put({ partner: { url, headers: { 'X-Api-Key': 'secret-key-1' } }, discountCode: 'HI10' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.body).not.toContain('secret-key-1');
    expect(saved.json().partner.headers).toEqual({ 'X-Api-Key': { set: true } });
    const shown = await h.get('/v1/journey-settings', as);
    expect(shown.body).not.toContain('secret-key-1');
    expect(shown.json()).toMatchObject({
      partner: { url, style: 'query', headers: { 'X-Api-Key': { set: true } } },
      discountCode: 'HI10',
    });

    // What GET answered, sent back with a change: the value is kept. So is it with no headers at all.
    const back = shown.json();
    expect((await put({ ...back, discountCode: 'HI15' })).statusCode).toBe(200);
    expect((await put({ partner: { url, timeoutMs: 500 }, discountCode: 'HI20' })).statusCode).toBe(200);
    expect((await put({ partner: { url, headers: { 'x-api-key': null } } })).statusCode).toBe(200);
    const shopper = await j.shopper(as);
    await j.event(as, 'add_to_cart', shopper.customerId);
    await j.pass(2 * HOUR);
    expect(seen.at(-1)).toBe('secret-key-1');

    // A new value replaces it; {} removes every header.
    expect((await put({ partner: { url, headers: { 'X-Api-Key': 'secret-key-2' } } })).statusCode).toBe(200);
    expect((await put({ partner: { url, headers: {} } })).json().partner.headers).toEqual({});
  });

  it('refuses a header to keep that has no stored value, a bad name or value, with the path', async () => {
    const as = await j.store();
    const put = (headers: unknown) =>
      h.call('PUT', '/v1/journey-settings', { partner: { url: 'https://partner.example/e', headers } }, { as });
    for (const [headers, path] of [
      [{ 'X-Api-Key': { set: true } }, 'partner.headers.X-Api-Key'],
      [{ 'X-Api-Key': { set: false } }, 'partner.headers.X-Api-Key'],
      [{ 'X-Api-Key': 42 }, 'partner.headers.X-Api-Key'],
      [{ 'X-Api-Key': 'two\nlines' }, 'partner.headers.X-Api-Key'],
      [{ 'X-Api-Key': '' }, 'partner.headers.X-Api-Key'],
      [{ 'Bad Name': 'v' }, 'partner.headers.Bad Name'],
      [['X-Api-Key'], 'partner.headers'],
    ] as const) {
      const res = await put(headers);
      expect(res.statusCode, `${JSON.stringify(headers)}: ${res.body}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
    }
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { signedIn } from '../support/accounts.js';
import { ManualClock } from '../support/clock.js';
import type { TestDatabase } from '../support/databases.js';
import { describeEachDatabase } from '../support/databases.js';
import { type Harness, startHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';
import { orderConfirmation, runLoop, sendApi } from '../support/send-helpers.js';

/**
 * GET /v1/live (docs/overview.md, "Live"): a page's change cursor moves when what it shows
 * changes — through whichever API process took the write (two apps on one database here).
 */
describeEachDatabase('live change cursors', (target) => {
  const clock = new ManualClock();
  let database: TestDatabase;
  let one: Harness;
  let two: Harness;
  let shop: StoreCredentials;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await target.create();
    one = await startHarness(database, { clock });
    two = await startHarness(database, { clock });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.drop();
  });

  const cursor = async (h: Harness, topic: string, as = shop) => {
    const res = await h.get(`/v1/live?topic=${encodeURIComponent(topic)}`, as);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.json().cursor as string;
  };

  it('moves the store and the contact cursor on a write through another process, not another contact’s', async () => {
    const api = sendApi(one);
    shop = await api.sandboxStore('Live Shop');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    ids.asha = await api.shopper(shop, { customer_id: 'asha', name: 'Asha', phone: '+919876543210' });
    ids.ravi = await api.shopper(shop, { customer_id: 'ravi', name: 'Ravi', phone: '+919811122233' });
    const before = {
      store: await cursor(one, 'store'),
      asha: await cursor(one, `contact:${ids.asha}`),
      ravi: await cursor(one, `contact:${ids.ravi}`),
    };
    // The write goes to the second app; the first one answers the cursors.
    const res = await two.post(
      '/v1/events',
      {
        event_id: 'live-1',
        event_name: 'product_view',
        timestamp: new Date(clock.now()).toISOString(),
        customer: { customer_id: 'asha' },
        event_data: { product_id: 'SK101' },
      },
      shop,
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(await cursor(one, 'store')).not.toBe(before.store);
    expect(await cursor(one, `contact:${ids.asha}`)).not.toBe(before.asha);
    expect(await cursor(one, `contact:${ids.ravi}`)).toBe(before.ravi);
  });

  it('moves the contact cursor as a message is queued, sent, delivered and read; nothing moves it twice for nothing', async () => {
    const api = sendApi(two);
    await api.order(shop, 'ORD-1', 'asha');
    const seen = [await cursor(one, `contact:${ids.asha}`)];
    await api.queued({ to: { customer_id: 'asha' }, template: 'order_confirmation', orderId: 'ORD-1' }, shop);
    seen.push(await cursor(one, `contact:${ids.asha}`));
    await runLoop(two, clock); // sent
    seen.push(await cursor(one, `contact:${ids.asha}`));
    await runLoop(two, clock, 1_000, 2_000); // delivered, read
    seen.push(await cursor(one, `contact:${ids.asha}`));
    expect(new Set(seen).size).toBe(seen.length);
    // Reading changes nothing.
    expect(await cursor(two, `contact:${ids.asha}`)).toBe(seen.at(-1));
  });

  it('moves a journey’s cursor as a shopper enters through another process, as each step runs and as its message is read; not another journey’s', async () => {
    const j = journeyKit(two, clock);
    const as = await j.store();
    const hello = { channel: 'whatsapp', language: 'en', category: 'utility', body: { text: 'Hello there.' } };
    expect((await two.call('PUT', '/v1/templates/hello', hello, { as })).statusCode).toBe(200);
    for (const [id, event] of [
      ['welcome', 'signup'],
      ['other', 'refund'],
    ])
      expect(
        (
          await two.call(
            'PUT',
            `/v1/journeys/${id}`,
            {
              name: id,
              trigger: { event },
              entry: { buffer: '0s' },
              enabled: true,
              steps: [
                { id: 'pause', type: 'wait', duration: '1h' },
                { id: 'hello', type: 'send', channel: 'whatsapp', template: 'hello' },
                { id: 'rest', type: 'wait', duration: '1d' },
              ],
            },
            { as },
          )
        ).statusCode,
      ).toBe(200);
    const shopper = await j.shopper(as);
    const other = await cursor(one, 'journey:other', as);
    const seen = [await cursor(one, 'journey:welcome', as)];
    const res = await two.post(
      '/v1/events',
      {
        event_id: 'live-signup-1',
        event_name: 'signup',
        timestamp: new Date(clock.now()).toISOString(),
        customer: { customer_id: shopper.customerId },
        event_data: {},
      },
      as,
    );
    expect(res.statusCode, res.body).toBe(202);
    seen.push(await cursor(one, 'journey:welcome', as)); // entered
    await two.app.journeys.drain(); // the wait starts: nothing the page shows changed
    expect(await cursor(one, 'journey:welcome', as)).toBe(seen.at(-1));
    clock.advance(3_600_000);
    await two.app.journeys.drain(); // waited, sent (the step log), the message queued
    seen.push(await cursor(one, 'journey:welcome', as));
    await runLoop(two, clock); // sent by the sandbox
    seen.push(await cursor(one, 'journey:welcome', as));
    await runLoop(two, clock, 1_000, 2_000); // delivered, read
    seen.push(await cursor(one, 'journey:welcome', as));
    expect(new Set(seen).size, seen.join(' ')).toBe(seen.length);
    // The runs list names the shopper (the journey page links the name to the contact).
    expect((await j.runs(as, 'welcome'))[0]).toMatchObject({
      status: 'active',
      stepId: 'rest',
      contact: { id: shopper.contactId, name: expect.stringMatching(/^Priya /), phone: shopper.phone, email: null },
    });
    expect(await cursor(one, 'journey:other', as)).toBe(other);
  });

  it('is for every role of the store; another store’s cursor is its own; a bad topic is a 400', async () => {
    const other = await sendApi(one).sandboxStore('Other Live Shop');
    expect(await cursor(one, `contact:${ids.asha}`, other)).toBe('0');
    const agent = await signedIn(one, shop.store.id, 'agent');
    const res = await agent.call('GET', '/v1/live?topic=store', { store: shop.store.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cursor).toBe(await cursor(one, 'store'));
    for (const topic of ['', 'everything', 'contact:', 'contact:a b', `store:${ids.asha}`]) {
      const bad = await one.get(`/v1/live?topic=${encodeURIComponent(topic)}`, shop);
      expect(bad.statusCode, `${topic}: ${bad.body}`).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});

import { beforeAll, expect, it } from 'vitest';
import { signBody } from '../../src/channels/signature.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  FIXTURE_PHONE_NUMBER_ID,
  flatStatusWebhook,
  inboundWebhook,
  signWebhook,
  statusWebhook,
  type FakeStatus,
} from '../support/fake-meta/index.js';
import { useHarness } from '../support/harness.js';
import { iso, whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * Meta's webhooks into Storewire for a number connected with PUT /v1/channels/whatsapp: the
 * subscription check, signed status reports (in order, out of order, twice, failed, seed 000's
 * flat shape, before the send was recorded), and what is refused or ignored.
 */
describeEachDatabase('WhatsApp webhooks in: verification and message statuses', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const VERIFY_TOKEN = 'a-long-random-verify-token';
  let store: WhatsAppShop;
  let hooks: Awaited<ReturnType<typeof wa.subscribe>>;

  beforeAll(async () => {
    store = await wa.store({ account: { phoneNumberId: FIXTURE_PHONE_NUMBER_ID, verifyToken: VERIFY_TOKEN } });
    hooks = await wa.subscribe(store.shop);
  });

  /** Meta's times are whole seconds. */
  const second = (at: number) => Math.floor(at / 1000) * 1000;
  const statuses = (list: FakeStatus[], phoneNumberId?: string) =>
    wa.postWebhook(statusWebhook(list, phoneNumberId), store.fake.appSecret);
  const message = (id: string) => wa.message(store.shop, id);

  /** A utility message the dispatcher sent through the fake: its id and Meta's wamid. */
  const sentMessage = async (extra: Record<string, unknown> = {}) => {
    const { contactId, phone } = await wa.shopper(store.shop);
    const queued = await wa.send(store.shop, contactId, 'order_update', extra);
    await wa.tick();
    const sent = await message(queued.id);
    expect(sent.status).toBe('sent');
    return { id: queued.id as string, wamid: sent.providerMessageId as string, sentAt: Date.parse(sent.sentAt), phone };
  };
  /** The store's message.status deliveries of a message, in the order of their `at` (they may arrive in any order). */
  const statusDeliveries = (messageId: string) =>
    hooks
      .deliveries('message.status')
      .filter((d) => d.data.messageId === messageId)
      .sort((a, b) => Date.parse(a.data.at) - Date.parse(b.data.at));

  it("answers Meta's subscription check with the challenge only for a connected account's verify token", async () => {
    const check = (query: string) => h.call('GET', `/v1/webhooks/whatsapp?${query}`, undefined, { as: null });
    const ok = await check(`hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    expect(ok.body).toBe('1158201444');

    for (const query of [
      'hub.mode=subscribe&hub.verify_token=not-the-token&hub.challenge=1158201444',
      'hub.mode=subscribe&hub.challenge=1158201444',
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
    ]) {
      const refused = await check(query);
      expect(refused.statusCode, query).toBe(401);
      expect(refused.json().error.code).toBe('UNAUTHORIZED');
      expect(refused.body).not.toContain('1158201444');
    }
  });

  it('applies sent, delivered and read in order, and tells the store each step', async () => {
    const m = await sentMessage();
    const t = second(clock.now());
    expect((await statuses([{ id: m.wamid, status: 'sent', at: t + 1_000 }])).json()).toEqual({
      received: 1,
      ignored: 0,
    });
    expect(await message(m.id)).toMatchObject({ status: 'sent', sentAt: iso(m.sentAt) });
    expect((await statuses([{ id: m.wamid, status: 'delivered', at: t + 2_000 }])).json()).toEqual({
      received: 1,
      ignored: 0,
    });
    expect(await message(m.id)).toMatchObject({ status: 'delivered', deliveredAt: iso(t + 2_000), readAt: null });
    expect((await statuses([{ id: m.wamid, status: 'read', at: t + 5_000 }])).statusCode).toBe(200);
    const read = await message(m.id);
    expect(read).toMatchObject({
      status: 'read',
      sentAt: iso(m.sentAt),
      deliveredAt: iso(t + 2_000),
      readAt: iso(t + 5_000),
      error: null,
    });
    expect(read.statusHistory).toEqual([
      { status: 'queued', at: expect.any(String) },
      { status: 'sent', at: iso(m.sentAt) },
      { status: 'delivered', at: iso(t + 2_000) },
      { status: 'read', at: iso(t + 5_000) },
    ]);

    await wa.flush();
    const told = statusDeliveries(m.id);
    expect(told.map((d) => d.data.status)).toEqual(['sent', 'delivered', 'read']);
    expect(told.every((d) => d.verified)).toBe(true);
    expect(told[1]!.data).toMatchObject({
      messageId: m.id,
      status: 'delivered',
      at: iso(t + 2_000),
      templateName: 'order_update',
    });
  });

  it('out of order and twice: read before delivered stays read; a late delivered and repeats change nothing and tell the store nothing', async () => {
    const early = await sentMessage();
    const t = second(clock.now());
    await statuses([{ id: early.wamid, status: 'read', at: t + 5_000 }]);
    const read = await message(early.id);
    expect(read).toMatchObject({ status: 'read', readAt: iso(t + 5_000), deliveredAt: null });
    expect((await statuses([{ id: early.wamid, status: 'delivered', at: t + 2_000 }])).statusCode).toBe(200);
    expect(await message(early.id)).toEqual(read);

    const twice = await sentMessage();
    const delivered: FakeStatus = { id: twice.wamid, status: 'delivered', at: t + 3_000 };
    expect((await statuses([delivered, delivered])).statusCode).toBe(200);
    expect((await statuses([delivered])).statusCode).toBe(200);
    const once = await message(twice.id);
    expect(once).toMatchObject({ status: 'delivered', deliveredAt: iso(t + 3_000) });
    expect(once.statusHistory.filter((s: Json) => s.status === 'delivered')).toHaveLength(1);

    await wa.flush();
    expect(statusDeliveries(early.id).map((d) => d.data.status)).toEqual(['sent', 'read']);
    expect(statusDeliveries(twice.id).map((d) => d.data.status)).toEqual(['sent', 'delivered']);
    const stats = (await h.get('/v1/stats/messages?template=order_update', store.shop)).json();
    expect(stats.read).toBeGreaterThanOrEqual(1);
  });

  it("a failed status after sent fails the message with Meta's error; after delivered it is ignored", async () => {
    const failing = await sentMessage({ campaign: 'failures' });
    const t = second(clock.now());
    const errors = [{ code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' }];
    expect((await statuses([{ id: failing.wamid, status: 'failed', at: t + 2_000, errors }])).statusCode).toBe(200);
    const failed = await message(failing.id);
    expect(failed).toMatchObject({
      status: 'failed',
      failedAt: iso(t + 2_000),
      error: { code: '131026', reason: expect.stringContaining('Message undeliverable') },
    });

    const delivered = await sentMessage({ campaign: 'failures' });
    await statuses([{ id: delivered.wamid, status: 'delivered', at: t + 1_000 }]);
    await statuses([{ id: delivered.wamid, status: 'failed', at: t + 3_000, errors }]);
    expect(await message(delivered.id)).toMatchObject({ status: 'delivered', error: null, failedAt: null });

    const stats = (await h.get('/v1/stats/messages?campaign=failures', store.shop)).json();
    expect(stats).toMatchObject({ total: 2, failed: 1, delivered: 1 });
    expect(stats.failureReasons).toEqual([
      { code: '131026', reason: expect.stringContaining('Message undeliverable'), count: 1 },
    ]);
    await wa.flush();
    const told = statusDeliveries(failing.id).find((d) => d.data.status === 'failed');
    expect(told).toMatchObject({
      verified: true,
      data: { at: iso(t + 2_000), error: { code: '131026', reason: expect.stringContaining('Message undeliverable') } },
    });
    expect(statusDeliveries(delivered.id).map((d) => d.data.status)).toEqual(['sent', 'delivered']);
  });

  it("takes seed 000's flat On-Premises statuses, routed by the message they name and signed with that number's app secret", async () => {
    const m = await sentMessage();
    const t = second(clock.now());
    const flat = flatStatusWebhook([{ id: m.wamid, status: 'delivered', at: t + 2_000 }]);
    expect(Object.keys(flat)).toEqual(['statuses']);
    expect((await wa.postWebhook(flat, 'some-other-secret')).statusCode).toBe(401);
    expect((await message(m.id)).status).toBe('sent');
    const res = await wa.postWebhook(flat, store.fake.appSecret);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1, ignored: 0 });
    expect(await message(m.id)).toMatchObject({ status: 'delivered', deliveredAt: iso(t + 2_000) });

    const unknown = await wa.postWebhook(
      flatStatusWebhook([{ id: 'wamid.NOT-OURS', status: 'read' }]),
      store.fake.appSecret,
    );
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ received: 0, ignored: 1 });
  });

  it('a status that arrives before the dispatcher recorded the send is kept, and applied once the send result lands', async () => {
    const { contactId } = await wa.shopper(store.shop);
    const queued = await wa.send(store.shop, contactId);
    // The fake numbers its wamids in order: the next one is the one this message will get.
    const last = store.fake.accepted.at(-1)!.id;
    const next = `${last.slice(0, -8)}${store.fake.accepted.length.toString(36).padStart(8, '0')}`;
    const t = second(clock.now());
    const early = await statuses([
      { id: next, status: 'delivered', at: t + 1_000 },
      { id: next, status: 'read', at: t + 2_000 },
    ]);
    expect(early.statusCode).toBe(200);
    expect(await message(queued.id)).toMatchObject({ status: 'queued', deliveredAt: null, readAt: null });

    await wa.tick();
    const landed = await message(queued.id);
    expect(landed.providerMessageId).toBe(next);
    expect(landed).toMatchObject({ status: 'read', deliveredAt: iso(t + 1_000), readAt: iso(t + 2_000) });
    await wa.flush();
    expect(statusDeliveries(queued.id).map((d) => d.data.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('refuses a wrong, missing or stale signature with 401 and changes nothing', async () => {
    const m = await sentMessage();
    const payload = statusWebhook([{ id: m.wamid, status: 'read', at: second(clock.now()) + 1_000 }]);
    const before = await message(m.id);
    for (const options of [
      { appSecret: 'not-the-app-secret' },
      { signature: null },
      { signature: `sha256=${'0'.repeat(64)}` },
    ]) {
      const res = await wa.postWebhook(payload, store.fake.appSecret, options);
      expect(res.statusCode, JSON.stringify(options)).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    // Signed, then one byte changed on the way.
    const signed = signWebhook(payload, store.fake.appSecret);
    const tampered = signed.rawBody.toString('utf8').replace('"read"', '"sent"');
    const res = await h.call('POST', '/v1/webhooks/whatsapp', tampered, { as: null, headers: signed.headers });
    expect(res.statusCode).toBe(401);
    expect(await message(m.id)).toEqual(before);
    await wa.flush();
    expect(statusDeliveries(m.id).map((d) => d.data.status)).toEqual(['sent']);
  });

  it("a status signed for another store's number does not move this store's message", async () => {
    const m = await sentMessage();
    const other = await wa.store({ fake: { appSecret: 'other-stores-app-secret' } });
    const before = await message(m.id);
    const res = await wa.postWebhook(
      statusWebhook([{ id: m.wamid, status: 'read', at: second(clock.now()) + 1_000 }], other.phoneNumberId),
      'other-stores-app-secret',
    );
    expect([200, 401]).toContain(res.statusCode);
    expect(await message(m.id)).toEqual(before);
  });

  it('answers 200 and ignores a signed webhook for a number no store connected; unsigned is 401; signed malformed JSON is 400', async () => {
    const stranger = inboundWebhook('text', {
      phoneNumberId: '999999999999999',
      from: '919812345678',
      at: clock.now(),
    });
    // The same Meta app serves a number that is not connected here.
    const res = await wa.postWebhook(stranger, store.fake.appSecret);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 0, ignored: 1 });
    expect((await h.get('/v1/contacts?phone=%2B919812345678', store.shop)).json().contacts).toEqual([]);
    const lost = await wa.postWebhook(
      statusWebhook([{ id: 'wamid.UNKNOWN', status: 'delivered' }], '999999999999999'),
      store.fake.appSecret,
    );
    expect(lost.json()).toEqual({ received: 0, ignored: 1 });
    // Signed with a secret no connected account has: not Meta's, whatever it names.
    expect((await wa.postWebhook(stranger, 'whatever-secret')).statusCode).toBe(401);

    const brokenText = '{"object": "whatsapp_business_account", "entry": [';
    const unsigned = await h.call('POST', '/v1/webhooks/whatsapp', brokenText, {
      as: null,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(401);
    const broken = await h.call('POST', '/v1/webhooks/whatsapp', brokenText, {
      as: null,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signBody(store.fake.appSecret, brokenText),
      },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('INVALID_JSON');
    const notWhatsApp = await wa.postWebhook({ object: 'page', entry: [] }, store.fake.appSecret);
    expect(notWhatsApp.statusCode).toBe(400);
    expect(notWhatsApp.json().error.code).toBe('VALIDATION_FAILED');
  });
});

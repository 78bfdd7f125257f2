import { expect, it } from 'vitest';
import { Dispatcher } from '../../src/messaging/dispatcher.js';
import { WhatsAppChannel } from '../../src/channels/whatsapp/index.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { graphErrorBody } from '../support/fake-meta/index.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { iso, whatsappKit } from '../support/whatsapp-shop.js';

/**
 * The dispatcher against a fake WhatsApp Cloud API on loopback: what Meta receives, and what
 * each kind of answer (throughput, 5xx, no answer, refusals, the marketing limit) does to the message.
 */
describeEachDatabase('WhatsApp dispatch: sends and Meta errors', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const SECOND = 1_000;

  it("sends a template to the shopper's E.164 number with Meta's request body and the store's token; the message is sent with Meta's wamid", async () => {
    const { shop, fake } = await wa.store({
      fake: { accessToken: 'EAAG-store-token-1' },
      account: { phoneNumberId: '106540352242922' },
    });
    // Seed 003's order for Jessica, whose number the store was given in a national format.
    expect(
      (
        await h.post(
          '/v1/contacts',
          { customer_id: 'jessica', name: 'Jessica Laverdetman', phone: '+1 (650) 555-1234' },
          shop,
        )
      ).statusCode,
    ).toBe(200);
    const order = await h.post(
      '/v1/generate-event',
      {
        eventTypeKey: 'orderCreated',
        params: Object.entries({
          externalOrderId: 'SKBUP2-4CPIG9',
          externalCustomerId: 'jessica',
          totalCost: '1200.00',
          status: 'INITIALIZED',
          date: '2026-11-21 10:00:00',
          currency: 'INR',
          items: [
            {
              externalItemId: 'denim',
              name: 'Denim Shirt - Blue',
              quantity: 2,
              cost: 600,
              url: 'https://sample.com/denim',
              imageUrl: 'https://sample.com/denim.jpg',
            },
          ],
        }).map(([name, value]) => ({ name, value })),
      },
      shop,
    );
    expect(order.statusCode, order.body).toBe(200);
    const template = {
      channel: 'whatsapp',
      language: 'en_US',
      category: 'utility',
      body: { text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
      parameters: { first_name: '{{ contact.first_name }}', order_number: '{{ order.id }}' },
    };
    expect((await h.call('PUT', '/v1/templates/order_confirmation', template, { as: shop })).statusCode).toBe(200);

    const queued = await wa.send(shop, order.json().contactId, 'order_confirmation', { orderId: 'SKBUP2-4CPIG9' });
    clock.advance(2 * SECOND);
    await wa.tick();

    // Meta's own published request (fixture), recipient included; the token was the store's (the fake refuses others).
    expect(fake.accepted).toHaveLength(1);
    expect(fake.accepted[0]).toMatchObject({
      phoneNumberId: '106540352242922',
      version: 'v24.0',
      to: '+16505551234',
      type: 'template',
    });
    expect(fake.accepted[0]!.body).toEqual(fixture('whatsapp/send_template_named_params_request.json'));
    expect(fake.answered.filter((a) => a.status !== 200)).toEqual([]);

    const sent = await wa.message(shop, queued.id);
    expect(sent).toMatchObject({
      status: 'sent',
      channel: 'whatsapp',
      sender: '106540352242922',
      recipient: '+16505551234',
      providerMessageId: fake.accepted[0]!.id,
      attempts: 1,
      sentAt: iso(clock.now()),
      error: null,
      nextAttemptAt: null,
    });
    expect(sent.statusHistory.map((s: { status: string }) => s.status)).toEqual(['queued', 'sent']);
  });

  it('130429 from Meta puts the message back with a later due time; it is not tried again before then, and goes at that time (a refused attempt does not hold the 6 s pair-limit slot)', async () => {
    const { shop, fake } = await wa.store();
    const { contactId, phone } = await wa.shopper(shop);
    const queued = await wa.send(shop, contactId);
    fake.failNext(1, 400, fixture('whatsapp/graph_error_response_130429.json'));
    const t0 = clock.now();
    await wa.tick();

    const waiting = await wa.message(shop, queued.id);
    expect(waiting).toMatchObject({
      status: 'queued',
      attempts: 1,
      providerMessageId: null,
      error: { code: '130429', reason: expect.stringContaining('Rate limit hit') },
    });
    const due = Date.parse(waiting.nextAttemptAt);
    expect(due - t0).toBeGreaterThanOrEqual(1 * SECOND);
    expect(due - t0).toBeLessThanOrEqual(1.2 * SECOND);

    // Ticks while the business clock stands still make no calls at all: no hot loop.
    const calls = fake.answered.length;
    await wa.ticks(5);
    expect(fake.answered.length).toBe(calls);
    expect(await wa.message(shop, queued.id)).toMatchObject({ status: 'queued', attempts: 1 });

    clock.set(due - 1);
    await wa.tick();
    expect(wa.acceptedTo(fake, phone)).toHaveLength(0);
    clock.set(due);
    await wa.tick();
    expect(wa.acceptedTo(fake, phone)).toHaveLength(1);
    expect(await wa.message(shop, queued.id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      providerMessageId: fake.accepted.at(-1)!.id,
    });
  });

  it("messages over the number's real throughput are refused 130429 by Meta, wait, and go once their time comes", async () => {
    const { shop, fake } = await wa.store();
    fake.setThroughput(2);
    const shoppers = await Promise.all([1, 2, 3, 4, 5].map(() => wa.shopper(shop)));
    const queued = [];
    for (const s of shoppers) queued.push(await wa.send(shop, s.contactId));
    await wa.tick();

    expect(fake.accepted).toHaveLength(2);
    expect(fake.throttled()).toBe(3);
    const waiting = [];
    for (const m of queued) {
      const now = await wa.message(shop, m.id);
      if (now.status === 'queued') waiting.push(now);
      else expect(now.status).toBe('sent');
    }
    expect(waiting).toHaveLength(3);
    for (const m of waiting) {
      expect(m.error.code).toBe('130429');
      expect(Date.parse(m.nextAttemptAt)).toBeGreaterThan(clock.now());
    }
    const calls = fake.answered.length;
    await wa.ticks(5);
    expect(fake.answered.length).toBe(calls);

    fake.setThroughput(80);
    for (const m of waiting) expect(await wa.untilSettled(shop, m.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(fake.accepted).toHaveLength(5);
    expect(fake.throttled()).toBe(3);
  });

  it('5xx answers are retried with a growing backoff, never early; Retry-After is honoured', async () => {
    const { shop, fake } = await wa.store();
    const { contactId, phone } = await wa.shopper(shop);
    const queued = await wa.send(shop, contactId);
    fake.failNext(4, 503, 'upstream connect error');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await wa.tick();
      const m = await wa.message(shop, queued.id);
      expect(m).toMatchObject({ status: 'queued', attempts: attempt, error: { code: 'HTTP_503' } });
      const due = Date.parse(m.nextAttemptAt);
      delays.push(due - clock.now());
      await wa.ticks(2);
      clock.set(due - 1);
      await wa.tick();
      expect((await wa.message(shop, queued.id)).attempts).toBe(attempt);
      await wa.nextAttempt(shop, queued.id);
    }
    // 5 s at least for a server error; 1 s doubling per attempt (±20%) wins from the 4th attempt (8 s).
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(5 * SECOND);
    expect(delays[3]).toBeGreaterThanOrEqual(6.4 * SECOND);
    expect(delays[3]).toBeLessThanOrEqual(9.6 * SECOND);
    expect(await wa.message(shop, queued.id)).toMatchObject({ status: 'sent', attempts: 5 });
    expect(wa.acceptedTo(fake, phone)).toHaveLength(1);

    const second = await wa.send(shop, (await wa.shopper(shop)).contactId);
    fake.failNext(1, 500, graphErrorBody(131000, '(#131000) Something went wrong'), { 'retry-after': '120' });
    const t0 = clock.now();
    await wa.tick();
    const m = await wa.message(shop, second.id);
    expect(m).toMatchObject({
      status: 'queued',
      error: { code: '131000', reason: expect.stringContaining('Something went wrong') },
    });
    expect(Date.parse(m.nextAttemptAt)).toBe(t0 + 120 * SECOND);
  });

  it('a send that got no answer in time: a marketing message fails SEND_UNCERTAIN and is never sent; a utility one is retried', async () => {
    const { shop, fake } = await wa.store();
    // The app's channel waits 10 s for Meta; this dispatcher's channel waits 200 ms.
    const impatient = new Dispatcher(h.app.storage, clock, {
      ...h.app.messaging.channels,
      whatsapp: new WhatsAppChannel({ timeoutMs: 200 }),
    });
    const promo = await wa.shopper(shop, { consent: true });
    const receipt = await wa.shopper(shop);

    const marketing = await wa.send(shop, promo.contactId, 'weekend_sale');
    fake.hangNext(1);
    await impatient.runOnce();
    await impatient.drain();
    expect(await wa.message(shop, marketing.id)).toMatchObject({
      status: 'failed',
      error: { code: 'SEND_UNCERTAIN', reason: expect.stringContaining('TIMEOUT') },
    });

    const utility = await wa.send(shop, receipt.contactId);
    fake.hangNext(1);
    await impatient.runOnce();
    await impatient.drain();
    const waiting = await wa.message(shop, utility.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, error: { code: 'TIMEOUT' } });

    clock.set(Date.parse(waiting.nextAttemptAt));
    await wa.tick();
    clock.advance(3_600 * SECOND);
    await wa.tick();
    expect(await wa.message(shop, utility.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(wa.acceptedTo(fake, receipt.phone)).toHaveLength(1);
    expect(await wa.message(shop, marketing.id)).toMatchObject({ status: 'failed', error: { code: 'SEND_UNCERTAIN' } });
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(0);
  });

  it('a connection cut before the answer: marketing fails SEND_UNCERTAIN, utility is retried and sent', async () => {
    const { shop, fake } = await wa.store();
    const promo = await wa.shopper(shop, { consent: true });
    const receipt = await wa.shopper(shop);
    const marketing = await wa.send(shop, promo.contactId, 'weekend_sale');
    fake.dropNext(1);
    await wa.tick();
    expect(await wa.message(shop, marketing.id)).toMatchObject({ status: 'failed', error: { code: 'SEND_UNCERTAIN' } });

    const utility = await wa.send(shop, receipt.contactId);
    fake.dropNext(1);
    await wa.tick();
    const waiting = await wa.message(shop, utility.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, error: { code: 'ECONNRESET' } });
    expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(clock.now());
    expect(await wa.untilSettled(shop, utility.id)).toMatchObject({ status: 'sent', attempts: 2 });
    clock.advance(3_600 * SECOND);
    await wa.tick();
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(0);
    expect(wa.acceptedTo(fake, receipt.phone)).toHaveLength(1);
  });

  it('a refused connection never reached Meta: even a marketing message is retried, and goes once the number points to a live API', async () => {
    const dead = await wa.fake();
    const deadUrl = dead.url;
    await dead.close();
    const { shop, fake, account } = await wa.store({ account: {} });
    await wa.connect(shop, { ...account, apiBaseUrl: deadUrl });
    const promo = await wa.shopper(shop, { consent: true });
    const marketing = await wa.send(shop, promo.contactId, 'weekend_sale');
    await wa.tick();
    const waiting = await wa.message(shop, marketing.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, error: { code: 'ECONNREFUSED' } });
    expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(clock.now());

    await wa.connect(shop, account);
    expect(await wa.untilSettled(shop, marketing.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(1);
  });

  it("Meta's refusals that no retry can fix fail the message with Meta's code and message, and it is never tried again", async () => {
    const { shop, fake } = await wa.store();
    const refusals: [number, string, string][] = [
      [131026, '(#131026) Message undeliverable', 'Message Undeliverable.'],
      [
        131047,
        '(#131047) Re-engagement message',
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      ],
      [
        131050,
        '(#131050) Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
        'The user has stopped marketing messages.',
      ],
      [
        132000,
        '(#132000) Number of parameters does not match the expected number of params',
        'body: number of localizable_params (1) does not match the expected number of params (2)',
      ],
      [
        132001,
        '(#132001) Template name does not exist in the translation',
        'template name (order_update) does not exist in en_US',
      ],
      [
        132012,
        '(#132012) Parameter format does not match format in the created template',
        'header: Format mismatch, expected IMAGE, received UNKNOWN',
      ],
    ];
    const failed: { id: string; phone: string; code: number; text: string }[] = [];
    for (const [code, text, details] of refusals) {
      const { contactId, phone } = await wa.shopper(shop);
      const queued = await wa.send(shop, contactId);
      fake.failNext(1, 400, graphErrorBody(code, text, { messagingProduct: 'whatsapp', details }));
      await wa.tick();
      const m = await wa.message(shop, queued.id);
      expect(m, `code ${code}`).toMatchObject({
        status: 'failed',
        attempts: 1,
        failedAt: iso(clock.now()),
        error: { code: String(code), reason: expect.stringContaining(text) },
      });
      failed.push({ id: queued.id, phone, code, text });
    }
    clock.advance(48 * 3_600 * SECOND);
    await wa.ticks(2);
    for (const f of failed) {
      expect((await wa.message(shop, f.id)).status).toBe('failed');
      expect(wa.acceptedTo(fake, f.phone)).toHaveLength(0);
    }
    const stats = (await h.get('/v1/stats/messages?template=order_update', shop)).json();
    expect(stats).toMatchObject({ total: 6, failed: 6, sent: 0 });
    expect(stats.failureReasons.map((r: { code: string }) => r.code).sort()).toEqual(
      refusals.map(([code]) => String(code)).sort(),
    );
  });

  it('131049 (marketing limit for the shopper) is retried, not before 24 hours', async () => {
    const { shop, fake } = await wa.store();
    const { contactId, phone } = await wa.shopper(shop, { consent: true });
    const queued = await wa.send(shop, contactId, 'weekend_sale');
    fake.failNext(
      1,
      400,
      graphErrorBody(131049, '(#131049) This message was not delivered to maintain healthy ecosystem engagement.', {
        messagingProduct: 'whatsapp',
        details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      }),
    );
    const t0 = clock.now();
    await wa.tick();
    const waiting = await wa.message(shop, queued.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, error: { code: '131049' } });
    expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThanOrEqual(t0 + 24 * 3_600 * SECOND);

    clock.set(t0 + 24 * 3_600 * SECOND - SECOND);
    await wa.ticks(2);
    expect(wa.acceptedTo(fake, phone)).toHaveLength(0);
    clock.set(Date.parse(waiting.nextAttemptAt));
    await wa.tick();
    expect(wa.acceptedTo(fake, phone)).toHaveLength(1);
    expect(await wa.message(shop, queued.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

import { afterEach, expect, it } from 'vitest';
import { Dispatcher } from '../../src/messaging/dispatcher.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * The dispatcher as `storewire start` runs it, against a fake Cloud API: a message queued while
 * it runs is claimed as it is written and sent without a claim round; a number booked ahead is
 * not claimed for (its messages stay queued, untouched) while other numbers' messages go.
 */
describeEachDatabase('WhatsApp dispatch: the running dispatcher', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);

  afterEach(async () => {
    await h.app.messaging.dispatcher.stop();
  });

  it('a message queued while the dispatcher runs is written claimed ("sending") and sent once, by both send routes', async () => {
    const { shop, fake, phoneNumberId } = await wa.store();
    const priya = await wa.shopper(shop);
    const arjun = await wa.shopper(shop);
    // The number's first message goes through a claim, where the dispatcher takes the number's lease.
    const first = await wa.send(shop, (await wa.shopper(shop)).contactId);
    expect(first).toMatchObject({ status: 'queued', attempts: 0 });
    await wa.tick();
    expect(fake.accepted).toHaveLength(1);
    h.app.messaging.dispatcher.start();

    const queued = await wa.send(shop, priya.contactId, 'order_update', { idempotencyKey: 'running-key' });
    expect(queued).toMatchObject({ status: 'sending', attempts: 1, duplicate: false });
    const seed002 = await h.post(
      '/v1/messages/send-template',
      {
        request: { method: 'send_template', id: 'running-1', page_id: phoneNumberId, template_name: 'order_update' },
        recipient: { id: arjun.phone },
      },
      shop,
    );
    expect(seed002.statusCode, seed002.body).toBe(200);
    await h.app.messaging.dispatcher.drain();

    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(1);
    expect(wa.acceptedTo(fake, arjun.phone)).toHaveLength(1);
    const sent = await wa.message(shop, queued.id);
    expect(sent).toMatchObject({
      status: 'sent',
      attempts: 1,
      providerMessageId: wa.acceptedTo(fake, priya.phone)[0]!.id,
    });
    expect(sent.statusHistory.map((entry: Json) => entry.status)).toEqual(['queued', 'sent']);
    expect(await wa.message(shop, seed002.json().message_id)).toMatchObject({ status: 'sent', attempts: 1 });

    // A repeat of the request is the same message: nothing is claimed or sent again.
    const again = await h.post(
      '/v1/messages',
      { to: { contactId: priya.contactId }, template: 'order_update', idempotencyKey: 'running-key' },
      shop,
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: queued.id, duplicate: true, status: 'sent' });
    await h.app.messaging.dispatcher.drain();
    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(1);
    expect(h.app.messaging.dispatcher.stats).toMatchObject({ accepted: 3, release: 0, retry: 0, failed: 0 });
  });

  it('a message due later is queued, not claimed, even while the dispatcher runs', async () => {
    const { shop, fake } = await wa.store();
    const priya = await wa.shopper(shop);
    h.app.messaging.dispatcher.start();
    const later = await wa.send(shop, priya.contactId, 'order_update', {
      notBefore: new Date(clock.now() + 3_600_000).toISOString(),
    });
    expect(later).toMatchObject({ status: 'queued', attempts: 0 });
    await h.app.messaging.dispatcher.drain();
    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(0);
  });

  it('a number booked ahead is left out of the claims: its other messages stay queued, untouched, and another store’s message goes meanwhile', async () => {
    const busy = await wa.store({ account: { throughputPerSecond: 20 }, fake: { throughputPerSecond: 20 } });
    const other = await wa.store();
    const backlog: Json[] = [];
    for (const s of await wa.shoppers(busy.shop, 60)) backlog.push(await wa.send(busy.shop, s.contactId));
    clock.advance(1);
    const otherShopper = await wa.shopper(other.shop);
    const waiting = await wa.send(other.shop, otherShopper.contactId);

    // 20 messages at 20/s book the number a second ahead, well past scheduleAheadMs.
    const dispatcher = new Dispatcher(h.app.storage, clock, h.app.messaging.channels, {
      batchSize: 20,
      scheduleAheadMs: 200,
    });
    expect(await dispatcher.runOnce()).toBe(20);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await dispatcher.runOnce()).toBe(0);
    await dispatcher.drain();

    expect(wa.acceptedTo(other.fake, otherShopper.phone)).toHaveLength(1);
    expect(await wa.message(other.shop, waiting.id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(busy.fake.accepted).toHaveLength(20);
    expect(busy.fake.throttled()).toBe(0);
    const states = await Promise.all(backlog.map((m) => wa.message(busy.shop, m.id)));
    expect(states.filter((m) => m.status === 'sent')).toHaveLength(20);
    // Never claimed, so never given back: no attempt counted, no error, due when they were queued.
    const untouched = states.filter(
      (m) =>
        m.status === 'queued' &&
        m.attempts === 0 &&
        m.error === null &&
        m.nextAttemptAt === m.createdAt &&
        m.statusHistory.length === 1,
    );
    expect(untouched).toHaveLength(40);
    expect(dispatcher.stats).toMatchObject({ accepted: 21, release: 0 });

    // Once the number's schedule ran down, the rest is claimed.
    expect(await dispatcher.runOnce()).toBe(20);
    await dispatcher.drain();
    expect(busy.fake.accepted).toHaveLength(40);
  }, 30_000);
});

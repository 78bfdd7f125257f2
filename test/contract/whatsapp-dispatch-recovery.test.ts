import { expect, it } from 'vitest';
import { Dispatcher } from '../../src/messaging/dispatcher.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit } from '../support/whatsapp-shop.js';

type Json = any;

/** A dispatcher that died mid-send, and two dispatchers sharing one outbox, against a fake Cloud API. */
describeEachDatabase('WhatsApp dispatch: interrupted sends and several dispatchers', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);

  it('a send left "sending" by a dispatcher that died: once its lease is over, marketing fails SEND_INTERRUPTED unsent, utility is sent again', async () => {
    const { shop, fake } = await wa.store();
    const promo = await wa.shopper(shop, { consent: true });
    const receipt = await wa.shopper(shop);
    const later = await wa.shopper(shop);
    const marketing = await wa.send(shop, promo.contactId, 'weekend_sale');
    const utility = await wa.send(shop, receipt.contactId);
    const inFlight = await wa.send(shop, later.contactId);

    // As a dispatcher leaves them when its process dies between claiming and recording: two leases over, one still running.
    const now = clock.now();
    const { db } = h.app.storage;
    await db
      .updateTable('messages')
      .set({ status: 'sending', lease_until: now - 1, attempts: 1 })
      .where('id', 'in', [marketing.id, utility.id])
      .execute();
    await db
      .updateTable('messages')
      .set({ status: 'sending', lease_until: now + 30_000, attempts: 1 })
      .where('id', '=', inFlight.id)
      .execute();
    await wa.tick();

    expect(await wa.message(shop, marketing.id)).toMatchObject({
      status: 'failed',
      error: { code: 'SEND_INTERRUPTED' },
      providerMessageId: null,
    });
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(0);
    expect(await wa.message(shop, utility.id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      providerMessageId: wa.acceptedTo(fake, receipt.phone)[0]?.id,
    });
    expect(wa.acceptedTo(fake, receipt.phone)).toHaveLength(1);

    // A lease that is not over yet belongs to a dispatcher that may still be sending.
    expect((await wa.message(shop, inFlight.id)).status).toBe('sending');
    clock.set(now + 30_000);
    await wa.tick();
    expect((await wa.message(shop, inFlight.id)).status).toBe('sending');
    expect(wa.acceptedTo(fake, later.phone)).toHaveLength(0);
    clock.set(now + 30_001);
    await wa.tick();
    expect(await wa.message(shop, inFlight.id)).toMatchObject({ status: 'sent', attempts: 2 });

    clock.advance(3_600_000);
    await wa.ticks(2);
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(0);
    expect(wa.acceptedTo(fake, receipt.phone)).toHaveLength(1);
    expect(wa.acceptedTo(fake, later.phone)).toHaveLength(1);
    expect((await wa.message(shop, marketing.id)).status).toBe('failed');
  });

  it('two dispatchers on one database share the work by number: each number is paced by one of them, every message is sent exactly once', async () => {
    const numbers = [
      await wa.store({ account: { throughputPerSecond: 1000 }, fake: { throughputPerSecond: 100_000 } }),
      await wa.store({ account: { throughputPerSecond: 1000 }, fake: { throughputPerSecond: 100_000 } }),
    ];
    const queued: { shop: (typeof numbers)[number]; message: Json }[] = [];
    for (const number of numbers) {
      for (const s of await wa.shoppers(number.shop, 100))
        queued.push({ shop: number, message: await wa.send(number.shop, s.contactId) });
    }

    const dispatchers = [0, 1].map(
      () => new Dispatcher(h.app.storage, clock, h.app.messaging.channels, { batchSize: 15 }),
    );
    const claimed = [0, 0];
    for (let round = 0; round < 100; round++) {
      const counts = await Promise.all(dispatchers.map((d) => d.runOnce()));
      counts.forEach((n, i) => (claimed[i]! += n));
      if (counts[0] === 0 && counts[1] === 0) break;
    }
    await Promise.all(dispatchers.map((d) => d.drain()));

    expect(claimed[0]! + claimed[1]!).toBe(200);
    // One number each: neither number was paced by two processes at once.
    expect(dispatchers.map((d) => d.stats.accepted).sort()).toEqual([100, 100]);
    for (const { fake } of numbers) {
      expect(fake.accepted).toHaveLength(100);
      expect(new Set(fake.accepted.map((a) => a.to)).size).toBe(100);
      expect(new Set(fake.accepted.map((a) => a.id)).size).toBe(100);
    }
    for (const { shop: number, message } of queued) {
      const sent = await wa.message(number.shop, message.id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sent.providerMessageId).toBe(wa.acceptedTo(number.fake, sent.recipient)[0]!.id);
    }
    await Promise.all(dispatchers.map((d) => d.stop()));
  }, 60_000);

  it('a number held by one dispatcher is not claimed by another until the first stops or its lease lapses, so its limit holds over processes', async () => {
    const { shop, fake } = await wa.store({ account: { throughputPerSecond: 20 }, fake: { throughputPerSecond: 20 } });
    for (const s of await wa.shoppers(shop, 30)) await wa.send(shop, s.contactId);
    const [first, second] = [0, 1].map(
      () => new Dispatcher(h.app.storage, clock, h.app.messaging.channels, { batchSize: 10 }),
    );

    expect(await first!.runOnce()).toBe(10);
    expect(await second!.runOnce()).toBe(0);
    await first!.stop();
    expect(fake.accepted).toHaveLength(10);
    // Stopped, it gave the number up: the other takes it over at once.
    expect(await second!.runOnce()).toBe(10);
    await second!.drain();

    // A dispatcher that stopped answering (no renewal) holds the number until its lease lapses.
    expect(await first!.runOnce()).toBe(0);
    clock.advance(30_001);
    expect(await first!.runOnce()).toBe(10);
    await first!.stop();
    await second!.stop();
    expect(fake.accepted).toHaveLength(30);
    expect(fake.throttled()).toBe(0);
  }, 60_000);
});

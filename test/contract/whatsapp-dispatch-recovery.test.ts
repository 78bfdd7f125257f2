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
    await db.updateTable('messages').set({ status: 'sending', lease_until: now - 1, attempts: 1 }).where('id', 'in', [marketing.id, utility.id]).execute();
    await db.updateTable('messages').set({ status: 'sending', lease_until: now + 30_000, attempts: 1 }).where('id', '=', inFlight.id).execute();
    await wa.tick();

    expect(await wa.message(shop, marketing.id)).toMatchObject({ status: 'failed', error: { code: 'SEND_INTERRUPTED' }, providerMessageId: null });
    expect(wa.acceptedTo(fake, promo.phone)).toHaveLength(0);
    expect(await wa.message(shop, utility.id)).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: wa.acceptedTo(fake, receipt.phone)[0]?.id });
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

  it('two dispatchers on one database claim disjoint messages: 200 messages, each sent exactly once', async () => {
    const { shop, fake } = await wa.store({ account: { throughputPerSecond: 1000 }, fake: { throughputPerSecond: 100_000 } });
    const shoppers = await wa.shoppers(shop, 200);
    const queued: Json[] = [];
    for (const s of shoppers) queued.push(await wa.send(shop, s.contactId));

    const dispatchers = [0, 1].map(() => new Dispatcher(h.app.storage, clock, h.app.messaging.channels, { batchSize: 15 }));
    const claimed = [0, 0];
    for (let round = 0; round < 100; round++) {
      const counts = await Promise.all(dispatchers.map((d) => d.runOnce()));
      counts.forEach((n, i) => (claimed[i]! += n));
      if (counts[0] === 0 && counts[1] === 0) break;
    }
    await Promise.all(dispatchers.map((d) => d.drain()));

    expect(claimed[0]! + claimed[1]!).toBe(200);
    expect(claimed[0]).toBeGreaterThan(0);
    expect(claimed[1]).toBeGreaterThan(0);
    expect(fake.accepted).toHaveLength(200);
    expect(new Set(fake.accepted.map((a) => a.to)).size).toBe(200);
    expect(new Set(fake.accepted.map((a) => a.id)).size).toBe(200);
    for (const m of queued) {
      const sent = await wa.message(shop, m.id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sent.providerMessageId).toBe(wa.acceptedTo(fake, sent.recipient)[0]!.id);
    }
  }, 60_000);
});

import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { iso, whatsappKit } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * A WhatsApp number's limits as the dispatcher keeps them against a fake Cloud API: a refused
 * token stops the number, its throughput is never exceeded, and one shopper is not messaged
 * twice within 6 s.
 */
describeEachDatabase('WhatsApp dispatch: suspended senders, throughput and the pair limit', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const SECOND = 1_000;

  it('a refused token (190) suspends the number: its messages wait without calling Meta until the account is PUT with a valid token, then they go', async () => {
    const { shop, fake, account, phoneNumberId } = await wa.store();
    await wa.connect(shop, { ...account, accessToken: 'EAAG-revoked-token' });
    const shoppers = await Promise.all([1, 2, 3].map(() => wa.shopper(shop)));
    const queued: Json[] = [];
    for (const s of shoppers) queued.push(await wa.send(shop, s.contactId));
    await wa.tick();

    const refused = fake.answered.filter((a) => a.code === 190).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    expect(fake.accepted).toHaveLength(0);
    const suspended = await wa.channel(shop);
    expect(suspended).toMatchObject({ channel: 'whatsapp', phoneNumberId, status: 'suspended' });
    expect(suspended.statusReason).toContain('190');
    expect(suspended.statusReason).toContain('Invalid OAuth access token');
    expect(JSON.stringify(suspended)).not.toContain('EAAG-revoked-token');
    for (const m of queued) {
      // Back in the queue, the attempt not counted: it never reached a shopper.
      expect(await wa.message(shop, m.id)).toMatchObject({ status: 'queued', attempts: 0, providerMessageId: null });
    }

    // Minutes pass and a new message is queued meanwhile: Meta hears nothing more from this number.
    const calls = fake.answered.length;
    queued.push(await wa.send(shop, (await wa.shopper(shop)).contactId));
    for (let i = 0; i < 5; i++) {
      await wa.tick();
      clock.advance(61 * SECOND);
    }
    await wa.tick();
    expect(fake.answered.length).toBe(calls);
    for (const m of queued) expect((await wa.message(shop, m.id)).status).toBe('queued');
    expect((await wa.channel(shop)).status).toBe('suspended');

    const fixedAt = clock.now();
    const fixed = await wa.connect(shop, account);
    expect(fixed).toMatchObject({ status: 'active', statusReason: null });
    expect(await wa.channel(shop)).toMatchObject({ status: 'active', statusReason: null });
    for (const m of queued) {
      const sent = await wa.untilSettled(shop, m.id);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
      // Each waits at most for the end of the 60 s it was put back for.
      expect(Date.parse(sent.sentAt) - fixedAt).toBeLessThanOrEqual(60 * SECOND);
    }
    expect(fake.accepted).toHaveLength(4);
    expect(fake.answered.filter((a) => a.code === 190)).toHaveLength(refused);
  });

  it('300 messages on a number of 80 messages/s all go, paced so that Meta never answers 130429', async () => {
    const { shop, fake } = await wa.store({ account: { throughputPerSecond: 80 }, fake: { throughputPerSecond: 80 } });
    const shoppers = await wa.shoppers(shop, 300);
    for (const s of shoppers) await wa.send(shop, s.contactId);

    for (let round = 0; round < 5 && fake.accepted.length < 300; round++) {
      await wa.tick();
      clock.advance(10 * SECOND);
    }
    expect(fake.throttled()).toBe(0);
    expect(fake.accepted).toHaveLength(300);
    expect(new Set(fake.accepted.map((a) => a.to)).size).toBe(300);
    // Never more than 80 in any one second of real time, and the number's throughput is used, not wasted.
    const times = fake.accepted.map((a) => a.at);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1_000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(80);
    expect(times.at(-1)! - times[0]!).toBeLessThan(6_000);

    const sent = await h.get('/v1/messages?status=sent&limit=500', shop);
    expect(sent.json().messages).toHaveLength(300);
    const stats = (await h.get('/v1/stats/messages?template=order_update', shop)).json();
    expect(stats).toMatchObject({ total: 300, sent: 300, queued: 0, failed: 0 });
  }, 90_000);

  it('two messages to one shopper from one number go 6 s of business time apart; other shoppers are not held up', async () => {
    const { shop, fake } = await wa.store();
    const priya = await wa.shopper(shop);
    const arjun = await wa.shopper(shop);
    const first = await wa.send(shop, priya.contactId);
    const second = await wa.send(shop, priya.contactId, 'order_update', { idempotencyKey: 'second-update' });
    const other = await wa.send(shop, arjun.contactId);
    const t0 = clock.now();
    await wa.tick();

    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(1);
    expect(wa.acceptedTo(fake, arjun.phone)).toHaveLength(1);
    expect(await wa.message(shop, other.id)).toMatchObject({ status: 'sent', sentAt: iso(t0) });
    const [a, b] = [await wa.message(shop, first.id), await wa.message(shop, second.id)];
    const [went, waits] = a.status === 'sent' ? [a, b] : [b, a];
    expect(went).toMatchObject({ status: 'sent', sentAt: iso(t0) });
    expect(waits).toMatchObject({ status: 'queued', attempts: 0, nextAttemptAt: iso(t0 + 6 * SECOND) });

    await wa.ticks(3);
    clock.set(t0 + 6 * SECOND - 1);
    await wa.tick();
    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(1);
    clock.set(t0 + 6 * SECOND);
    await wa.tick();
    expect(wa.acceptedTo(fake, priya.phone)).toHaveLength(2);
    expect(await wa.message(shop, waits.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentAt: iso(t0 + 6 * SECOND),
    });
  });
});

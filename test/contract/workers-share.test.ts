import { expect, it, onTestFinished } from 'vitest';
import type { ChannelRegistry } from '../../src/channels/registry.js';
import { Dispatcher } from '../../src/messaging/dispatcher.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

/** One call to the provider, as a worker made it: which worker, for which number, from when to when (real time). */
interface Call {
  worker: string;
  sender: string;
  start: number;
  end: number;
}

/**
 * Several workers on one database (issue 12): the numbers spread across them, a worker that
 * joins takes its share, one that leaves or dies gives its numbers back within seconds, and no
 * number is ever paced by two workers at once. Each worker is a Dispatcher of its own (its own
 * id, heartbeat and leases), as a `--role worker` process has; rounds run them side by side.
 */
describeEachDatabase('workers share the numbers', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const calls: Call[] = [];
  /** Workers whose calls never answer: not waited for at the end of a round. */
  const hanging = new Set<Dispatcher>();

  /**
   * A worker whose every provider call is logged; `hang` makes its calls never answer, and once
   * `dead` is set it makes no more calls (its process died mid-send).
   */
  function worker(options: { hang?: boolean; dead?: { now: boolean } } = {}): Dispatcher {
    const real = h.app.messaging.channels;
    const channels = { ...real } as ChannelRegistry;
    let d: Dispatcher | null = null;
    channels.whatsapp = {
      ...real.whatsapp,
      send: async (account, message) => {
        if (options.dead?.now) return new Promise(() => {});
        const call = {
          worker: d!.workerId!,
          sender: String(account.externalId),
          start: performance.now(),
          end: Infinity,
        };
        calls.push(call);
        if (options.hang) return new Promise(() => {});
        try {
          return await real.whatsapp.send(account, message);
        } finally {
          call.end = performance.now();
        }
      },
    };
    d = new Dispatcher(h.app.storage, clock, channels, { batchSize: 50 });
    if (options.hang) hanging.add(d);
    return d;
  }

  /** Every worker keeps up (heartbeat, share) then claims, side by side; `queue` first adds a message per number. */
  async function round(workers: Dispatcher[], numbers: WhatsAppShop[], shoppers: Map<string, string[]>) {
    for (const n of numbers) {
      const next = shoppers.get(n.phoneNumberId)!.pop();
      if (next) await wa.send(n.shop, next);
    }
    await Promise.all(
      workers.map(async (w) => {
        await w.keepUp();
        await w.runOnce();
      }),
    );
    // The round's calls are answered before the next second (on a busy machine they could
    // still be out a second later, and a worker gives a number up only when its calls are in).
    await Promise.all(workers.filter((w) => !hanging.has(w)).map((w) => w.drain()));
    clock.advance(1_000);
  }

  /** How many numbers each worker holds a live lease of, by worker id. */
  async function holdings(): Promise<Map<string, number>> {
    const rows = await h.app.storage.db
      .selectFrom('sender_leases')
      .select(['owner'])
      .where('lease_until', '>=', clock.now())
      .execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.owner, (counts.get(r.owner) ?? 0) + 1);
    return counts;
  }

  /**
   * Rounds (a second of business time each) until every worker holds a count `allowed` allows
   * and every number is held, within 10 rounds; how many it took. Workers claim side by side,
   * so who wins a number in one round varies; the shares settle within a few.
   */
  async function settle(
    workers: Dispatcher[],
    numbers: WhatsAppShop[],
    shoppers: Map<string, string[]>,
    allowed: (held: number) => boolean,
  ): Promise<number> {
    for (let r = 1; r <= 10; r++) {
      await round(workers, numbers, shoppers);
      const held = await holdings();
      const total = [...held.values()].reduce((a, b) => a + b, 0);
      if (total === numbers.length && workers.every((w) => allowed(held.get(w.workerId!) ?? 0))) return r;
    }
    throw new Error(`not settled in 10 rounds: ${JSON.stringify([...(await holdings())])}`);
  }

  /** No number's calls by two workers overlap in time (checked over the whole run). */
  function neverTwoAtOnce() {
    const bySender = new Map<string, Call[]>();
    for (const c of calls) bySender.set(c.sender, [...(bySender.get(c.sender) ?? []), c]);
    for (const [sender, list] of bySender) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 1; i < list.length; i++) {
        const before = list.slice(0, i).filter((c) => c.worker !== list[i]!.worker);
        for (const other of before)
          expect(
            other.end,
            `${sender}: ${other.worker} still calling when ${list[i]!.worker} called`,
          ).toBeLessThanOrEqual(list[i]!.start);
      }
    }
  }

  async function numbersWithShoppers(count: number, perNumber: number) {
    const numbers: WhatsAppShop[] = [];
    const shoppers = new Map<string, string[]>();
    for (let i = 0; i < count; i++) {
      const n = await wa.store({ account: { throughputPerSecond: 1000 }, fake: { throughputPerSecond: 100_000 } });
      numbers.push(n);
      shoppers.set(
        n.phoneNumberId,
        (await wa.shoppers(n.shop, perNumber)).map((s) => s.contactId),
      );
    }
    return { numbers, shoppers };
  }

  it('ten numbers spread over three workers, 3 or 4 each; a fourth joins and takes its share; one leaves and its numbers go to the others', async () => {
    calls.length = 0;
    const { numbers, shoppers } = await numbersWithShoppers(10, 60);
    const workers = [worker(), worker(), worker()];
    onTestFinished(() => Promise.all(workers.map((w) => w.stop())).then(() => {}));
    // Each worker holds its share, within seconds.
    await settle(workers, numbers, shoppers, (n) => n === 3 || n === 4);

    const joined = worker();
    workers.push(joined);
    await settle(workers, numbers, shoppers, (n) => n === 2 || n === 3);

    const leaving = workers.shift()!;
    await leaving.stop();
    await settle(workers, numbers, shoppers, (n) => n === 3 || n === 4);
    expect((await holdings()).has(leaving.workerId!)).toBe(false);
    // And it stays so: no number changes hands while the shares hold.
    const before = await h.app.storage.db.selectFrom('sender_leases').select(['sender', 'owner']).execute();
    for (let r = 0; r < 3; r++) await round(workers, numbers, shoppers);
    const after = await h.app.storage.db.selectFrom('sender_leases').select(['sender', 'owner']).execute();
    expect(new Map(after.map((l) => [l.sender, l.owner]))).toEqual(new Map(before.map((l) => [l.sender, l.owner])));

    await Promise.all(workers.map((w) => w.drain()));
    neverTwoAtOnce();
    // Every message queued went out once.
    for (const n of numbers) {
      const tos = n.fake.accepted.map((a) => a.to);
      expect(new Set(tos).size).toBe(tos.length);
    }
  }, 120_000);

  it('a worker that dies mid-send: within 5 s its numbers are paced by the other, and the receipts it was sending go again', async () => {
    calls.length = 0;
    const { numbers, shoppers } = await numbersWithShoppers(4, 30);
    const alive = worker();
    onTestFinished(() => alive.stop());
    const death = { now: false };
    const dying = worker({ hang: true, dead: death });
    // The dying worker holds two numbers, each with a send in flight that will never answer.
    await settle([alive, dying], numbers, shoppers, (n) => n === 2);
    const stuck = await h.app.storage.db
      .selectFrom('messages')
      .select(['id', 'store_id', 'category'])
      .where('status', '=', 'sending')
      .where('claimed_by', '=', dying.workerId!)
      .execute();
    expect(stuck.length).toBeGreaterThan(0);

    // It stops beating (its calls end with its process). 4 s later (less than a message lease
    // of 30 s), the other has everything.
    const diedAt = clock.now();
    const diedAtReal = performance.now();
    death.now = true;
    for (const c of calls) if (c.worker === dying.workerId) c.end = Math.min(c.end, diedAtReal);
    await settle([alive], numbers, shoppers, (n) => n === 4);
    expect(clock.now() - diedAt).toBeLessThanOrEqual(5_000);
    await alive.runOnce();
    await alive.drain();
    // The log is honest: the dead worker's attempt is "unknown", the second went, and the
    // message says the shopper may have it twice — as the stats and /metrics do.
    for (const m of stuck) {
      const shop = numbers.find((n) => n.shop.store.id === m.store_id)!.shop;
      const message = (await h.get(`/v1/messages/${m.id}`, shop)).json();
      expect(message, m.id).toMatchObject({ status: 'sent', attempts: 2, possiblyDuplicate: true });
      expect(message.attemptLog).toMatchObject([
        { attempt: 1, worker: dying.workerId, outcome: 'unknown', providerMessageId: null },
        { attempt: 2, worker: alive.workerId, outcome: 'sent', providerMessageId: message.providerMessageId },
      ]);
    }
    for (const n of numbers) {
      const mine = stuck.filter((m) => m.store_id === n.shop.store.id).length;
      const stats = (await h.get('/v1/stats/messages?template=order_update', n.shop)).json();
      expect(stats.possiblyDuplicated).toBe(mine);
    }
    expect(alive.stats.unknown).toBe(stuck.length);
    neverTwoAtOnce();
  }, 120_000);
});

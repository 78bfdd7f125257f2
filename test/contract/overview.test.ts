import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { bulkLoadWithRollups } from '../../src/storage/rollup-triggers.js';
import { signedIn } from '../support/accounts.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { orderConfirmation, runLoop, sendApi } from '../support/send-helpers.js';

type Json = any;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-21T10:00:00Z'); // 15:30 in Kolkata, the store's zone
const SHIPPED = {
  channel: 'whatsapp',
  language: 'en',
  category: 'utility',
  body: { text: 'Your parcel is on its way.' },
};

/**
 * GET /v1/overview (docs/overview.md) is read from rollups kept as rows arrive; for a seeded
 * store its numbers equal what the other APIs count from the rows themselves: the message stats
 * per template since the period's start, the order list of the period's days, the journey runs
 * and the contacts' timelines.
 */
describeEachDatabase('the overview', (target) => {
  const clock = new ManualClock(NOW);
  const h = useHarness(target, { clock });
  const api = sendApi(h);
  let shop: StoreCredentials;
  const ok = (res: { statusCode: number; body: string; json(): Json }) => {
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };
  const overview = async (period: string, as = shop) => ok(await h.get(`/v1/overview?period=${period}`, as));

  /** A message of `template` to the shopper at `at`, with what the sandbox reports in the next seconds. */
  const send = async (at: number, customer: string, template: string) => {
    clock.set(at);
    const message = await api.queued({ to: { customer_id: customer }, template, orderId: 'ORD-0' }, shop);
    await runLoop(h, clock, 1_000, 2_000, 1_000);
    return message.id as string;
  };
  const event = async (at: number, id: string, customer: string) => {
    clock.set(at);
    ok(
      await h.post(
        '/v1/events',
        {
          event_id: id,
          event_name: 'product_view',
          timestamp: new Date(at).toISOString(),
          customer: { customer_id: customer },
          event_data: { product_id: 'SK101', title: 'Makhanas', price: 150, currency: 'INR' },
        },
        shop,
      ),
    );
  };
  const order = async (orderId: string, customer: string, date: string, total: string) => {
    ok(
      await h.post(
        '/v1/generate-event',
        {
          eventTypeKey: 'orderCreated',
          params: Object.entries({
            externalOrderId: orderId,
            externalCustomerId: customer,
            totalCost: total,
            status: 'INITIALIZED',
            date,
            currency: 'INR',
            items: [
              {
                externalItemId: 'mug',
                name: 'Mug',
                quantity: 1,
                cost: Number(total),
                url: 'https://s.test/m',
                imageUrl: 'https://s.test/m.jpg',
              },
            ],
          }).map(([name, value]) => ({ name, value })),
        },
        shop,
      ),
    );
  };
  const trigger = async (at: number, customer: string, orderId: string) => {
    clock.set(at);
    ok(await h.post('/v1/journeys/slow_hello/trigger', { to: { customer_id: customer }, orderId }, shop));
  };

  it('seeds a store over 40 days', async () => {
    shop = await api.sandboxStore('Overview Shop');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.putTemplate('shipped', SHIPPED, shop);
    await api.shopper(shop, { customer_id: 'asha', name: 'Asha Verma', phone: '+919876543210' });
    await api.shopper(shop, { customer_id: 'ravi', name: 'Ravi Kumar', phone: '+919810000000' }); // …0000 fails
    await api.order(shop, 'ORD-0', 'asha'); // 2026-11-21 10:00 Kolkata
    ok(
      await h.call(
        'PUT',
        '/v1/journeys/slow_hello',
        {
          name: 'Slow hello',
          enabled: true,
          trigger: { event: 'slow_hello_go' },
          entry: { buffer: '0s', key: 'event.order_id' },
          steps: [
            { id: 'pause', type: 'wait', duration: '60d' },
            { id: 'hello', type: 'send', channel: 'whatsapp', template: 'shipped' },
          ],
        },
        { as: shop },
      ),
    );

    // 40 days ago: outside every period.
    await send(NOW - 40 * DAY, 'asha', 'shipped');
    await event(NOW - 40 * DAY, 'old-view', 'asha');
    await order('ORD-40', 'asha', '2026-10-12 12:00:00', '999.00');
    await trigger(NOW - 40 * DAY, 'asha', 'ORD-40');
    // 10 days ago: in the 30 days only.
    await send(NOW - 10 * DAY, 'asha', 'order_confirmation');
    await send(NOW - 10 * DAY + HOUR, 'ravi', 'shipped');
    await event(NOW - 10 * DAY, 'view-10', 'asha');
    await order('ORD-10', 'ravi', '2026-11-11 18:00:00', '450.50');
    await trigger(NOW - 10 * DAY, 'ravi', 'ORD-10');
    // Yesterday 23:50 and today 00:10 in Kolkata (both "yesterday" in UTC): the store's days count.
    await send(Date.parse('2026-11-20T18:20:00Z'), 'asha', 'shipped');
    await send(Date.parse('2026-11-20T18:40:00Z'), 'asha', 'shipped');
    await event(Date.parse('2026-11-20T18:20:00Z'), 'view-late', 'ravi');
    await event(Date.parse('2026-11-20T18:40:00Z'), 'view-early', 'ravi');
    await order('ORD-Y', 'asha', '2026-11-20 23:50:00', '100.00');
    await order('ORD-T', 'ravi', '2026-11-21 00:10:00', '200.25');
    // Today: read, failed, and one the shopper answered.
    const answered = await send(NOW - 2 * HOUR, 'asha', 'order_confirmation');
    await send(NOW - HOUR, 'ravi', 'order_confirmation');
    clock.set(NOW);
    ok(
      await h.post('/v1/channels/sandbox/inbound', { from: '+919876543210', replyTo: answered, text: 'Thanks!' }, shop),
    );
    await trigger(NOW, 'asha', 'ORD-0');
    await event(NOW, 'view-now', 'asha');
    clock.set(NOW + 5 * 60_000);
  });

  it("counts each template's messages as GET /v1/stats/messages does since the period's start", async () => {
    const expected: Record<string, Record<string, number>> = {
      today: { total: 3, read: 2, failed: 1, replied: 1 },
      '7d': { total: 4, read: 3, failed: 1, replied: 1 },
      '30d': { total: 6, read: 4, failed: 2, replied: 1 },
    };
    for (const period of ['today', '7d', '30d']) {
      const body = await overview(period);
      expect(body.timeZone).toBe('Asia/Kolkata');
      const fields = ['total', 'sent', 'delivered', 'read', 'failed', 'replied'] as const;
      const sum = Object.fromEntries(fields.map((f) => [f, 0])) as Record<string, number>;
      for (const template of ['order_confirmation', 'shipped']) {
        const stats = await api.stats(`template=${template}&since=${encodeURIComponent(body.from)}`, shop);
        const row = body.templates.find((t: Json) => t.template === template) ?? { template };
        for (const f of fields) {
          expect(row[f] ?? 0, `${period} ${template} ${f}`).toBe(stats[f]);
          sum[f]! += stats[f];
        }
      }
      expect(body.totals.messages, period).toEqual(sum);
      expect(body.totals.messages, period).toMatchObject(expected[period]!);
      // The series adds up to the totals.
      const series = body.series.reduce((n: number, b: Json) => n + b.messages.total, 0);
      expect(series, period).toBe(body.totals.messages.total);
    }
  });

  it('starts the day at midnight in the store zone: today by the hour, days by the store calendar', async () => {
    const today = await overview('today');
    expect(today.granularity).toBe('hour');
    expect(today.from).toBe('2026-11-20T18:30:00.000Z');
    expect(today.series[0]).toMatchObject({ label: '2026-11-21T00:00', start: '2026-11-20T18:30:00.000Z' });
    expect(today.series[0].messages.total).toBe(1); // 00:10 Kolkata; 23:50 is yesterday's
    const week = await overview('7d');
    expect(week.granularity).toBe('day');
    expect(week.series.map((d: Json) => d.label)).toEqual([
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
    ]);
    expect(week.series.at(-2)).toMatchObject({ label: '2026-11-20', events: 2, orders: 1, revenue: { INR: 100 } });
    expect(week.series.at(-2).messages.total).toBe(1);
  });

  it("counts orders and revenue as the order list shows the period's days", async () => {
    for (const period of ['today', '7d', '30d']) {
      const body = await overview(period);
      const first = body.series[0].label.slice(0, 10);
      const orders = ok(await h.get(`/v1/orders?from=${first}&to=2026-11-21&limit=200`, shop)).orders as Json[];
      expect(body.totals.orders, period).toBe(orders.length);
      const revenue = Math.round(orders.reduce((n, o) => n + o.orderTotal, 0) * 100) / 100;
      expect(body.totals.revenue, period).toEqual(orders.length ? { INR: revenue } : {});
    }
    expect((await overview('30d')).totals.revenue).toEqual({ INR: 1200 + 450.5 + 100 + 200.25 });
  });

  it('counts journey runs as the runs API lists them, by the time they entered', async () => {
    const runs = ok(await h.get('/v1/journeys/slow_hello/runs?limit=500', shop)).runs as Json[];
    const stats = ok(await h.get('/v1/journeys/slow_hello/stats', shop));
    expect(stats.runs.total).toBe(runs.length);
    for (const period of ['today', '7d', '30d']) {
      const body = await overview(period);
      const since = Date.parse(body.from);
      const inPeriod = runs.filter((r) => Date.parse(r.enteredAt) >= since).length;
      expect(body.totals.runs, period).toBe(inPeriod);
      const journey = body.journeys.find((j: Json) => j.journeyId === 'slow_hello');
      expect(journey ?? { entered: 0 }, period).toMatchObject({ entered: inPeriod });
      if (journey) expect(journey).toMatchObject({ name: 'Slow hello', completed: 0, exited: 0 });
    }
    expect((await overview('30d')).totals.runs).toBe(2);
  });

  it("counts events as the contacts' timelines show them", async () => {
    const contacts = ok(await h.get('/v1/contacts?limit=200', shop)).contacts as Json[];
    const times: number[] = [];
    for (const contact of contacts) {
      const items = ok(await h.get(`/v1/contacts/${contact.id}/timeline?limit=200`, shop)).items as Json[];
      for (const item of items) if (item.kind === 'event') times.push(Date.parse(item.at));
    }
    for (const period of ['today', '7d', '30d']) {
      const body = await overview(period);
      const since = Date.parse(body.from);
      expect(body.totals.events, period).toBe(times.filter((t) => t >= since).length);
      const { message_status: statuses = 0, ...kinds } = body.eventKinds as Record<string, number>;
      expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(body.totals.events);
      expect(statuses, period).toBeGreaterThan(0); // the sandbox's reports, counted as messages
    }
  });

  it('a bulk load (triggers off, rollups counted again after it) gives the numbers the triggers kept', async () => {
    const periods = ['today', '7d', '30d'];
    const before = await Promise.all(periods.map((period) => overview(period)));
    // Counted again from the rows, the rollups say what the triggers had kept.
    await h.app.storage.transaction((trx) => bulkLoadWithRollups(trx, async () => {}));
    expect(await Promise.all(periods.map((period) => overview(period)))).toEqual(before);
    // A row written while the triggers are off is counted by the recount.
    await h.app.storage.transaction((trx) =>
      bulkLoadWithRollups(trx, async () => {
        await trx
          .insertInto('events')
          .values({
            store_id: shop.store.id,
            event_id: 'bulk-1',
            contact_id: null,
            name: 'product_view',
            sub_name: null,
            kind: 'activity',
            source: 'native',
            occurred_at: NOW,
            timestamp: new Date(NOW).toISOString(),
            received_at: NOW,
            data: '{}',
          })
          .execute();
      }),
    );
    const loaded = await overview('today');
    expect(loaded.totals.events).toBe(before[0].totals.events + 1);
    // The triggers are back: the next event counts as it arrives.
    await event(NOW + 5 * 60_000, 'view-after-bulk', 'asha');
    expect((await overview('today')).totals.events).toBe(loaded.totals.events + 1);
  });

  it('is for owners and marketers; another store sees only its own; a bad period is a 400', async () => {
    const other = await api.sandboxStore('Other Overview Shop');
    const empty = await overview('30d', other);
    expect(empty.totals).toEqual({
      events: 0,
      messages: { total: 0, sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 },
      orders: 0,
      revenue: {},
      runs: 0,
    });
    expect(empty.templates).toEqual([]);
    const marketer = await signedIn(h, shop.store.id, 'marketer');
    const seen = await marketer.call('GET', '/v1/overview?period=today', { store: shop.store.id });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().totals.messages.total).toBe(3);
    const agent = await signedIn(h, shop.store.id, 'agent');
    expect((await agent.call('GET', '/v1/overview', { store: shop.store.id })).statusCode).toBe(403);
    const bad = await h.get('/v1/overview?period=year', shop);
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});

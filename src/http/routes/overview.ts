import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { fromMinor } from '../../domain/money.js';
import { type OverviewPeriod, periodBuckets } from '../../domain/overview-period.js';
import { listJourneys } from '../../storage/journeys.js';
import { type MessageCounts, readRollups } from '../../storage/overview.js';
import { SLOT_MS } from '../../storage/rollup-triggers.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const Period = Type.Union([Type.Literal('today'), Type.Literal('7d'), Type.Literal('30d')]);
const Messages = Type.Object({
  total: Type.Integer(),
  sent: Type.Integer(),
  delivered: Type.Integer(),
  read: Type.Integer(),
  failed: Type.Integer(),
  replied: Type.Integer(),
});
const Revenue = Type.Record(Type.String(), Type.Number(), { description: 'By currency ("" when orders had none).' });
const Counts = {
  events: Type.Integer(),
  messages: Messages,
  orders: Type.Integer(),
  revenue: Revenue,
  runs: Type.Integer({ description: 'Shoppers who entered a journey.' }),
};
const OverviewBody = Type.Object({
  period: Period,
  timeZone: Type.String(),
  granularity: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  totals: Type.Object(Counts),
  series: Type.Array(Type.Object({ label: Type.String(), start: Type.String({ format: 'date-time' }), ...Counts })),
  templates: Type.Array(Type.Object({ template: Type.String(), ...Messages.properties })),
  journeys: Type.Array(
    Type.Object({
      journeyId: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      entered: Type.Integer(),
      completed: Type.Integer(),
      exited: Type.Integer(),
    }),
  ),
  eventKinds: Type.Record(Type.String(), Type.Integer()),
});
type Body = Type.Static<typeof OverviewBody>;
type Row = Body['totals'];

const zeroMessages = (): MessageCounts => ({ total: 0, sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 });
const zero = (): Row => ({ events: 0, messages: zeroMessages(), orders: 0, revenue: {}, runs: 0 });

/** GET /v1/overview: the dashboard's overview (docs/overview.md), read from the rollups only. */
export function overviewRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Querystring: { period?: OverviewPeriod } }>('/v1/overview', {
    schema: {
      summary: "Today's, 7 or 30 days' events, messages, orders, revenue and journey runs, over time",
      tags: ['stats'],
      security: bearerAuth,
      querystring: Type.Object({
        period: Type.Optional(Period),
      }),
      response: { 200: OverviewBody },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request): Promise<Body> => {
      const store = storeOf(request);
      const period = request.query.period ?? '7d';
      const buckets = periodBuckets(period, deps.clock.now(), store.timeZone);
      const from = buckets[0]!.start;
      const to = buckets.at(-1)!.end;
      const rollups = await readRollups(
        deps.storage.db,
        store.id,
        from,
        to,
        buckets.map((b) => b.start),
      );
      const series = buckets.map((b) => ({ label: b.label, start: new Date(b.start).toISOString(), ...zero() }));
      const minor: Record<string, number>[] = buckets.map(() => ({}));
      const totalMinor: Record<string, number> = {};
      const totals = zero();
      let i = 0;
      for (const slot of rollups.slots) {
        const at = slot.slot * SLOT_MS;
        while (i < buckets.length - 1 && at >= buckets[i]!.end) i++;
        const row = series[i]!;
        for (const target of [row, totals]) {
          target.events += slot.events;
          target.runs += slot.runs;
          target.orders += slot.orders;
          for (const key of Object.keys(target.messages) as (keyof MessageCounts)[])
            target.messages[key] += slot.messages[key];
        }
        for (const [currency, amount] of Object.entries(slot.revenueMinor)) {
          minor[i]![currency] = (minor[i]![currency] ?? 0) + amount;
          totalMinor[currency] = (totalMinor[currency] ?? 0) + amount;
        }
      }
      // Money is summed in minor units and turned into amounts once (no float drift).
      const amounts = (byCurrency: Record<string, number>) =>
        Object.fromEntries(Object.entries(byCurrency).map(([c, m]) => [c, fromMinor(m, c || null) ?? 0]));
      series.forEach((row, k) => {
        row.revenue = amounts(minor[k]!);
      });
      totals.revenue = amounts(totalMinor);
      const names = new Map(
        (await listJourneys(deps.storage.db, store.id)).map((j) => [
          j.id,
          typeof j.definition.name === 'string' ? j.definition.name : null,
        ]),
      );
      return {
        period,
        timeZone: store.timeZone,
        granularity: period === 'today' ? 'hour' : 'day',
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        totals,
        series,
        templates: rollups.templates,
        journeys: rollups.journeys.map((j) => ({ ...j, name: names.get(j.journeyId) ?? null })),
        eventKinds: rollups.eventKinds,
      };
    },
  });
}

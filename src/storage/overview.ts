import { sql } from 'kysely';
import type { Db } from './database.js';
import { SLOT_MS } from './rollup-triggers.js';

/** Counters of one quarter hour (slot) or one dimension, as the rollups hold them. */
export interface SlotCounts {
  slot: number;
  events: number;
  messages: MessageCounts;
  runs: number;
  orders: number;
  /** Minor units by currency ('' when an order had none). */
  revenueMinor: Record<string, number>;
}

export interface MessageCounts {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
}

export interface OverviewRollups {
  slots: SlotCounts[];
  templates: (MessageCounts & { template: string })[];
  journeys: { journeyId: string; entered: number; completed: number; exited: number }[];
  eventKinds: Record<string, number>;
}

const n = (value: unknown) => Number(value ?? 0);
const sum = (column: string) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)`;

/**
 * The rollups of the store between two instants (both on quarter hours: a day of any time zone
 * starts on one), summed by bucket — the buckets start at `starts` (quarter hours, ascending, the
 * first at `from`; by default one bucket) — and by template, journey and event kind. One grouped
 * read per rollup table gives both (a bucket × dimension table of at most 30 × a few rows), never
 * the events or messages themselves. `slots` holds one entry per bucket, its slot the bucket's first.
 */
export async function readRollups(
  db: Db,
  storeId: string,
  from: number,
  to: number,
  starts: number[] = [from],
): Promise<OverviewRollups> {
  const first = Math.floor(from / SLOT_MS);
  const end = Math.ceil(to / SLOT_MS);
  const startSlots = starts.map((start) => Math.floor(start / SLOT_MS));
  // The slot of the bucket a row's slot falls in. Literals: they are whole numbers computed here.
  const bucket =
    startSlots.length === 1
      ? sql<number>`${sql.lit(startSlots[0]!)}`
      : sql<number>`case ${sql.join(
          startSlots.slice(1).map((next, i) => sql`when slot < ${sql.lit(next)} then ${sql.lit(startSlots[i]!)}`),
          sql` `,
        )} else ${sql.lit(startSlots.at(-1)!)} end`;
  const events = await db
    .selectFrom('rollup_events')
    .select([bucket.as('slot'), 'kind', sum('events').as('events')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy([sql`1`, 'kind'])
    .execute();
  const messageSums = [
    sum('total').as('total'),
    sum('sent').as('sent'),
    sum('delivered').as('delivered'),
    sum('reads').as('reads'),
    sum('failed').as('failed'),
    sum('replied').as('replied'),
  ] as const;
  const messages = await db
    .selectFrom('rollup_messages')
    .select([bucket.as('slot'), 'template', ...messageSums])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy([sql`1`, 'template'])
    .execute();
  const orders = await db
    .selectFrom('rollup_orders')
    .select([bucket.as('slot'), 'currency', sum('orders').as('orders'), sum('revenue_minor').as('revenue_minor')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy([sql`1`, 'currency'])
    .execute();
  const runs = await db
    .selectFrom('rollup_runs')
    .select([
      bucket.as('slot'),
      'journey_id',
      sum('entered').as('entered'),
      sum('completed').as('completed'),
      sum('exited').as('exited'),
    ])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy([sql`1`, 'journey_id'])
    .execute();

  const slots = new Map<number, SlotCounts>();
  const at = (slot: unknown) => {
    const key = n(slot);
    let counts = slots.get(key);
    if (!counts) {
      counts = {
        slot: key,
        events: 0,
        messages: { total: 0, sent: 0, delivered: 0, read: 0, failed: 0, replied: 0 },
        runs: 0,
        orders: 0,
        revenueMinor: {},
      };
      slots.set(key, counts);
    }
    return counts;
  };
  const messageCounts = (
    r: Record<'total' | 'sent' | 'delivered' | 'reads' | 'failed' | 'replied', unknown>,
  ): MessageCounts => ({
    total: n(r.total),
    sent: n(r.sent),
    delivered: n(r.delivered),
    read: n(r.reads),
    failed: n(r.failed),
    replied: n(r.replied),
  });
  type Sums = Record<'total' | 'sent' | 'delivered' | 'reads' | 'failed' | 'replied', unknown>;
  const addMessages = (into: MessageCounts, r: Sums) => {
    const c = messageCounts(r);
    for (const key of Object.keys(into) as (keyof MessageCounts)[]) into[key] += c[key];
  };
  const kinds: Record<string, number> = {};
  for (const r of events) {
    kinds[r.kind] = (kinds[r.kind] ?? 0) + n(r.events);
    // Status reports (stored as events) are counted among the messages.
    if (r.kind !== 'message_status') at(r.slot).events += n(r.events);
  }
  const templates = new Map<string, MessageCounts>();
  for (const r of messages) {
    addMessages(at(r.slot).messages, r);
    const counts = templates.get(r.template) ?? messageCounts({} as Sums);
    templates.set(r.template, counts);
    addMessages(counts, r);
  }
  const journeys = new Map<string, { journeyId: string; entered: number; completed: number; exited: number }>();
  for (const r of runs) {
    at(r.slot).runs += n(r.entered);
    const counts = journeys.get(r.journey_id) ?? { journeyId: r.journey_id, entered: 0, completed: 0, exited: 0 };
    journeys.set(r.journey_id, counts);
    counts.entered += n(r.entered);
    counts.completed += n(r.completed);
    counts.exited += n(r.exited);
  }
  for (const r of orders) {
    const counts = at(r.slot);
    counts.orders += n(r.orders);
    counts.revenueMinor[r.currency] = (counts.revenueMinor[r.currency] ?? 0) + n(r.revenue_minor);
  }
  const byName = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    slots: [...slots.values()].sort((a, b) => a.slot - b.slot),
    templates: byName(templates).map(([template, counts]) => ({ template, ...counts })),
    journeys: byName(journeys).map(([, counts]) => counts),
    eventKinds: kinds,
  };
}

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
 * starts on one), by quarter hour and by template, journey and event kind. Reads at most one
 * row per quarter hour and table (2,880 for 30 days), never the events or messages themselves.
 */
export async function readRollups(db: Db, storeId: string, from: number, to: number): Promise<OverviewRollups> {
  const first = Math.floor(from / SLOT_MS);
  const end = Math.ceil(to / SLOT_MS);
  const events = await db
    .selectFrom('rollup_events')
    .select(['slot', sum('events').as('events')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    // Status reports (stored as events) are counted among the messages.
    .where('kind', '!=', 'message_status')
    .groupBy('slot')
    .execute();
  const kinds = await db
    .selectFrom('rollup_events')
    .select(['kind', sum('events').as('events')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy('kind')
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
    .select(['slot', ...messageSums])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy('slot')
    .execute();
  const templates = await db
    .selectFrom('rollup_messages')
    .select(['template', ...messageSums])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy('template')
    .orderBy('template')
    .execute();
  const orders = await db
    .selectFrom('rollup_orders')
    .select(['slot', 'currency', sum('orders').as('orders'), sum('revenue_minor').as('revenue_minor')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy(['slot', 'currency'])
    .execute();
  const runs = await db
    .selectFrom('rollup_runs')
    .select(['slot', sum('entered').as('entered')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy('slot')
    .execute();
  const journeys = await db
    .selectFrom('rollup_runs')
    .select(['journey_id', sum('entered').as('entered'), sum('completed').as('completed'), sum('exited').as('exited')])
    .where('store_id', '=', storeId)
    .where('slot', '>=', first)
    .where('slot', '<', end)
    .groupBy('journey_id')
    .orderBy('journey_id')
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
  for (const r of events) at(r.slot).events += n(r.events);
  for (const r of messages) at(r.slot).messages = messageCounts(r);
  for (const r of runs) at(r.slot).runs += n(r.entered);
  for (const r of orders) {
    const counts = at(r.slot);
    counts.orders += n(r.orders);
    counts.revenueMinor[r.currency] = (counts.revenueMinor[r.currency] ?? 0) + n(r.revenue_minor);
  }
  return {
    slots: [...slots.values()].sort((a, b) => a.slot - b.slot),
    templates: templates.map((r) => ({ template: r.template, ...messageCounts(r) })),
    journeys: journeys.map((r) => ({
      journeyId: r.journey_id,
      entered: n(r.entered),
      completed: n(r.completed),
      exited: n(r.exited),
    })),
    eventKinds: Object.fromEntries(kinds.map((r) => [r.kind, n(r.events)])),
  };
}

import { randomBytes } from 'node:crypto';
import type { OrderRecord } from '../domain/records.js';
import type { OrderStatus } from '../domain/store-event.js';
import { rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { selectByKeys } from './keyed-select.js';
import { parseJson, toJson } from './json.js';
import type { OrdersTable } from './schema.js';

function toRecord(row: OrdersTable): OrderRecord {
  return {
    orderId: row.order_id,
    contactId: row.contact_id,
    state: {
      status: row.status as OrderStatus,
      totalMinor: row.total_minor,
      currency: row.currency,
      orderedAt: row.ordered_at,
      items: parseJson(row.items, []),
      attributes: parseJson(row.attributes, {}),
      sourceUpdatedAt: row.source_updated_at,
    },
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    trackingToken: row.tracking_token ?? null,
  };
}

/** 128 random bits, URL-safe: the tracking page's link cannot be guessed or derived from the order. */
export const newTrackingToken = () => randomBytes(16).toString('base64url');

export async function findOrders(db: Db, storeId: string, orderIds: string[]): Promise<Map<string, OrderRecord>> {
  const rows = await selectByKeys<OrdersTable>(db, {
    table: 'orders',
    storeId,
    columns: ['order_id'],
    keys: orderIds.map((id) => [id]),
  });
  return new Map(rows.map((row) => [row.order_id, toRecord(row)]));
}

export async function upsertOrders(db: Db, storeId: string, orders: OrderRecord[]): Promise<void> {
  const rows: OrdersTable[] = orders.map((o) => ({
    store_id: storeId,
    order_id: o.orderId,
    contact_id: o.contactId,
    status: o.state.status,
    total_minor: o.state.totalMinor,
    currency: o.state.currency,
    ordered_at: o.state.orderedAt,
    items: toJson(o.state.items),
    attributes: toJson(o.state.attributes),
    source: o.source,
    source_updated_at: o.state.sourceUpdatedAt ?? null,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    // Kept on conflict (not in the update list below): an order's link never changes.
    tracking_token: o.trackingToken ?? newTrackingToken(),
  }));
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('orders')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_id', 'order_id']).doUpdateSet((eb) => ({
          contact_id: eb.ref('excluded.contact_id'),
          status: eb.ref('excluded.status'),
          total_minor: eb.ref('excluded.total_minor'),
          currency: eb.ref('excluded.currency'),
          ordered_at: eb.ref('excluded.ordered_at'),
          items: eb.ref('excluded.items'),
          attributes: eb.ref('excluded.attributes'),
          source_updated_at: eb.ref('excluded.source_updated_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function repointOrders(db: Db, storeId: string, from: string, into: string): Promise<void> {
  await db
    .updateTable('orders')
    .set({ contact_id: into })
    .where('store_id', '=', storeId)
    .where('contact_id', '=', from)
    .execute();
}

export async function getOrder(db: Db, storeId: string, orderId: string): Promise<OrderRecord | null> {
  return (await findOrders(db, storeId, [orderId])).get(orderId) ?? null;
}

/** A contact's orders, newest first. */
export async function ordersOfContact(
  db: Db,
  storeId: string,
  contactId: string,
  limit: number,
): Promise<OrderRecord[]> {
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .orderBy('ordered_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** The order a tracking page's token names, with its store id. */
export async function findOrderByTrackingToken(
  db: Db,
  token: string,
): Promise<{ storeId: string; order: OrderRecord } | null> {
  const row = await db.selectFrom('orders').selectAll().where('tracking_token', '=', token).executeTakeFirst();
  return row ? { storeId: row.store_id, order: toRecord(row) } : null;
}

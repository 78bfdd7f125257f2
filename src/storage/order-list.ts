import { sql } from 'kysely';
import type { ContactQuery } from '../domain/contact-query.js';
import type { OrderStatus } from '../domain/store-event.js';
import type { Storage } from './database.js';
import { parseJson } from './json.js';

export interface OrderListRow {
  orderId: string;
  status: OrderStatus;
  orderedAt: number;
  totalMinor: number;
  currency: string | null;
  itemCount: number;
  contactId: string | null;
  customerName: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
  trackingToken: string | null;
}

export interface OrderListFilter {
  status?: OrderStatus;
  /** ordered_at >= from */
  from?: number;
  /** ordered_at < until */
  until?: number;
  /** An order id (exact), or the shopper as contact search finds them. */
  search?: { orderId: string; contacts: ContactQuery | null };
  /** The sort key of the last order of the previous page. */
  after?: { orderedAt: number; orderId: string };
  limit: number;
}

/** A page of the store's orders, newest first, with the shopper's name and identifiers. Reads limit + 1. */
export async function listOrders(storage: Storage, storeId: string, filter: OrderListFilter): Promise<OrderListRow[]> {
  let query = storage.db
    .selectFrom('orders')
    .leftJoin('contacts', 'contacts.id', 'orders.contact_id')
    .select([
      'orders.order_id',
      'orders.status',
      'orders.ordered_at',
      'orders.total_minor',
      'orders.currency',
      'orders.items',
      'orders.attributes',
      'orders.contact_id',
      'orders.tracking_token',
      'contacts.name',
      'contacts.phone',
      'contacts.email',
    ])
    .where('orders.store_id', '=', storeId);
  if (filter.status) query = query.where('orders.status', '=', filter.status);
  if (filter.from !== undefined) query = query.where('orders.ordered_at', '>=', filter.from);
  if (filter.until !== undefined) query = query.where('orders.ordered_at', '<', filter.until);
  const search = filter.search;
  if (search) {
    // The inner "contacts" is the subquery's own table (the innermost one of that name).
    const shoppers = search.contacts
      ? sql<boolean>`orders.contact_id in (select contacts.id from contacts where contacts.store_id = ${storeId} and ${storage.contactSearch.matches(storeId, search.contacts)})`
      : sql<boolean>`false`;
    query = query.where((eb) => eb.or([eb('orders.order_id', '=', search.orderId), shoppers]));
  }
  const after = filter.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('orders.ordered_at', '<', after.orderedAt),
        eb.and([eb('orders.ordered_at', '=', after.orderedAt), eb('orders.order_id', '<', after.orderId)]),
      ]),
    );
  const rows = await query
    .orderBy('orders.ordered_at', 'desc')
    .orderBy('orders.order_id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    status: r.status as OrderStatus,
    orderedAt: Number(r.ordered_at),
    totalMinor: Number(r.total_minor),
    currency: r.currency,
    itemCount: parseJson<unknown[]>(r.items, []).length,
    contactId: r.contact_id,
    customerName: r.name,
    phone: r.phone,
    email: r.email,
    attributes: parseJson(r.attributes, {}),
    trackingToken: r.tracking_token ?? null,
  }));
}

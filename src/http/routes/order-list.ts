import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { parseContactQuery } from '../../domain/contact-query.js';
import { trackingUrl } from '../../domain/links.js';
import { fromMinor } from '../../domain/money.js';
import { ORDER_STATUSES, type OrderStatus } from '../../domain/store-event.js';
import { parseTimestamp } from '../../domain/time.js';
import { AppError } from '../../errors.js';
import { listOrders, type OrderListRow } from '../../storage/order-list.js';
import { storeOf } from '../auth.js';
import { decodeCursor, PagingQuery, pageLimit, pageOf } from '../paging.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const ListQuery = Type.Object({
  status: Type.Optional(Type.Union(ORDER_STATUSES.map((s) => Type.Literal(s)))),
  from: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'ISO date or time: orders placed then or later (a date: its start, in the store time zone).',
    }),
  ),
  to: Type.Optional(
    Type.String({ maxLength: 40, description: 'ISO date or time: orders placed until then (a date: the whole day).' }),
  ),
  q: Type.Optional(
    Type.String({ maxLength: 200, description: "An order id, or the shopper's phone, email, customer id or name." }),
  ),
  ...PagingQuery,
});
type ListQuery = Type.Static<typeof ListQuery>;

function timeParam(name: 'from' | 'to', value: string, timeZone: string): number {
  const at = parseTimestamp(value, timeZone);
  if (at === null) throw new AppError('INVALID_TIMESTAMP', `${name} "${value}" is not an ISO 8601 date or time`);
  // "to=2026-11-21" means the whole of that day.
  return name === 'to' ? (DATE_ONLY.test(value.trim()) ? at + DAY_MS : at + 1) : at;
}

/** GET /v1/orders: the dashboard's order list (docs/dashboard.md). */
export function orderListRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const present = (row: OrderListRow) => {
    const address = row.attributes.shippingAddress as { customerName?: unknown } | undefined;
    return {
      orderId: row.orderId,
      status: row.status,
      orderDate: new Date(row.orderedAt).toISOString(),
      orderTotal: fromMinor(row.totalMinor, row.currency),
      currency: row.currency,
      itemCount: row.itemCount,
      contactId: row.contactId,
      customerName: row.customerName ?? (typeof address?.customerName === 'string' ? address.customerName : null),
      phone: row.phone,
      email: row.email,
      trackingUrl: trackingUrl(deps.publicUrl, row.trackingToken),
    };
  };

  app.get<{ Querystring: ListQuery }>('/v1/orders', {
    schema: {
      summary: 'Orders, newest first (filters: status, from, to, q)',
      tags: ['orders'],
      security: bearerAuth,
      querystring: ListQuery,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      const query = request.query;
      const limit = pageLimit(query.limit);
      const after = query.after ? decodeCursor(query.after, 'ns') : null;
      const q = query.q?.trim();
      const rows = await listOrders(deps.storage, store.id, {
        status: query.status as OrderStatus | undefined,
        ...(query.from ? { from: timeParam('from', query.from, store.timeZone) } : {}),
        ...(query.to ? { until: timeParam('to', query.to, store.timeZone) } : {}),
        ...(q ? { search: { orderId: q, contacts: parseContactQuery(q, store.defaultCountry) } } : {}),
        ...(after ? { after: { orderedAt: after[0] as number, orderId: after[1] as string } } : {}),
        limit,
      });
      const page = pageOf(rows, limit, (last) => [last.orderedAt, last.orderId]);
      return { orders: page.items.map(present), next: page.next };
    },
  });
}

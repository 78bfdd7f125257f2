import type { OrderListItem } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { DateFilter, FilterBar, SelectFilter } from '../../ui/filters.js';
import { formatMoney, formatStoreLocal, humanize } from '../../ui/format.js';
import { ListFoot } from '../../ui/more-button.js';
import { PageHeading } from '../../ui/page-heading.js';
import { useKeysetList } from '../../ui/use-api.js';

export const ORDER_STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART'];

/** Orders, newest first, filtered by status and order date (in the store's time zone). */
export function OrderListPage({ search }: PageProps) {
  const { link } = useStore();
  const status = search.get('status') ?? '';
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const list = useKeysetList<OrderListItem>('/v1/orders', 'orders', {
    status: status || null,
    from: from || null,
    to: to || null,
  });
  const filtered = Boolean(status || from || to);

  return (
    <>
      <PageHeading title="Orders" />
      <FilterBar label="Filter orders" active={filtered}>
        <SelectFilter
          id="order-status"
          label="Status"
          name="status"
          value={status}
          anyLabel="Any status"
          options={ORDER_STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
        />
        <DateFilter id="order-from" label="Ordered from" name="from" value={from} />
        <DateFilter id="order-to" label="Ordered to" name="to" value={to} />
      </FilterBar>
      {!list.loading && !list.error && list.items.length === 0 ? (
        <div class="empty">
          <p>
            {filtered
              ? 'No order matches these filters. Widen the dates or choose another status.'
              : 'No orders yet. They arrive with orderCreated events (docs/events.md) or from Shopify.'}
          </p>
        </div>
      ) : null}
      {list.items.length > 0 ? (
        <table class="rows">
          <caption class="sr-only">Orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Date</th>
              <th scope="col">Customer</th>
              <th scope="col">Status</th>
              <th scope="col" class="numeric">
                Items
              </th>
              <th scope="col" class="numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((order) => (
              <tr key={order.orderId}>
                <th scope="row" class="row-title">
                  <Link href={link(`/orders/${encodeURIComponent(order.orderId)}`)}>Order {order.orderId}</Link>
                </th>
                <td data-label="Date" class="nowrap">
                  {formatStoreLocal(order.orderDate)}
                </td>
                <td data-label="Customer" class="break">
                  {order.customerName || order.phone || order.email || '—'}
                </td>
                <td data-label="Status">
                  <StatusBadge status={order.status} />
                </td>
                <td data-label="Items" class="numeric">
                  {order.itemCount}
                </td>
                <td data-label="Total" class="numeric">
                  {formatMoney(order.orderTotal, order.currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ListFoot list={list} noun="orders" />
    </>
  );
}

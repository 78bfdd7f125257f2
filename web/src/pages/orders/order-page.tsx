import type { OrderDetail } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatMoney, formatStoreLocal } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { ShipmentPanel, shipmentsOf } from './shipments.js';
import { WhatsAppUpdates } from './whatsapp-updates.js';

/** An order as seed 004's API gives it: items, each shipment's timeline, the tracking page. */
export function OrderPage({ params }: PageProps) {
  const { link } = useStore();
  const orderId = params.orderId!;
  const {
    data: order,
    error,
    loading,
    reload,
    refresh,
  } = useApi<OrderDetail>(`/v1/orders/${encodeURIComponent(orderId)}`);

  if (error) return <LoadProblem error={error} what="order" retry={reload} />;
  if (loading || !order)
    return (
      <>
        <PageHeading title={`Order ${orderId}`} />
        <Loading label="Loading the order…" />
      </>
    );

  const address = order.shippingAddress;
  const shipments = shipmentsOf(order.items);
  const invoices = [...new Set(order.items.map((item) => item.invoiceUrl).filter((url): url is string => !!url))];
  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/orders')}>Orders</Link>
      </p>
      <PageHeading title={`Order ${order.orderId}`}>
        <p class="subtitle">
          <StatusBadge status={order.status} /> Ordered {formatStoreLocal(order.orderDate)}
        </p>
      </PageHeading>
      <div class="panels">
        <section class="panel" aria-labelledby="summary-title">
          <h2 id="summary-title">Summary</h2>
          <dl class="facts">
            <div>
              <dt>Total</dt>
              <dd>
                <strong>{formatMoney(order.orderTotal, order.currency)}</strong>
              </dd>
            </div>
            <div>
              <dt>Payment</dt>
              <dd>{order.paymentType ?? (order.isCOD ? 'COD' : '—')}</dd>
            </div>
            <div>
              <dt>Customer</dt>
              <dd>
                {order.contactId ? (
                  <Link href={link(`/contacts/${encodeURIComponent(order.contactId)}`)}>
                    {address?.customerName || address?.contactPhone || address?.email || 'Open the contact'}
                  </Link>
                ) : (
                  '—'
                )}
              </dd>
            </div>
            <WhatsAppUpdates order={order} onChanged={refresh} />
            {address?.addressLine1 ? (
              <div>
                <dt>Ship to</dt>
                <dd>
                  {[address.addressLine1, address.addressLine2, address.city, address.state, address.postalCode]
                    .filter(Boolean)
                    .join(', ')}
                </dd>
              </div>
            ) : null}
          </dl>
          {order.trackingUrl || invoices.length > 0 ? (
            <p class="panel-actions">
              {order.trackingUrl ? (
                <a class="button" href={order.trackingUrl} target="_blank" rel="noopener">
                  Open the tracking page<span class="sr-only"> (opens in a new tab)</span>
                </a>
              ) : null}
              {invoices.map((url, index) => (
                <a key={url} href={url} target="_blank" rel="noopener noreferrer">
                  Invoice{invoices.length > 1 ? ` ${index + 1}` : ''}
                  <span class="sr-only"> (opens in a new tab)</span>
                </a>
              ))}
            </p>
          ) : null}
        </section>
        <section class="panel" aria-labelledby="items-title">
          <h2 id="items-title">Items</h2>
          <ul class="items">
            {order.items.map((item) => (
              <li key={item.orderItemID} class="item">
                {item.productImageUrl ? (
                  <img src={item.productImageUrl} alt="" width={56} height={56} loading="lazy" />
                ) : (
                  <span class="item-image-none" aria-hidden="true" />
                )}
                <span class="item-name">
                  {item.productUrl ? (
                    <a href={item.productUrl} target="_blank" rel="noopener noreferrer">
                      {item.productName}
                    </a>
                  ) : (
                    item.productName
                  )}
                  <span class="muted small">
                    {item.quantity} × {formatMoney(item.customerPrice, order.currency)}
                  </span>
                </span>
                <span class="item-total">{formatMoney(item.lineItemTotal, order.currency)}</span>
              </li>
            ))}
          </ul>
          <p class="line total">
            <span>Subtotal</span>
            <span>{formatMoney(order.subTotal, order.currency)}</span>
          </p>
        </section>
      </div>
      {shipments.length === 0 ? (
        <section class="panel panel-wide" aria-labelledby="shipments-title">
          <h2 id="shipments-title">Shipments</h2>
          <p class="muted">Not shipped yet.</p>
        </section>
      ) : (
        <div class="panels">
          {shipments.map((shipment) => (
            <ShipmentPanel key={shipment.shipmentId} shipment={shipment} />
          ))}
        </div>
      )}
    </>
  );
}

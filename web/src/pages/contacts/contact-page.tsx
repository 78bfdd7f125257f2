import type { ContactDetail } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { contactName } from '../../ui/contact-name.js';
import { formatDate, formatMoney, formatTime, humanize } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { useLive } from '../../ui/use-live.js';
import { useState } from 'preact/hooks';
import { ConsentPanel } from './consent-panel.js';
import { shown } from './attributes-editor.js';
import { SandboxPanel } from './sandbox-panel.js';
import { SendPanel } from './send-panel.js';
import { ContactTimeline } from './timeline.js';
import './contacts.css';

const IDENTITY_LABELS: Record<string, string> = {
  customer_id: 'Customer id',
  email: 'Email',
  phone: 'Phone',
  psid: 'Messenger id',
  anonymous_id: 'Anonymous id',
};

/** A contact: who they are (identities), whether they take WhatsApp, their cart, orders and timeline. */
export function ContactPage({ params, search }: PageProps) {
  const { link, store } = useStore();
  const note = search.get('note');
  const contactId = params.contactId!;
  const {
    data: contact,
    error,
    loading,
    reload,
    refresh,
  } = useApi<ContactDetail>(`/v1/contacts/${encodeURIComponent(contactId)}`);
  // Live: an event, a message or its status, an order of this contact reads the page again.
  const [version, setVersion] = useState(0);
  useLive(`contact:${contactId}`, () => {
    refresh();
    setVersion((v) => v + 1);
  });

  if (error) return <LoadProblem error={error} what="contact" retry={reload} />;
  if (loading || !contact)
    return (
      <>
        <PageHeading title="Contact" />
        <Loading label="Loading the contact…" />
      </>
    );

  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/contacts')}>Contacts</Link>
      </p>
      <PageHeading title={contactName(contact)}>
        <p class="subtitle">
          Last active {formatTime(contact.lastSeenAt)} · in Storewire since {formatDate(contact.createdAt)}
        </p>
        <p class="heading-actions">
          <Link class="button" href={link(`/contacts/${encodeURIComponent(contact.id)}/edit`)}>
            Edit<span class="sr-only"> {contactName(contact)}</span>
          </Link>
        </p>
      </PageHeading>
      {note ? (
        <p class="notice notice-info" role="status">
          {note}
        </p>
      ) : null}
      <div class="panels">
        <section class="panel" aria-labelledby="identities-title">
          <h2 id="identities-title">Identities</h2>
          <dl class="facts">
            {contact.identities.length === 0 ? <p class="muted">No identifiers.</p> : null}
            {contact.identities.map((identity) => (
              <div key={`${identity.kind}:${identity.value}`}>
                <dt>{IDENTITY_LABELS[identity.kind] ?? humanize(identity.kind)}</dt>
                <dd class="break">{identity.value}</dd>
              </div>
            ))}
            <div>
              <dt>Contact id</dt>
              <dd>
                <code>{contact.id}</code>
              </dd>
            </div>
          </dl>
          <AttributeFacts attributes={contact.attributes} />
        </section>
        <ConsentPanel contact={contact} onChanged={refresh} />
        <CartPanel contact={contact} />
        <section class="panel" aria-labelledby="orders-title">
          <h2 id="orders-title">Orders</h2>
          {contact.orders.length === 0 ? <p class="muted">No orders yet.</p> : null}
          <ul class="plain-list">
            {contact.orders.map((order) => (
              <li key={order.orderId} class="line">
                <span>
                  <Link href={link(`/orders/${encodeURIComponent(order.orderId)}`)}>Order {order.orderId}</Link>{' '}
                  <StatusBadge status={order.status} />
                  <span class="muted small"> {formatDate(order.orderedAt)}</span>
                </span>
                <span>{formatMoney(order.total, order.currency)}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div class="panels">
        <SendPanel contact={contact} version={version} />
        {store.role === 'owner' ? <SandboxPanel contact={contact} onWritten={refresh} /> : null}
      </div>
      <ContactTimeline contactId={contact.id} version={version} />
    </>
  );
}

function CartPanel({ contact }: { contact: ContactDetail }) {
  const { link } = useStore();
  const { cart } = contact;
  const productLink = (id: string, variant: string | null) =>
    link(`/products/${encodeURIComponent(id)}${variant ? `?variant=${encodeURIComponent(variant)}` : ''}`);
  return (
    <section class="panel" aria-labelledby="cart-title">
      <h2 id="cart-title">Cart</h2>
      {!cart || cart.lines.length === 0 ? (
        <p class="muted">{cart ? `The cart is empty (${humanize(cart.status)}).` : 'No cart.'}</p>
      ) : (
        <>
          <ul class="plain-list">
            {cart.lines.map((line) => (
              <li key={`${line.productId}:${line.variantId ?? ''}`} class="line">
                <span>
                  {line.quantity} ×{' '}
                  <Link href={productLink(line.productId, line.variantId)}>{line.title ?? line.productId}</Link>
                </span>
                <span>{formatMoney(line.linePrice, cart.currency)}</span>
              </li>
            ))}
          </ul>
          <p class="line total">
            <span>
              Total <StatusBadge status={cart.status} />
            </span>
            <strong>{formatMoney(cart.total, cart.currency)}</strong>
          </p>
          <p class="muted small">Updated {formatTime(cart.updatedAt)}</p>
        </>
      )}
    </section>
  );
}

/** The contact's custom fields (set by syncs, Segment traits, the edit page); emptied ones are not shown. */
function AttributeFacts({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes).filter(([, value]) => value !== null && value !== undefined);
  if (entries.length === 0) return null;
  return (
    <>
      <h3>Custom fields</h3>
      <dl class="facts">
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt class="break">{key}</dt>
            <dd class="break">{shown(value)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

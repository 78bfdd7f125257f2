import { useState } from 'preact/hooks';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatTime } from '../../ui/format.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { SecretOnce } from './secret-once.js';
import { Field, Outcome, SettingsFrame, useAction } from './settings-ui.js';

interface Subscription {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

interface Delivery {
  id: string;
  subscriptionId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
}

/** The event types a store webhook may carry (docs/webhooks.md). */
const EVENT_TYPES = [
  ['message.status', 'A message was sent, delivered, read or failed'],
  ['message.inbound', 'A shopper wrote'],
  ['message.reply', 'A shopper answered a message (a button tap or a reply)'],
  ['order.created', 'An order was created'],
  ['channel.error', 'The provider reported a problem with a channel'],
  ['contact.consent_changed', "A shopper's consent changed"],
] as const;

const DELIVERIES_SHOWN = 20;

/** Store webhooks (docs/webhooks.md): subscriptions, their signing secret shown once, and recent deliveries with retry. */
export function WebhooksPage(_props: PageProps) {
  const subscriptions = useApi<{ subscriptions: Subscription[] }>('/v1/webhooks/subscriptions');
  const deliveries = useApi<{ deliveries: Delivery[] }>('/v1/webhooks/deliveries', { limit: DELIVERIES_SHOWN });
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const reload = () => {
    subscriptions.reload();
    deliveries.reload();
  };
  const urlOf = (id: string) =>
    subscriptions.data?.subscriptions.find((s) => s.id === id)?.url ?? 'a deleted subscription';
  return (
    <SettingsFrame title="Webhooks">
      <section class="panel panel-wide" aria-labelledby="subs-title">
        <h2 id="subs-title">Subscriptions</h2>
        {subscriptions.error ? <InlineProblem error={subscriptions.error} retry={subscriptions.reload} /> : null}
        {subscriptions.loading && !subscriptions.data ? <Loading /> : null}
        {subscriptions.data?.subscriptions.length === 0 ? (
          <p class="muted">No webhook: your systems hear of nothing. Add one below.</p>
        ) : null}
        <ul class="plain-list">
          {subscriptions.data?.subscriptions.map((s) => (
            <SubscriptionItem key={s.id} subscription={s} onChange={reload} />
          ))}
        </ul>
      </section>
      {created ? (
        <SecretOnce
          id="new-webhook-secret"
          label={`Signing secret for ${created.url}`}
          value={created.secret}
          note="Every delivery is signed with it (X-Storewire-Signature). Copy it now: it is not shown again."
        />
      ) : null}
      <AddSubscription
        onAdded={(url, secret) => {
          setCreated({ url, secret });
          reload();
        }}
      />
      <section class="panel panel-wide" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Recent deliveries</h2>
        {deliveries.error ? <InlineProblem error={deliveries.error} retry={deliveries.reload} /> : null}
        {deliveries.loading && !deliveries.data ? <Loading /> : null}
        {deliveries.data?.deliveries.length === 0 ? <p class="muted">Nothing delivered yet.</p> : null}
        <ul class="plain-list">
          {deliveries.data?.deliveries.map((d) => (
            <DeliveryItem key={d.id} delivery={d} url={urlOf(d.subscriptionId)} onChange={deliveries.reload} />
          ))}
        </ul>
      </section>
    </SettingsFrame>
  );
}

function SubscriptionItem({ subscription, onChange }: { subscription: Subscription; onChange: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const remove = async () => {
    const ok = await action.run(() =>
      api.send('DELETE', `/v1/webhooks/subscriptions/${encodeURIComponent(subscription.id)}`),
    );
    if (ok !== null) onChange();
  };
  return (
    <li>
      <span class="split">
        <span class="break">{subscription.url}</span>
        <StatusBadge status={subscription.active ? 'active' : 'inactive'} />
      </span>
      <span class="muted small">
        {subscription.events.includes('*') ? 'every event' : subscription.events.join(', ')} · since{' '}
        {formatTime(subscription.createdAt)}
        {subscription.active ? '' : ' · stopped: the address answered 410 Gone'}
      </span>
      <div class="panel-actions">
        {confirming ? (
          <>
            <span>Its pending deliveries are given up.</span>
            <button type="button" class="button button-danger" disabled={action.busy} onClick={remove}>
              Yes, delete
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            class="button button-quiet"
            aria-label={`Delete the webhook to ${subscription.url}`}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        )}
      </div>
      <Outcome error={action.error} done={null} />
    </li>
  );
}

function AddSubscription({ onAdded }: { onAdded: (url: string, secret: string) => void }) {
  const { api } = useStore();
  const action = useAction();
  const [every, setEvery] = useState(true);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get('url') ?? '').trim();
    const events = every ? ['*'] : data.getAll('events').map(String);
    if (events.length === 0) {
      action.clear();
      await action.run(() => Promise.reject(new Error('Choose at least one event, or every event.')));
      return;
    }
    const answer = await action.run(() =>
      api.send<{ url: string; secret: string }>('POST', '/v1/webhooks/subscriptions', { url, events }),
    );
    if (answer) {
      form.reset();
      setEvery(true);
      onAdded(answer.url, answer.secret);
    }
  };
  return (
    <section class="panel panel-wide" aria-labelledby="add-hook-title">
      <h2 id="add-hook-title">Add a webhook</h2>
      <form class="settings-form" onSubmit={submit}>
        <Field
          id="hook-url"
          name="url"
          label="Address"
          type="url"
          required
          maxLength={2048}
          placeholder="https://shop.example/storewire"
          hint="Storewire POSTs each event here as JSON, signed, and retries failures."
        />
        <fieldset>
          <legend>Events</legend>
          <div class="field-row">
            <input
              id="hook-every"
              type="checkbox"
              checked={every}
              onChange={(e) => setEvery(e.currentTarget.checked)}
            />
            <label for="hook-every">Every event, including those added later</label>
          </div>
          {every
            ? null
            : EVENT_TYPES.map(([type, words]) => (
                <div class="field-row" key={type}>
                  <input id={`hook-${type}`} type="checkbox" name="events" value={type} />
                  <label for={`hook-${type}`}>
                    <code>{type}</code> — {words}
                  </label>
                </div>
              ))}
        </fieldset>
        <button type="submit" class="button button-primary" disabled={action.busy}>
          Add the webhook
        </button>
      </form>
      <Outcome error={action.error} done={null} />
    </section>
  );
}

function DeliveryItem({ delivery, url, onChange }: { delivery: Delivery; url: string; onChange: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const retry = async () => {
    const ok = await action.run(() =>
      api.send('POST', `/v1/webhooks/deliveries/${encodeURIComponent(delivery.id)}/retry`),
    );
    if (ok !== null) onChange();
  };
  const outcome =
    delivery.lastStatusCode !== null
      ? `answered ${delivery.lastStatusCode}`
      : delivery.lastError
        ? delivery.lastError
        : null;
  return (
    <li>
      <span class="split">
        <span>
          <code>{delivery.type}</code> <span class="muted small break">to {url}</span>
        </span>
        <StatusBadge status={delivery.status} />
      </span>
      <span class="muted small">
        {formatTime(delivery.createdAt)} · {delivery.attempts} attempt{delivery.attempts === 1 ? '' : 's'}
        {outcome ? ` · ${outcome}` : ''}
        {delivery.nextAttemptAt ? ` · next try ${formatTime(delivery.nextAttemptAt)}` : ''}
      </span>
      {delivery.status === 'failed' ? (
        <div class="panel-actions">
          <button type="button" class="button button-quiet" disabled={action.busy} onClick={retry}>
            Retry
          </button>
        </div>
      ) : null}
      <Outcome error={action.error} done={null} />
    </li>
  );
}

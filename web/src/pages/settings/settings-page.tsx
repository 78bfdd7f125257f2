import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';

interface ChannelAccount {
  channel: string;
  phoneNumberId?: string;
  pageId?: string;
  accountId?: string;
  status: string;
  statusReason: string | null;
}

interface Subscription {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: string;
}

/** The owner's page: the store, its channels and its webhooks (editing them arrives with issue 14). */
export function SettingsPage(_props: PageProps) {
  const { store } = useStore();
  const channels = useApi<{ channels: ChannelAccount[] }>('/v1/channels');
  const webhooks = useApi<{ subscriptions: Subscription[] }>('/v1/webhooks/subscriptions');

  return (
    <>
      <PageHeading title="Settings" />
      <div class="panels">
        <section class="panel" aria-labelledby="store-title">
          <h2 id="store-title">Store</h2>
          <dl class="facts">
            <div>
              <dt>Name</dt>
              <dd>{store.name}</dd>
            </div>
            <div>
              <dt>Store id</dt>
              <dd>
                <code>{store.id}</code>
              </dd>
            </div>
            <div>
              <dt>Your role</dt>
              <dd>{humanize(store.role)}</dd>
            </div>
          </dl>
        </section>
        <section class="panel" aria-labelledby="channels-title">
          <h2 id="channels-title">Channels</h2>
          {channels.error ? <InlineProblem error={channels.error} retry={channels.reload} /> : null}
          {channels.loading ? <Loading /> : null}
          {channels.data && channels.data.channels.length === 0 ? (
            <p class="muted">No channel connected: WhatsApp messages go through the offline sandbox.</p>
          ) : null}
          <ul class="plain-list">
            {channels.data?.channels.map((account) => (
              <li key={`${account.channel}:${account.phoneNumberId ?? account.pageId ?? account.accountId}`}>
                <span class="split">
                  <strong>{channelName(account.channel)}</strong>
                  <StatusBadge status={account.status} />
                </span>
                <span class="muted small break">
                  {account.phoneNumberId ?? account.pageId ?? account.accountId}
                  {account.statusReason ? ` · ${account.statusReason}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section class="panel" aria-labelledby="webhooks-title">
          <h2 id="webhooks-title">Store webhooks</h2>
          {webhooks.error ? <InlineProblem error={webhooks.error} retry={webhooks.reload} /> : null}
          {webhooks.loading ? <Loading /> : null}
          {webhooks.data && webhooks.data.subscriptions.length === 0 ? (
            <p class="muted">No webhook: your store hears of nothing (docs/webhooks.md).</p>
          ) : null}
          <ul class="plain-list">
            {webhooks.data?.subscriptions.map((subscription) => (
              <li key={subscription.id}>
                <span class="split">
                  <span class="break">{subscription.url}</span>
                  <StatusBadge status={subscription.active ? 'active' : 'inactive'} />
                </span>
                <span class="muted small">
                  {subscription.events.join(', ')} · since {formatTime(subscription.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <p class="muted">
        Channels, connectors, webhooks, API keys and users are changed through the API for now (docs/channels.md,
        docs/webhooks.md); their editors join this page next.
      </p>
    </>
  );
}

import { useState } from 'preact/hooks';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime } from '../../ui/format.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { Field, Outcome, SecretField, SettingsFrame, useAction } from './settings-ui.js';

interface ChannelError {
  code: string;
  title: string;
  detail: string | null;
  href: string | null;
  at: string;
}

interface ChannelAccount {
  channel: 'whatsapp' | 'messenger' | 'sandbox';
  phoneNumberId?: string;
  pageId?: string;
  accountId?: string;
  wabaId?: string;
  status: string;
  statusReason: string | null;
  webhookUrl: string | null;
  recentErrors: ChannelError[];
}

const idOf = (a: ChannelAccount) => a.phoneNumberId ?? a.pageId ?? a.accountId ?? '';

/**
 * The store's channels (owner): each connected account with its status and the provider's
 * latest errors about it, and the forms that connect WhatsApp, Messenger or the offline sandbox.
 * Secrets go one way: typed here, sent once, never shown again (the API never returns them).
 */
export function ChannelsPage(_props: PageProps) {
  const channels = useApi<{ channels: ChannelAccount[] }>('/v1/channels');
  const accounts = channels.data?.channels ?? [];
  const has = (channel: string) => accounts.some((a) => a.channel === channel);
  return (
    <SettingsFrame title="Settings">
      <section class="panel panel-wide" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        {channels.error ? <InlineProblem error={channels.error} retry={channels.reload} /> : null}
        {channels.loading && !channels.data ? <Loading /> : null}
        {channels.data && accounts.length === 0 ? (
          <p class="muted">
            No channel is connected: nothing can be sent. Connect WhatsApp, or the sandbox to try things out.
          </p>
        ) : null}
        <ul class="plain-list">
          {accounts.map((account) => (
            <AccountItem key={account.channel} account={account} onChange={channels.reload} />
          ))}
        </ul>
      </section>
      <h2>Connect a channel</h2>
      <div class="panels">
        <WhatsAppForm replacing={has('whatsapp')} onSaved={channels.reload} />
        <MessengerForm replacing={has('messenger')} onSaved={channels.reload} />
        <SandboxPanel connected={has('sandbox')} onSaved={channels.reload} />
      </div>
    </SettingsFrame>
  );
}

function AccountItem({ account, onChange }: { account: ChannelAccount; onChange: () => void }) {
  const { api } = useStore();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const name = channelName(account.channel);
  const disconnect = async () => {
    const ok = await action.run(() => api.send('DELETE', `/v1/channels/${account.channel}`));
    if (ok !== null) onChange();
  };
  return (
    <li>
      <span class="split">
        <strong>{name}</strong>
        <StatusBadge status={account.status} />
      </span>
      <span class="muted small break">
        {account.channel === 'sandbox'
          ? 'Offline: messages are delivered to nobody, for trying journeys and templates'
          : idOf(account)}
        {account.statusReason ? ` · ${account.statusReason}` : ''}
      </span>
      {account.webhookUrl ? (
        <span class="small break">
          Webhook for Meta: <code>{`${window.location.origin}${account.webhookUrl}`}</code>
        </span>
      ) : null}
      {account.recentErrors.length > 0 ? (
        <div>
          <h3 class="small">Recent errors from {name}</h3>
          <ul class="channel-errors small">
            {account.recentErrors.map((e) => (
              <li key={`${e.code}-${e.at}`}>
                <strong>{e.title}</strong> ({e.code}) · {formatTime(e.at)}
                {e.detail ? <span class="muted"> — {e.detail}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : account.channel !== 'sandbox' ? (
        <span class="muted small">No errors reported.</span>
      ) : null}
      <div class="panel-actions">
        {confirming ? (
          <>
            <span>
              Disconnect {name}? {account.channel === 'sandbox' ? '' : 'Its webhooks stop being taken.'}
            </span>
            <button type="button" class="button button-danger" disabled={action.busy} onClick={disconnect}>
              Yes, disconnect {name}
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" class="button button-quiet" onClick={() => setConfirming(true)}>
            Disconnect {name}
          </button>
        )}
      </div>
      <Outcome error={action.error} done={null} />
    </li>
  );
}

/** The values of a form's named inputs, without the empty ones. */
function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form))
    if (typeof value === 'string' && value.trim() !== '') values[key] = value.trim();
  return values;
}

function WhatsAppForm({ replacing, onSaved }: { replacing: boolean; onSaved: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const { throughputPerSecond, ...rest } = formValues(form);
    const body = { ...rest, ...(throughputPerSecond ? { throughputPerSecond: Number(throughputPerSecond) } : {}) };
    const saved = await action.run(() => api.send('PUT', '/v1/channels/whatsapp', body), 'WhatsApp is connected.');
    if (saved !== null) {
      form.reset();
      onSaved();
    }
  };
  return (
    <section class="panel" aria-labelledby="connect-whatsapp">
      <h3 id="connect-whatsapp">WhatsApp</h3>
      <p class="hint">
        {replacing
          ? 'Connected. Saving again replaces the number and its secrets (type them again: they are never shown). '
          : ''}
        From Meta's WhatsApp Cloud API: the phone number id and a permanent access token.
      </p>
      <form class="settings-form" onSubmit={submit}>
        <Field
          id="wa-phone"
          name="phoneNumberId"
          label="Phone number id"
          required
          inputMode="numeric"
          autoComplete="off"
        />
        <Field id="wa-waba" name="wabaId" label="WhatsApp Business Account id (optional)" autoComplete="off" />
        <SecretField id="wa-token" name="accessToken" label="Access token" />
        <SecretField id="wa-secret" name="appSecret" label="App secret" hint="Checks that webhooks come from Meta." />
        <SecretField
          id="wa-verify"
          name="verifyToken"
          label="Verify token"
          hint="The token you type in Meta's webhook setup."
        />
        <details class="settings-more">
          <summary>More options</summary>
          <Field
            id="wa-rate"
            name="throughputPerSecond"
            label="Messages per second"
            type="number"
            min={1}
            max={1000}
            hint="80 unless Meta raised your number's limit."
          />
          <Field
            id="wa-base"
            name="apiBaseUrl"
            label="API address"
            type="url"
            hint="Leave empty for Meta's Graph API."
          />
        </details>
        <button type="submit" class="button button-primary" disabled={action.busy}>
          {replacing ? 'Replace WhatsApp' : 'Connect WhatsApp'}
        </button>
      </form>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

function MessengerForm({ replacing, onSaved }: { replacing: boolean; onSaved: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const saved = await action.run(
      () => api.send('PUT', '/v1/channels/messenger', formValues(form)),
      'Messenger is connected.',
    );
    if (saved !== null) {
      form.reset();
      onSaved();
    }
  };
  return (
    <section class="panel" aria-labelledby="connect-messenger">
      <h3 id="connect-messenger">Messenger</h3>
      <p class="hint">
        {replacing ? 'Connected. Saving again replaces the page and its secrets. ' : ''}A Facebook page and its page
        access token.
      </p>
      <form class="settings-form" onSubmit={submit}>
        <Field id="ms-page" name="pageId" label="Page id" required inputMode="numeric" autoComplete="off" />
        <SecretField id="ms-token" name="pageAccessToken" label="Page access token" />
        <SecretField id="ms-secret" name="appSecret" label="App secret" />
        <SecretField id="ms-verify" name="verifyToken" label="Verify token" />
        <button type="submit" class="button button-primary" disabled={action.busy}>
          {replacing ? 'Replace Messenger' : 'Connect Messenger'}
        </button>
      </form>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

function SandboxPanel({ connected, onSaved }: { connected: boolean; onSaved: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const connect = async () => {
    const saved = await action.run(() => api.send('PUT', '/v1/channels/sandbox'), 'The sandbox is connected.');
    if (saved !== null) onSaved();
  };
  return (
    <section class="panel" aria-labelledby="connect-sandbox">
      <h3 id="connect-sandbox">Sandbox</h3>
      <p class="hint">
        Offline: messages go nowhere and get delivered and read on their own, so journeys and templates can be tried
        without Meta. A connected WhatsApp number takes over from it.
      </p>
      {connected && !action.done ? <p>It is connected.</p> : null}
      <button type="button" class="button button-primary" disabled={action.busy} onClick={connect}>
        {connected ? 'Reconnect the sandbox' : 'Connect the sandbox'}
      </button>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

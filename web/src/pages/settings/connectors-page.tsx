import { useState } from 'preact/hooks';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatTime, humanize } from '../../ui/format.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { SecretOnce } from './secret-once.js';
import { Field, Outcome, SecretField, SettingsFrame, useAction } from './settings-ui.js';

interface Ignored {
  topic: string;
  reason: string;
  count: number;
  lastAt: string;
}

interface Connector {
  connector: 'shopify' | 'shiprocket';
  status: string;
  connectedAt: string;
  shopDomain?: string;
  webhookUrl: string;
  topics?: string[];
  tokenHeader?: string;
  ignored?: Ignored[];
}

const absolute = (path: string) => `${window.location.origin}${path}`;

/**
 * The store's connectors (docs/connectors.md): Shopify (its shop and app secret, write-only),
 * Segment (the write key is the ingest token: made anew and shown once) and the shipping
 * partner's tracking webhook (its token made anew and shown once).
 */
export function ConnectorsPage(_props: PageProps) {
  const { store } = useStore();
  const base = `/v1/stores/${encodeURIComponent(store.id)}/connectors`;
  const list = useApi<{ connectors: Connector[] }>(base);
  const of = (name: string) => list.data?.connectors.find((c) => c.connector === name) ?? null;
  return (
    <SettingsFrame title="Connectors">
      {list.error ? <InlineProblem error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <div class="panels">
          <ShopifyPanel base={base} connector={of('shopify')} onChange={list.reload} />
          <SegmentPanel />
          <ShippingPanel base={base} connector={of('shiprocket')} onChange={list.reload} />
        </div>
      ) : null}
    </SettingsFrame>
  );
}

function Disconnect({ base, name, label, onDone }: { base: string; name: string; label: string; onDone: () => void }) {
  const { api } = useStore();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const go = async () => {
    const ok = await action.run(() => api.send('DELETE', `${base}/${name}`));
    if (ok !== null) onDone();
  };
  return (
    <div class="panel-actions">
      {confirming ? (
        <>
          <span>Its webhooks are refused from then on.</span>
          <button type="button" class="button button-danger" disabled={action.busy} onClick={go}>
            Yes, disconnect {label}
          </button>
          <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" class="button button-quiet" onClick={() => setConfirming(true)}>
          Disconnect {label}
        </button>
      )}
      <Outcome error={action.error} done={null} />
    </div>
  );
}

function ShopifyPanel({
  base,
  connector,
  onChange,
}: {
  base: string;
  connector: Connector | null;
  onChange: () => void;
}) {
  const { api } = useStore();
  const action = useAction();
  // What Shopify sent that was answered 200 but not applied, and why (only the one connector's read has it).
  const detail = useApi<Connector>(connector ? `${base}/shopify` : null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      shopDomain: String(data.get('shopDomain') ?? '').trim(),
      appSecret: String(data.get('appSecret') ?? ''),
    };
    const ok = await action.run(() => api.send('PUT', `${base}/shopify`, body), 'Shopify is connected.');
    if (ok !== null) {
      form.reset();
      onChange();
    }
  };
  return (
    <section class="panel" aria-labelledby="shopify-title">
      <h2 id="shopify-title">Shopify</h2>
      {connector ? (
        <>
          <p class="split">
            <strong class="break">{connector.shopDomain}</strong>
            <StatusBadge status={connector.status} />
          </p>
          <p class="small break">
            Webhook address for Shopify: <code>{absolute(connector.webhookUrl)}</code>
          </p>
          <p class="muted small">
            Topics: {connector.topics?.join(', ')} · since {formatTime(connector.connectedAt)}
          </p>
          {detail.data?.ignored && detail.data.ignored.length > 0 ? (
            <>
              <h3 class="small">Received but not applied</h3>
              <ul class="channel-errors small">
                {detail.data.ignored.map((i) => (
                  <li key={`${i.topic}:${i.reason}`}>
                    {i.topic}: {humanize(i.reason)} ({i.count}×, last {formatTime(i.lastAt)})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <Disconnect base={base} name="shopify" label="Shopify" onDone={onChange} />
        </>
      ) : (
        <p class="muted">Not connected: orders and carts from Shopify do not reach Storewire.</p>
      )}
      <form class="settings-form" onSubmit={submit}>
        <Field
          id="sh-domain"
          name="shopDomain"
          label="Shop domain"
          required
          placeholder="your-shop.myshopify.com"
          defaultValue={connector?.shopDomain ?? ''}
          autoComplete="off"
        />
        <SecretField
          id="sh-secret"
          name="appSecret"
          label="App secret"
          hint="The Shopify app's client secret: it signs the webhooks. Never shown again."
        />
        <button type="submit" class="button button-primary" disabled={action.busy}>
          {connector ? 'Replace Shopify' : 'Connect Shopify'}
        </button>
      </form>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

function SegmentPanel() {
  const { api } = useStore();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [fresh, setFresh] = useState<{ ingestToken: string; ingestUrl: string } | null>(null);
  const rotate = async () => {
    const answer = await action.run(() =>
      api.send<{ ingestToken: string; ingestUrl: string }>('POST', '/v1/store/ingest-token'),
    );
    setConfirming(false);
    if (answer) setFresh(answer);
  };
  return (
    <section class="panel" aria-labelledby="segment-title">
      <h2 id="segment-title">Segment</h2>
      <p>
        Any Segment or RudderStack library sends here: point it at <code>{window.location.origin}/v1</code> with the
        store's write key, which is also the secret of its ingest URL. It is kept hashed, so it is shown only when made.
      </p>
      {fresh ? (
        <>
          <SecretOnce
            id="new-write-key"
            label="New Segment write key"
            value={fresh.ingestToken}
            note="Copy it now: it is not shown again. The old write key and ingest URL no longer work."
          />
          <p class="small break">
            Ingest URL: <code>{fresh.ingestUrl}</code>
          </p>
        </>
      ) : null}
      <div class="panel-actions">
        {confirming ? (
          <>
            <span>The old write key and the old ingest URL stop working at once.</span>
            <button type="button" class="button button-danger" disabled={action.busy} onClick={rotate}>
              Yes, make a new write key
            </button>
            <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" class="button" onClick={() => setConfirming(true)}>
            Make a new write key
          </button>
        )}
      </div>
      <Outcome error={action.error} done={null} />
    </section>
  );
}

function ShippingPanel({
  base,
  connector,
  onChange,
}: {
  base: string;
  connector: Connector | null;
  onChange: () => void;
}) {
  const { api } = useStore();
  const action = useAction();
  const [token, setToken] = useState<string | null>(null);
  const connect = async () => {
    const answer = await action.run(() => api.send<{ token: string }>('PUT', `${base}/shiprocket`));
    if (answer) {
      setToken(answer.token);
      onChange();
    }
  };
  return (
    <section class="panel" aria-labelledby="shipping-title">
      <h2 id="shipping-title">Shipping partner</h2>
      <p>The courier's tracking webhook (Shiprocket's shape) moves each shipment along and tells the journeys.</p>
      {connector ? (
        <>
          <p class="split">
            <span class="small break">
              Webhook: <code>{absolute(connector.webhookUrl)}</code>, the token in the{' '}
              <code>{connector.tokenHeader}</code> header
            </span>
            <StatusBadge status={connector.status} />
          </p>
          <p class="muted small">Since {formatTime(connector.connectedAt)}</p>
        </>
      ) : (
        <p class="muted">Not connected.</p>
      )}
      {token ? (
        <SecretOnce
          id="new-shipping-token"
          label="Token for the shipping partner"
          value={token}
          note="Give it to the courier now: it is not shown again. Any earlier token no longer works."
        />
      ) : null}
      <div class="panel-actions">
        <button type="button" class="button button-primary" disabled={action.busy} onClick={connect}>
          {connector ? 'Make a new token' : 'Connect the shipping partner'}
        </button>
      </div>
      <Outcome error={action.error} done={null} />
      {connector ? <Disconnect base={base} name="shiprocket" label="the shipping partner" onDone={onChange} /> : null}
    </section>
  );
}

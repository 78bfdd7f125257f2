import { useState } from 'preact/hooks';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { formatTime } from '../../ui/format.js';
import { SecretOnce } from './secret-once.js';
import { Outcome, SettingsFrame, useAction } from './settings-ui.js';

/**
 * API key rotation (POST /v1/store/api-key). The store keeps only the key's hash, so there is
 * nothing to show until a new one is made: then it is shown this once, and the old one stops.
 */
export function ApiKeyPage(_props: PageProps) {
  const { api, store } = useStore();
  const [confirming, setConfirming] = useState(false);
  const [fresh, setFresh] = useState<{ apiKey: string; rotatedAt: string } | null>(null);
  const action = useAction();
  const rotate = async () => {
    const answer = await action.run(() => api.send<{ apiKey: string; rotatedAt: string }>('POST', '/v1/store/api-key'));
    setConfirming(false);
    if (answer) setFresh(answer);
  };
  return (
    <SettingsFrame title="API key">
      <section class="panel panel-wide" aria-labelledby="key-title">
        <h2 id="key-title">The store's API key</h2>
        <p>
          Your systems send events and read data with <code>Authorization: Bearer &lt;key&gt;</code>. Storewire keeps
          only a hash of the key, so it cannot show it again: if it is lost or may have leaked, make a new one.
        </p>
        <p class="muted small">
          Store id <code>{store.id}</code>. The ingest URL of your storefront has its own token and keeps working.
        </p>
        {fresh ? (
          <SecretOnce
            id="new-api-key"
            label={`New API key, made ${formatTime(fresh.rotatedAt)}`}
            value={fresh.apiKey}
            note="Copy it now and put it where your systems read it: it is not shown again. The old key no longer works."
          />
        ) : null}
        <div class="panel-actions">
          {confirming ? (
            <>
              <span>The old key stops working at once: every system using it gets 401 until it has the new one.</span>
              <button type="button" class="button button-danger" disabled={action.busy} onClick={rotate}>
                Yes, make a new key
              </button>
              <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" class="button button-primary" onClick={() => setConfirming(true)}>
              Make a new API key
            </button>
          )}
        </div>
        <Outcome error={action.error} done={null} />
      </section>
    </SettingsFrame>
  );
}

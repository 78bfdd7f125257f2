import { useState } from 'preact/hooks';
import type { ContactDetail } from '../../api/types.js';
import { useStore } from '../../frame/store-context.js';
import { Outcome, useAction } from '../../ui/form.js';

/**
 * The owner's stand-in for the shopper on the sandbox (POST /v1/channels/sandbox/inbound): a
 * message written as if from their phone takes the real road — it opens the 24-hour window,
 * answers a journey's buttons, and STOP withdraws consent — so a store can try its flows offline.
 */
export function SandboxPanel({ contact, onWritten }: { contact: ContactDetail; onWritten: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const [text, setText] = useState('');
  if (!contact.phone) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(
      () => api.send('POST', '/v1/channels/sandbox/inbound', { from: contact.phone, text: text.trim() }),
      'Received from the shopper’s phone (sandbox).',
    );
    if (done) {
      setText('');
      onWritten();
    }
  };
  return (
    <section class="panel" aria-labelledby="sandbox-title">
      <h2 id="sandbox-title">Write as this shopper (sandbox)</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="sandbox-text">Their message</label>
          <input
            id="sandbox-text"
            value={text}
            maxLength={4096}
            autoComplete="off"
            aria-describedby="sandbox-text-hint"
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint" id="sandbox-text-hint">
            Arrives as if sent from {contact.phone} to the store’s sandbox number: try a reply, or STOP.
          </p>
        </div>
        <Outcome error={action.error} done={action.done} />
        <p class="panel-actions">
          <button type="submit" class="button" disabled={action.busy || !text.trim()}>
            Receive it
          </button>
        </p>
      </form>
    </section>
  );
}

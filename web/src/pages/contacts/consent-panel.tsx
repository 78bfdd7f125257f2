import { useState } from 'preact/hooks';
import type { ContactDetail } from '../../api/types.js';
import { useStore } from '../../frame/store-context.js';
import { StatusBadge } from '../../ui/badge.js';
import { Outcome, useAction } from '../../ui/form.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { DASHBOARD_SOURCE, syncContact, syncKeyOf } from './contact-sync.js';

type Channel = { status: string | null; source: string | null; updatedAt: string | null };

/** A channel's consent in words: WhatsApp needs a yes; Messenger goes until the shopper says stop. */
export function consentWords(channel: 'whatsapp' | 'messenger', status: string | null | undefined): string {
  if (status === 'ACTIVE') return 'Subscribed';
  if (status === 'INACTIVE') return channel === 'messenger' ? 'Stopped' : 'Not subscribed';
  return channel === 'messenger' ? 'Not stopped' : 'Not asked';
}

function ChannelConsent({ name, label, consent }: { name: 'whatsapp' | 'messenger'; label: string; consent: Channel }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <StatusBadge status={consent.status ?? 'none'} label={consentWords(name, consent.status)} />
        {consent.source ? (
          <span class="muted small">
            {' '}
            via {humanize(consent.source)} · {formatTime(consent.updatedAt)}
          </span>
        ) : null}
      </dd>
    </div>
  );
}

/** Marketing consent on each channel, and every change with where it came from, newest first. */
export function ConsentPanel({ contact, onChanged }: { contact: ContactDetail; onChanged: () => void }) {
  const history = contact.consentHistory ?? [];
  return (
    <section class="panel" aria-labelledby="consent-title">
      <h2 id="consent-title">Consent</h2>
      <dl class="facts">
        <ChannelConsent name="whatsapp" label="WhatsApp" consent={contact.whatsapp} />
        {contact.messenger ? <ChannelConsent name="messenger" label="Messenger" consent={contact.messenger} /> : null}
      </dl>
      <WhatsAppConsentChange contact={contact} onChanged={onChanged} />
      <h3>History</h3>
      {history.length === 0 ? <p class="muted small">No consent changes recorded.</p> : null}
      <ol class="plain-list">
        {history.map((change) => (
          <li key={change.eventId}>
            <span>
              {channelName(change.channel)}:{' '}
              {change.previousStatus ? `${consentWords(change.channel as 'whatsapp', change.previousStatus)} → ` : ''}
              <strong>{consentWords(change.channel as 'whatsapp', change.status)}</strong>
            </span>
            <span class="muted small">
              {[change.source ? humanize(change.source) : null, change.detail, formatTime(change.at)]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Setting WhatsApp marketing consent by hand (a contact sync with the status, source
 * "dashboard"): every role may, as the API allows; a yes only after saying it needs the shopper's.
 */
function WhatsAppConsentChange({ contact, onChanged }: { contact: ContactDetail; onChanged: () => void }) {
  const { api } = useStore();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const key = syncKeyOf(contact);
  if (!key) return null;
  const subscribed = contact.whatsapp.status === 'ACTIVE';
  const next = subscribed ? 'INACTIVE' : 'ACTIVE';
  const change = async () => {
    const done = await action.run(
      () => syncContact(api, { ...key, whatsapp_status: next, whatsapp_status_source: DASHBOARD_SOURCE }),
      subscribed ? 'Unsubscribed from WhatsApp marketing.' : 'Subscribed to WhatsApp marketing.',
    );
    setConfirming(false);
    if (done) onChanged();
  };
  return (
    <div class="consent-change">
      {confirming ? (
        <div class="panel-actions">
          <span>
            {subscribed
              ? 'Stop WhatsApp marketing to this shopper? Order updates still go.'
              : 'Only if the shopper said yes to WhatsApp marketing. Subscribe them?'}
          </span>
          <button type="button" class="button button-primary" disabled={action.busy} onClick={change}>
            {subscribed ? 'Yes, unsubscribe' : 'Yes, they agreed'}
          </button>
          <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <p class="panel-actions">
          <button type="button" class="button" onClick={() => setConfirming(true)}>
            {subscribed ? 'Unsubscribe from WhatsApp marketing' : 'Subscribe to WhatsApp marketing'}
          </button>
        </p>
      )}
      <Outcome error={action.error} done={action.done} />
    </div>
  );
}

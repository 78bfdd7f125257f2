import type { ContactDetail } from '../../api/types.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';

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
export function ConsentPanel({ contact }: { contact: ContactDetail }) {
  const history = contact.consentHistory ?? [];
  return (
    <section class="panel" aria-labelledby="consent-title">
      <h2 id="consent-title">Consent</h2>
      <dl class="facts">
        <ChannelConsent name="whatsapp" label="WhatsApp" consent={contact.whatsapp} />
        {contact.messenger ? <ChannelConsent name="messenger" label="Messenger" consent={contact.messenger} /> : null}
      </dl>
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

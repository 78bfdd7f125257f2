import type { Message } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';

const SOURCES: Record<string, string> = {
  api: 'The messages API',
  send_template: 'The send-template API',
  journey: 'A journey',
};

/** Who sent it: a journey's step (its campaign is `journey:<id>:<step>`), a campaign, or an API. */
function sentBy(message: Message): string {
  const step = /^journey:([^:]+):(.+)$/.exec(message.campaign ?? '');
  if (message.source === 'journey' && step) return `The ${step[1]} journey, step ${step[2]}`;
  const source = SOURCES[message.source] ?? humanize(message.source);
  return message.campaign ? `${source} · campaign ${message.campaign}` : source;
}

/** One message: what was sent to whom, each status it went through, and why it failed if it did. */
export function MessagePage({ params }: PageProps) {
  const { link } = useStore();
  const messageId = params.messageId!;
  const { data: message, error, loading, reload } = useApi<Message>(`/v1/messages/${encodeURIComponent(messageId)}`);

  if (error) return <LoadProblem error={error} what="message" retry={reload} />;
  if (loading || !message)
    return (
      <>
        <PageHeading title="Message" />
        <Loading label="Loading the message…" />
      </>
    );

  const title = message.templateName ?? humanize(message.kind);
  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/messages')}>Messages</Link>
      </p>
      <PageHeading title={title}>
        <p class="subtitle">
          <StatusBadge status={message.status} /> {channelName(message.channel)} message to {message.recipient}
        </p>
      </PageHeading>
      {message.error ? (
        <div class="notice notice-bad" role="note" aria-labelledby="failure-title">
          <h2 id="failure-title" class="notice-title">
            {message.status === 'failed' ? 'Why it failed' : 'The provider reported an error'}
          </h2>
          <p>
            {message.error.reason ?? 'The provider gave no reason.'}
            {message.error.code ? <span class="muted small"> (code {message.error.code})</span> : null}
          </p>
        </div>
      ) : null}
      <div class="panels">
        <section class="panel" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl class="facts">
            <div>
              <dt>Contact</dt>
              <dd>
                {message.contactId ? (
                  <Link href={link(`/contacts/${encodeURIComponent(message.contactId)}`)}>{message.recipient}</Link>
                ) : (
                  message.recipient
                )}
              </dd>
            </div>
            <div>
              <dt>Template</dt>
              <dd>{message.templateName ?? '—'}</dd>
            </div>
            <div>
              <dt>Kind</dt>
              <dd>
                {humanize(message.kind)} · {humanize(message.category)}
              </dd>
            </div>
            <div>
              <dt>Sent by</dt>
              <dd>{sentBy(message)}</dd>
            </div>
            <div>
              <dt>From</dt>
              <dd>{message.sender}</dd>
            </div>
            <div>
              <dt>Provider's id</dt>
              <dd class="break">{message.providerMessageId ?? '—'}</dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>{message.attempts}</dd>
            </div>
            <div>
              <dt>Message id</dt>
              <dd>
                <code>{message.id}</code>
              </dd>
            </div>
          </dl>
        </section>
        <section class="panel" aria-labelledby="history-title">
          <h2 id="history-title">Status history</h2>
          <ol class="status-log">
            {message.statusHistory.map((change, index) => (
              <li key={`${change.status}:${change.at}:${index}`} class="status-log-entry">
                <span class="status-log-status">
                  <StatusBadge status={change.status} />
                </span>
                <span class="muted small">{formatTime(change.at)}</span>
                {change.detail ? <span class="small">{change.detail}</span> : null}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>
  );
}

import { useEffect } from 'preact/hooks';
import type { TimelineItem } from '../../api/types.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { ListFoot } from '../../ui/more-button.js';
import { useKeysetList } from '../../ui/use-api.js';

/** The few words that say what an event was about: a product, an order, a shipment, a reply. */
export function eventGist(data: Record<string, unknown> | null): string | null {
  if (!data) return null;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);
  const message = data.message as Record<string, unknown> | undefined;
  const candidates = [
    data.title,
    data.product_title,
    data.collection_title,
    data.orderId ? `order ${text(data.orderId)}` : null,
    data.order_id ? `order ${text(data.order_id)}` : null,
    data.externalOrderId ? `order ${text(data.externalOrderId)}` : null,
    data.status,
    data.text,
    message?.text,
    data.button && typeof data.button === 'object' ? (data.button as Record<string, unknown>).title : null,
  ];
  for (const candidate of candidates) {
    const value = text(candidate);
    if (value) return value.length > 120 ? `${value.slice(0, 117)}…` : value;
  }
  return null;
}

function EventEntry({ item }: { item: Extract<TimelineItem, { kind: 'event' }> }) {
  const { event } = item;
  const gist = eventGist(event.data);
  return (
    <>
      <p class="timeline-title">
        <span class="timeline-kind">Event</span> {humanize(event.name)}
        {event.subName ? ` · ${humanize(event.subName)}` : ''}
      </p>
      {gist ? <p class="timeline-gist">{gist}</p> : null}
      {event.data && Object.keys(event.data).length > 0 ? (
        <details class="timeline-data">
          <summary>Event data</summary>
          <pre>{JSON.stringify(event.data, null, 2)}</pre>
        </details>
      ) : null}
    </>
  );
}

function MessageEntry({ item }: { item: Extract<TimelineItem, { kind: 'message' }> }) {
  const { link } = useStore();
  const { message } = item;
  return (
    <>
      <p class="timeline-title">
        <span class="timeline-kind timeline-kind-message">Message</span>{' '}
        <Link href={link(`/messages/${encodeURIComponent(message.id)}`)}>
          {message.templateName ?? humanize(message.kind)}
        </Link>{' '}
        <StatusBadge status={message.status} />
      </p>
      <p class="timeline-gist">
        {channelName(message.channel)} to {message.recipient}
        {message.error?.reason ? ` — ${message.error.reason}` : ''}
      </p>
    </>
  );
}

/** One timeline of the contact's events and the messages sent to them, newest first. */
export function ContactTimeline({ contactId, version = 0 }: { contactId: string; version?: number }) {
  const list = useKeysetList<TimelineItem>(`/v1/contacts/${encodeURIComponent(contactId)}/timeline`, 'items', {});
  // The contact page's live cursor moved: the newest entries, in place.
  useEffect(() => {
    if (version > 0) list.refresh();
  }, [version]);
  return (
    <section class="panel panel-wide" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {!list.loading && !list.error && list.items.length === 0 ? (
        <p class="muted">Nothing has happened with this contact yet.</p>
      ) : null}
      <ol class="timeline">
        {list.items.map((item) => (
          <li
            key={item.kind === 'event' ? `e:${item.event.id}` : `m:${item.message.id}`}
            class={`timeline-item timeline-${item.kind}`}
          >
            <time dateTime={item.at}>{formatTime(item.at)}</time>
            <div class="timeline-body">
              {item.kind === 'event' ? <EventEntry item={item} /> : <MessageEntry item={item} />}
            </div>
          </li>
        ))}
      </ol>
      <ListFoot list={list} noun="of the timeline" />
    </section>
  );
}

import type { Message } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { FilterBar, SelectFilter, setFilter } from '../../ui/filters.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { ListFoot } from '../../ui/more-button.js';
import { PageHeading } from '../../ui/page-heading.js';
import { useApi, useKeysetList } from '../../ui/use-api.js';
import { TemplateStatsPanel } from './template-stats.js';

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed'];
const CHANNELS = ['whatsapp', 'messenger', 'sandbox'];

/** A filter from a list the API gives (templates, journeys), or a text box when that list cannot be read. */
function NamedFilter(props: { id: string; label: string; name: string; value: string; options: string[] | null }) {
  if (props.options)
    return (
      <SelectFilter
        id={props.id}
        label={props.label}
        name={props.name}
        value={props.value}
        anyLabel={`Any ${props.label.toLowerCase()}`}
        options={props.options.map((value) => ({ value, label: value }))}
      />
    );
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        value={props.value}
        onChange={(e) => setFilter(props.name, (e.currentTarget as HTMLInputElement).value.trim())}
      />
    </div>
  );
}

/** The message log: every message with where it is, filtered by status, template, channel, journey. */
export function MessageListPage({ search }: PageProps) {
  const { link } = useStore();
  const filters = {
    status: search.get('status') ?? '',
    template: search.get('template') ?? '',
    channel: search.get('channel') ?? '',
    journey: search.get('journey') ?? '',
  };
  const list = useKeysetList<Message>('/v1/messages', 'messages', {
    status: filters.status || null,
    template: filters.template || null,
    channel: filters.channel || null,
    journey: filters.journey || null,
  });
  const templates = useApi<{ templates: { name: string }[] }>('/v1/templates');
  const journeys = useApi<{ journeys: { id: string }[] }>('/v1/journeys');
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeading title="Messages" />
      <FilterBar label="Filter messages" active={filtered}>
        <SelectFilter
          id="message-status"
          label="Status"
          name="status"
          value={filters.status}
          anyLabel="Any status"
          options={STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
        />
        <NamedFilter
          id="message-template"
          label="Template"
          name="template"
          value={filters.template}
          options={templates.data ? templates.data.templates.map((t) => t.name) : null}
        />
        <SelectFilter
          id="message-channel"
          label="Channel"
          name="channel"
          value={filters.channel}
          anyLabel="Any channel"
          options={CHANNELS.map((c) => ({ value: c, label: channelName(c) }))}
        />
        <NamedFilter
          id="message-journey"
          label="Journey"
          name="journey"
          value={filters.journey}
          options={journeys.data ? journeys.data.journeys.map((j) => j.id) : null}
        />
      </FilterBar>
      {filters.template ? <TemplateStatsPanel template={filters.template} /> : null}
      {!list.loading && !list.error && list.items.length === 0 ? (
        <div class="empty">
          <p>
            {filtered
              ? 'No message matches these filters.'
              : 'No messages yet. Journeys and the send APIs put them here (docs/messages.md).'}
          </p>
        </div>
      ) : null}
      {list.items.length > 0 ? (
        <table class="rows">
          <caption class="sr-only">Messages, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">To</th>
              <th scope="col">Channel</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((message) => (
              <tr key={message.id}>
                <th scope="row" class="row-title">
                  <Link href={link(`/messages/${encodeURIComponent(message.id)}`)}>
                    {message.templateName ?? humanize(message.kind)}
                  </Link>
                  {message.error?.reason ? <span class="row-note">{message.error.reason}</span> : null}
                </th>
                <td data-label="To">{message.recipient}</td>
                <td data-label="Channel">{channelName(message.channel)}</td>
                <td data-label="Status">
                  <StatusBadge status={message.status} />
                </td>
                <td data-label="Created" class="nowrap">
                  {formatTime(message.createdAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ListFoot list={list} noun="messages" />
    </>
  );
}

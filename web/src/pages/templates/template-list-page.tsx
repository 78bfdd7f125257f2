import { useState } from 'preact/hooks';
import type { TemplateView } from '../../api/templates.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, navigate } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { channelName, formatTime, humanize } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { canEditTemplates } from './draft.js';
import './templates.css';

/** What a template is, in a few words: its category, or a Messenger template's kind. */
function kindOf(template: TemplateView): string {
  const def = template.definition;
  if (def.channel === 'messenger') return humanize(String(def.type ?? 'messenger'));
  return humanize(String(def.category ?? ''));
}

/** Every template the store can send, built-in ones included; owners and marketers start new ones here. */
export function TemplateListPage(_: PageProps) {
  const { link, store } = useStore();
  const { data, error, loading, reload } = useApi<{ templates: TemplateView[] }>('/v1/templates');
  const templates = data?.templates ?? [];
  return (
    <>
      <PageHeading title="Templates">
        <p class="subtitle">What journeys and the send APIs send, with where each value comes from.</p>
      </PageHeading>
      {canEditTemplates(store.role) ? <NewTemplateForm /> : null}
      {error ? <InlineProblem error={error} retry={reload} /> : null}
      {loading ? <Loading label="Loading templates…" /> : null}
      {!loading && !error && templates.length === 0 ? (
        <div class="empty">
          <p>No templates yet.</p>
        </div>
      ) : null}
      {templates.length > 0 ? (
        <table class="rows">
          <caption class="sr-only">Templates by name</caption>
          <thead>
            <tr>
              <th scope="col">Template</th>
              <th scope="col">Channel</th>
              <th scope="col">Kind</th>
              <th scope="col">Source</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <tr key={template.name}>
                <th scope="row" class="row-title">
                  <Link href={link(`/templates/${encodeURIComponent(template.name)}`)}>{template.name}</Link>
                </th>
                <td data-label="Channel">{channelName(template.channel)}</td>
                <td data-label="Kind">{kindOf(template)}</td>
                <td data-label="Source">
                  {template.builtIn ? (
                    <StatusBadge status="built_in" label="Built in" />
                  ) : template.overridesBuiltIn ? (
                    <StatusBadge status="sent" label="Replaces a built-in one" />
                  ) : (
                    <StatusBadge status="active" label="The store’s own" />
                  )}
                </td>
                <td data-label="Updated" class="nowrap">
                  {formatTime(template.updatedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/** A new template starts with its name (as approved in WhatsApp Manager) and channel. */
function NewTemplateForm() {
  const { link } = useStore();
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<'whatsapp' | 'messenger'>('whatsapp');
  return (
    <form
      class="toolbar"
      aria-label="New template"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = name.trim();
        if (trimmed) navigate(link(`/templates/${encodeURIComponent(trimmed)}?new=${channel}`));
      }}
    >
      <div class="field field-grow">
        <label for="new-template-name">New template’s name</label>
        <input
          id="new-template-name"
          type="text"
          value={name}
          required
          maxLength={512}
          aria-describedby="new-template-hint"
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="new-template-channel">Channel</label>
        <select
          id="new-template-channel"
          value={channel}
          onChange={(e) => setChannel((e.currentTarget as HTMLSelectElement).value as 'whatsapp' | 'messenger')}
        >
          <option value="whatsapp">WhatsApp</option>
          <option value="messenger">Messenger</option>
        </select>
      </div>
      <button type="submit" class="button button-primary">
        New template
      </button>
      <p class="hint toolbar-hint" id="new-template-hint">
        A WhatsApp template’s name is its name in WhatsApp Manager, e.g. order_confirmation.
      </p>
    </form>
  );
}

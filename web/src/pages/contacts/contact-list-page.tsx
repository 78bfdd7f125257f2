import { useEffect, useRef, useState } from 'preact/hooks';
import type { Contact } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, navigate, withSearch } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { contactName } from '../../ui/contact-name.js';
import { Outcome, useAction } from '../../ui/form.js';
import { formatTime } from '../../ui/format.js';
import { ListFoot } from '../../ui/more-button.js';
import { PageHeading } from '../../ui/page-heading.js';
import { useKeysetList } from '../../ui/use-api.js';
import { consentWords } from './consent-panel.js';
import './contacts.css';

const TYPING_PAUSE_MS = 300;

/** Contacts: newest first, or the ones a search matches (phone, email, customer id, name). */
export function ContactListPage({ search }: PageProps) {
  const { link } = useStore();
  const q = search.get('q') ?? '';
  const [text, setText] = useState(q);
  const list = useKeysetList<Contact>('/v1/contacts', 'contacts', { q: q || null });
  const timer = useRef<number | undefined>(undefined);

  // Back/forward changes q: the box follows the URL (but keeps a space being typed).
  useEffect(() => setText((typed) => (typed.trim() === q ? typed : q)), [q]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const apply = (value: string) => navigate(withSearch({ q: value.trim() || null }), { replace: true });
  const onInput = (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setText(value);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => apply(value), TYPING_PAUSE_MS);
  };
  const onSubmit = (event: Event) => {
    event.preventDefault();
    window.clearTimeout(timer.current);
    apply(text);
  };

  return (
    <>
      <PageHeading title="Contacts">
        <ContactsActions />
      </PageHeading>
      <search>
        <form class="toolbar" onSubmit={onSubmit}>
          <div class="field field-grow">
            <label for="contact-search">Search contacts</label>
            <input
              id="contact-search"
              type="search"
              value={text}
              onInput={onInput}
              placeholder="Phone, email, customer id or name"
              aria-describedby="contact-search-hint"
              autoComplete="off"
            />
          </div>
          <button type="submit" class="button button-primary">
            Search
          </button>
          <p class="hint toolbar-hint" id="contact-search-hint">
            The start of a phone number, email or customer id, or any word of a name.
          </p>
        </form>
      </search>
      <p class="sr-only" role="status">
        {list.loading ? '' : q ? `${list.items.length}${list.hasMore ? ' or more' : ''} contacts match “${q}”` : ''}
      </p>
      {!list.loading && !list.error && list.items.length === 0 ? (
        <div class="empty">
          {q ? (
            <p>
              No contact matches “{q}”. Try the start of the phone number with its country code (+91…), part of the
              email, or one word of the name.
            </p>
          ) : (
            <p>No contacts yet. They appear as your store sends events (docs/events.md).</p>
          )}
        </div>
      ) : null}
      {list.items.length > 0 ? (
        <table class="rows">
          <caption class="sr-only">{q ? `Contacts matching “${q}”` : 'Contacts, newest first'}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Phone</th>
              <th scope="col">Email</th>
              <th scope="col">Customer id</th>
              <th scope="col">WhatsApp</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((contact) => (
              <tr key={contact.id}>
                <th scope="row" class="row-title">
                  <Link href={link(`/contacts/${encodeURIComponent(contact.id)}`)}>{contactName(contact)}</Link>
                </th>
                <td data-label="Phone">{contact.phone ?? '—'}</td>
                <td data-label="Email" class="break">
                  {contact.email ?? '—'}
                </td>
                <td data-label="Customer id">{contact.customerId ?? '—'}</td>
                <td data-label="WhatsApp">
                  <StatusBadge status={contact.whatsapp.status ?? 'none'} label={consentLabel(contact)} />
                </td>
                <td data-label="Last seen" class="nowrap">
                  {formatTime(contact.lastSeenAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ListFoot list={list} noun="contacts" />
    </>
  );
}

export function consentLabel(contact: Pick<Contact, 'whatsapp'>): string {
  return consentWords('whatsapp', contact.whatsapp.status);
}

/** A new contact (every role), and the whole list as CSV (owners and marketers, as the API allows). */
function ContactsActions() {
  const { api, link, store } = useStore();
  const action = useAction();
  const mayExport = store.role === 'owner' || store.role === 'marketer';
  const download = () =>
    action.run(async () => {
      const { blob, filename } = await api.file('/v1/contacts/export');
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = filename ?? 'contacts.csv';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }, 'The contacts’ CSV is downloaded.');
  return (
    <>
      <p class="heading-actions">
        <Link class="button button-primary" href={link('/contacts/new')}>
          New contact
        </Link>
        {mayExport ? (
          <button type="button" class="button" disabled={action.busy} onClick={download}>
            {action.busy ? 'Preparing the CSV…' : 'Download all as CSV'}
          </button>
        ) : null}
      </p>
      <Outcome error={action.error} done={action.done} />
    </>
  );
}

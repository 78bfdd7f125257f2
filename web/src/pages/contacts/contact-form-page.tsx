import { useState } from 'preact/hooks';
import type { ContactDetail } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, navigate } from '../../router/history.js';
import { Field, Outcome, useAction } from '../../ui/form.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import '../../ui/form-layout.css';
import { type AttributeRow, AttributesEditor, changedAttributes, rowsOf } from './attributes-editor.js';
import { contactName } from '../../ui/contact-name.js';
import { type ContactSync, DASHBOARD_SOURCE, syncContact, syncKeyOf } from './contact-sync.js';
import './contacts.css';

/** A new contact (POST /v1/contacts): who they are, their custom fields, and whether they said yes to WhatsApp. */
export function NewContactPage(_props: PageProps) {
  const { link } = useStore();
  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/contacts')}>Contacts</Link>
      </p>
      <PageHeading title="New contact" />
      <ContactForm contact={null} />
    </>
  );
}

/** Changing a contact: its name, custom fields, and identifiers added to it. */
export function EditContactPage({ params }: PageProps) {
  const { link } = useStore();
  const contactId = params.contactId!;
  const {
    data: contact,
    error,
    loading,
    reload,
  } = useApi<ContactDetail>(`/v1/contacts/${encodeURIComponent(contactId)}`);
  if (error) return <LoadProblem error={error} what="contact" retry={reload} />;
  if (loading || !contact)
    return (
      <>
        <PageHeading title="Edit contact" />
        <Loading label="Loading the contact…" />
      </>
    );
  return (
    <>
      <p class="breadcrumb">
        <Link href={link(`/contacts/${encodeURIComponent(contact.id)}`)}>{contactName(contact)}</Link>
      </p>
      <PageHeading title={`Edit ${contactName(contact)}`} />
      <ContactForm key={contact.id} contact={contact} />
    </>
  );
}

const IDENTIFIERS = [
  { field: 'customer_id', label: 'Customer id', hint: 'Your store’s id for the shopper; case matters.', type: 'text' },
  { field: 'email', label: 'Email', hint: '', type: 'email' },
  { field: 'phone', label: 'Phone', hint: 'With its country code, or as dialled in the store’s country.', type: 'tel' },
] as const;

function ContactForm({ contact }: { contact: ContactDetail | null }) {
  const { api, link } = useStore();
  const action = useAction();
  const [rows, setRows] = useState<AttributeRow[]>(() => rowsOf(contact?.attributes ?? {}));
  const [problem, setProblem] = useState<string | null>(null);
  const key = contact ? syncKeyOf(contact) : null;

  if (contact && !key)
    return (
      <p class="notice notice-info">
        This shopper is known only by a Messenger or anonymous id, which a contact change cannot name. Their details
        arrive with their store events.
      </p>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const sync: ContactSync = { ...key };
    for (const { field } of IDENTIFIERS) if (text(field)) sync[field] = text(field);
    if (!contact && !sync.customer_id && !sync.email && !sync.phone) {
      setProblem('Give a customer id, an email or a phone: a contact is found by one of them.');
      return;
    }
    const name = text('name');
    if (name && name !== (contact?.name ?? '')) sync.name = name;
    const changed = changedAttributes(rows);
    if ('problem' in changed) {
      setProblem(changed.problem);
      return;
    }
    setProblem(null);
    if (Object.keys(changed.attributes).length > 0) sync.attributes = changed.attributes;
    if (form.get('whatsapp') === 'on') {
      sync.whatsapp_status = 'ACTIVE';
      sync.whatsapp_status_source = DASHBOARD_SOURCE;
    }
    const saved = await action.run(() => syncContact(api, sync));
    if (saved) {
      const note = saved.warnings.length > 0 ? `?note=${encodeURIComponent(saved.warnings.join(' '))}` : '';
      navigate(link(`/contacts/${encodeURIComponent(saved.id)}${note}`));
    }
  };

  return (
    <form class="panel panel-wide contact-form" onSubmit={submit} onInput={() => setProblem(null)} noValidate>
      <Field
        id="contact-name"
        name="name"
        label="Name"
        defaultValue={contact?.name ?? ''}
        maxLength={256}
        autoComplete="off"
      />
      <fieldset>
        <legend>{contact ? 'Add an identifier' : 'Identifiers'}</legend>
        <p class="hint">
          {contact
            ? 'The identifiers below stay. One you add that already belongs to another contact makes the two one contact (merged into the older).'
            : 'At least one. A contact is one person: an identifier another contact holds makes them one.'}
        </p>
        {contact ? (
          <ul class="plain-list identity-list">
            {contact.identities.map((identity) => (
              <li key={`${identity.kind}:${identity.value}`} class="break">
                {identity.value} <span class="muted small">({identity.kind.replace('_', ' ')})</span>
              </li>
            ))}
          </ul>
        ) : null}
        <div class="field-row">
          {IDENTIFIERS.map(({ field, label, hint, type }) => (
            <Field
              key={field}
              id={`contact-${field}`}
              name={field}
              type={type}
              label={contact ? `Another ${label.toLowerCase()}` : label}
              hint={hint || undefined}
              autoComplete="off"
              maxLength={field === 'email' ? 320 : field === 'phone' ? 64 : 256}
            />
          ))}
        </div>
      </fieldset>
      <AttributesEditor rows={rows} onChange={setRows} />
      {contact ? null : (
        <div class="check-field">
          <input id="contact-whatsapp" name="whatsapp" type="checkbox" aria-describedby="contact-whatsapp-hint" />
          <label for="contact-whatsapp">Subscribed to WhatsApp marketing</label>
          <p class="hint" id="contact-whatsapp-hint">
            Only when the shopper said yes to it; the consent history records it as given on the dashboard.
          </p>
        </div>
      )}
      {problem ? (
        <p class="notice notice-bad" role="alert">
          {problem}
        </p>
      ) : null}
      <Outcome error={action.error} done={null} />
      <p class="panel-actions">
        <button type="submit" class="button button-primary" disabled={action.busy}>
          {contact ? 'Save the contact' : 'Create the contact'}
        </button>
        <Link href={link(contact ? `/contacts/${encodeURIComponent(contact.id)}` : '/contacts')}>Cancel</Link>
      </p>
    </form>
  );
}

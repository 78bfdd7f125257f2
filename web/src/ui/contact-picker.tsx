import { useState } from 'preact/hooks';
import type { Contact, ContactDetail } from '../api/types.js';
import { useSettled } from './use-settled.js';
import { useApi } from './use-api.js';
import './form-layout.css';

const nameOf = (c: Contact) => c.name ?? c.email ?? c.phone ?? c.customerId ?? c.id;

export interface PickedContact {
  contactId: string;
  /** The chosen order of theirs, '' for none. */
  orderId: string;
}

/**
 * Picks one of the store's real contacts (search by name, phone or email, as the contacts page
 * does) and one of their orders — the newest unless the user chooses another or none.
 */
export function useContactPicker(idPrefix: string) {
  const [query, setQuery] = useState('');
  const settledQuery = useSettled(query.trim(), 250);
  const contacts = useApi<{ contacts: Contact[] }>('/v1/contacts', { q: settledQuery || null, limit: 20 });
  const [contactId, setContactId] = useState('');
  const [orderId, setOrderId] = useState<string | null>(null);
  const list = contacts.data?.contacts ?? [];
  const chosen = list.some((c) => c.id === contactId) ? contactId : (list[0]?.id ?? '');
  const detail = useApi<ContactDetail>(chosen ? `/v1/contacts/${encodeURIComponent(chosen)}` : null);
  const orders = detail.data?.id === chosen ? detail.data.orders : [];
  const order = orderId === null ? (orders[0]?.orderId ?? '') : orderId;
  const picked: PickedContact = { contactId: chosen, orderId: order };
  const contact = list.find((c) => c.id === chosen) ?? null;

  const fields = (
    <div class="field-row">
      <div class="field">
        <label for={`${idPrefix}-search`}>Find a contact</label>
        <input
          id={`${idPrefix}-search`}
          type="search"
          value={query}
          placeholder="Name, phone, email"
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-contact`}>Contact</label>
        <select
          id={`${idPrefix}-contact`}
          value={chosen}
          onChange={(e) => {
            setContactId((e.currentTarget as HTMLSelectElement).value);
            setOrderId(null);
          }}
        >
          {list.length === 0 ? <option value="">{contacts.loading ? 'Loading…' : 'No contact found'}</option> : null}
          {list.map((c) => (
            <option key={c.id} value={c.id}>
              {nameOf(c)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-order`}>Order</label>
        <select
          id={`${idPrefix}-order`}
          value={order}
          onChange={(e) => setOrderId((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">No order</option>
          {orders.map((o) => (
            <option key={o.orderId} value={o.orderId}>
              Order {o.orderId}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
  return { picked, contact, fields, loading: contacts.loading };
}

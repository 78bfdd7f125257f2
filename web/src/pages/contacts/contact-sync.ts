import type { StoreApi } from '../../api/client.js';
import type { Contact } from '../../api/types.js';

/** What POST /v1/contacts answers for one contact (docs/contacts.md). */
export interface SyncAnswer {
  upserted: number;
  contacts: { index: number; id: string }[];
  warnings: { index: number; code: string; message: string }[];
}

/** The fields of one contact sync: identifiers name the contact; the rest is set or merged. */
export interface ContactSync {
  customer_id?: string;
  email?: string;
  phone?: string;
  name?: string;
  attributes?: Record<string, unknown>;
  whatsapp_status?: 'ACTIVE' | 'INACTIVE';
  whatsapp_status_source?: string;
}

/** Where the dashboard's own changes say they came from, in the contact's consent history. */
export const DASHBOARD_SOURCE = 'dashboard';

/**
 * The identifier a sync names an existing contact by: a sync knows a contact only by its
 * customer id, email or phone, so one known by a Messenger or anonymous id alone cannot be
 * changed this way (null).
 */
export function syncKeyOf(contact: Pick<Contact, 'customerId' | 'email' | 'phone'>): ContactSync | null {
  if (contact.customerId) return { customer_id: contact.customerId };
  if (contact.email) return { email: contact.email };
  if (contact.phone) return { phone: contact.phone };
  return null;
}

/** Syncs one contact; the answer's contact id (a merge may name the older contact) and warnings. */
export async function syncContact(api: StoreApi, sync: ContactSync): Promise<{ id: string; warnings: string[] }> {
  const answer = await api.send<SyncAnswer>('POST', '/v1/contacts', sync);
  const id = answer.contacts[0]?.id;
  if (!id) throw new Error('Storewire stored no contact.');
  return { id, warnings: answer.warnings.map((w) => `${w.message} (${w.code})`) };
}

import { parseContactQuery } from '../domain/contact-query.js';
import type { Store } from '../domain/store.js';
import { listContacts } from '../storage/contact-list.js';
import type { Storage } from '../storage/database.js';
import { decodeCursor, pageLimit, pageOf } from './paging.js';
import { presentContactSummary } from './presenters/contact.js';

export interface ContactListQuery {
  q?: string;
  limit?: string;
  after?: string;
  customer_id?: string;
  email?: string;
  phone?: string;
  anonymous_id?: string;
}

/** GET /v1/contacts?q=&limit=&after=: a page of contacts, newest first, matching q when given. */
export async function searchContacts(storage: Storage, store: Store, query: ContactListQuery) {
  const limit = pageLimit(query.limit);
  const afterId = query.after ? (decodeCursor(query.after, 's')[0] as string) : null;
  const parsed = query.q ? parseContactQuery(query.q, store.defaultCountry) : null;
  // A query with no letters or digits in it finds nobody (not everybody).
  if (query.q?.trim() && !parsed) return { contacts: [], next: null };
  const rows = await listContacts(storage, store.id, { query: parsed, afterId, limit });
  const page = pageOf(rows, limit, (last) => [last.id]);
  return { contacts: page.items.map(presentContactSummary), next: page.next };
}

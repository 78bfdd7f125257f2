import type { ContactQuery } from '../domain/contact-query.js';
import type { ContactView } from '../domain/records.js';
import { selectContactViews, toContactView } from './contacts.js';
import type { Storage } from './database.js';

/**
 * A page of the store's contacts, newest first (ids sort by creation), those matching the search
 * query when one is given. Reads limit + 1 rows so the caller knows whether a page follows.
 */
export async function listContacts(
  storage: Storage,
  storeId: string,
  options: { query: ContactQuery | null; afterId: string | null; limit: number },
): Promise<ContactView[]> {
  let select = selectContactViews(storage.db, storeId).where('contacts.merged_into', 'is', null);
  if (options.query) select = select.where(storage.contactSearch.matches(storeId, options.query));
  if (options.afterId) select = select.where('contacts.id', '<', options.afterId);
  const rows = await select
    .orderBy('contacts.id', 'desc')
    .limit(options.limit + 1)
    .execute();
  return rows.map(toContactView);
}

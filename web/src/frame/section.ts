import type { ComponentType } from 'preact';
import type { Role } from '../api/types.js';

/** What a page gets from the frame: its path parameters and the query string. */
export interface PageProps {
  params: Record<string, string>;
  search: URLSearchParams;
}

/** One page of a section. `load` imports the page's code when it is first opened. */
export interface PageRoute {
  /** Under the store, e.g. `/contacts/:contactId` (the URL is `/stores/<storeId>/contacts/ct_…`). */
  path: string;
  /** The document title while the page loads; the page may set a better one. */
  title: string;
  load: () => Promise<ComponentType<PageProps>>;
}

/**
 * A part of the dashboard: an entry in the navigation and its pages. A new page joins the app
 * by adding its section to `sections.ts`; its code stays out of the first load.
 */
export interface Section {
  id: string;
  /** The navigation's label. */
  label: string;
  /** Where the navigation entry leads, under the store. */
  path: string;
  /** The roles that may open it (the API enforces the same; this hides what would be refused). */
  roles: readonly Role[];
  /** What someone without the role is told, e.g. "Only a store's owner can change its settings". */
  forbiddenHint?: string;
  routes: PageRoute[];
}

export const EVERY_ROLE: readonly Role[] = ['owner', 'marketer', 'agent'];

import type { Role } from '../api/types.js';
import { contactsSection } from '../pages/contacts/section.js';
import { journeysSection } from '../pages/journeys/section.js';
import { messagesSection } from '../pages/messages/section.js';
import { ordersSection } from '../pages/orders/section.js';
import { overviewSection } from '../pages/overview/section.js';
import { settingsSection } from '../pages/settings/section.js';
import { templatesSection } from '../pages/templates/section.js';
import { matchPath } from '../router/match.js';
import type { PageRoute, Section } from './section.js';

/** The dashboard's parts, in the navigation's order. A new part adds its section here. */
export const sections: readonly Section[] = [
  overviewSection,
  contactsSection,
  ordersSection,
  messagesSection,
  templatesSection,
  journeysSection,
  settingsSection,
];

export const storePath = (storeId: string, path = '') => `/stores/${encodeURIComponent(storeId)}${path}`;

export function sectionsFor(role: Role): Section[] {
  return sections.filter((section) => section.roles.includes(role));
}

export interface MatchedRoute {
  section: Section;
  route: PageRoute;
  params: Record<string, string>;
}

/** The page for a path under the store (`/contacts/ct_1`), or null. */
export function findRoute(path: string): MatchedRoute | null {
  for (const section of sections) {
    for (const route of section.routes) {
      const params = matchPath(route.path, path);
      if (params) return { section, route, params };
    }
  }
  return null;
}

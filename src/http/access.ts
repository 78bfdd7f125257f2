import type { Role } from '../domain/roles.js';

/**
 * Which roles may use a store route with a session (docs/dashboard.md, "Roles"). A store API key
 * may use every route: it is the store's own key. Rules are matched in order against the route's
 * method and path pattern (a trailing * matches the rest of the path); a route no rule names is
 * the owner's alone, so a route added later is closed until someone opens it here.
 */
const EVERYONE: readonly Role[] = ['owner', 'marketer', 'agent'];
const MARKETING: readonly Role[] = ['owner', 'marketer'];
const OWNER: readonly Role[] = ['owner'];

export const ACCESS_RULES: readonly (readonly [pattern: string, roles: readonly Role[]])[] = [
  // Contacts: every role reads them, keeps them up to date and sets their WhatsApp consent; the
  // whole list leaves the building only with the owner or a marketer.
  ['GET /v1/contacts/export', MARKETING],
  ['GET /v1/contacts*', EVERYONE],
  ['POST /v1/contacts', EVERYONE],
  ['GET /v1/customers/*', EVERYONE],
  ['GET /fetch-user-events', EVERYONE],
  ['GET /v1/products/*', EVERYONE],
  ['GET /v1/orders*', EVERYONE],
  ['POST /v1/orders/:orderId/whatsapp-subscription', EVERYONE],
  // Messages: every role reads the log and sends (agents answer shoppers).
  ['GET /v1/messages*', EVERYONE],
  ['POST /v1/messages', EVERYONE],
  ['POST /v1/messages/send-template', EVERYONE],
  // Templates: every role reads and previews them (to send one); marketers write them.
  ['GET /v1/templates*', EVERYONE],
  ['POST /v1/templates/:name/preview', EVERYONE],
  ['PUT /v1/templates/:name', MARKETING],
  // Checking a draft is part of writing one.
  ['POST /v1/templates/:name/validate', MARKETING],
  ['DELETE /v1/templates/:name', MARKETING],
  ['GET /v1/stats/*', MARKETING],
  // The overview counts messages as the stats do: for those who may read the stats.
  ['GET /v1/overview', MARKETING],
  // A change cursor tells only that something changed: every role's pages poll it.
  ['GET /v1/live', EVERYONE],
  ['* /v1/journeys*', MARKETING],
  ['* /v1/journey-runs/*', MARKETING],
  ['* /v1/journey-settings', MARKETING],
];

function matches(pattern: string, method: string, url: string): boolean {
  const [ruleMethod, rulePath] = pattern.split(' ') as [string, string];
  if (ruleMethod !== '*' && ruleMethod !== method) return false;
  return rulePath.endsWith('*') ? url.startsWith(rulePath.slice(0, -1)) : url === rulePath;
}

/** The roles that may call the route (its method and Fastify path pattern, e.g. /v1/contacts/:id). */
export function rolesFor(method: string, url: string): readonly Role[] {
  return ACCESS_RULES.find(([pattern]) => matches(pattern, method, url))?.[1] ?? OWNER;
}

/** HEAD is a GET without the body. */
export const mayUse = (role: Role, method: string, url: string) =>
  rolesFor(method === 'HEAD' ? 'GET' : method, url).includes(role);

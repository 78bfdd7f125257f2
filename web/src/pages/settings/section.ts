import type { Section } from '../../frame/section.js';

/** The owner's settings: a page per part, each loading its own code when opened. */
export const settingsSection: Section = {
  id: 'settings',
  label: 'Settings',
  path: '/settings',
  roles: ['owner'],
  forbiddenHint: 'Only the store’s owners can open its settings: channels, connectors, keys and users.',
  routes: [
    { path: '/settings', title: 'Settings', load: () => import('./channels-page.js').then((m) => m.ChannelsPage) },
    {
      path: '/settings/store',
      title: 'Store settings',
      load: () => import('./store-page.js').then((m) => m.StorePage),
    },
    { path: '/settings/api-key', title: 'API key', load: () => import('./api-key-page.js').then((m) => m.ApiKeyPage) },
    { path: '/settings/team', title: 'Team', load: () => import('./team-page.js').then((m) => m.TeamPage) },
  ],
};

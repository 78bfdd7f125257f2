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
    {
      path: '/settings/journeys',
      title: 'Journey settings',
      load: () => import('./journeys-page.js').then((m) => m.JourneySettingsPage),
    },
    {
      path: '/settings/connectors',
      title: 'Connectors',
      load: () => import('./connectors-page.js').then((m) => m.ConnectorsPage),
    },
    {
      path: '/settings/webhooks',
      title: 'Webhooks',
      load: () => import('./webhooks-page.js').then((m) => m.WebhooksPage),
    },
    { path: '/settings/api-key', title: 'API key', load: () => import('./api-key-page.js').then((m) => m.ApiKeyPage) },
    { path: '/settings/team', title: 'Team', load: () => import('./team-page.js').then((m) => m.TeamPage) },
  ],
};

import type { Section } from '../../frame/section.js';

export const settingsSection: Section = {
  id: 'settings',
  label: 'Settings',
  path: '/settings',
  roles: ['owner'],
  forbiddenHint: 'Only the store’s owners can open its settings: channels, connectors, keys and users.',
  routes: [
    { path: '/settings', title: 'Settings', load: () => import('./settings-page.js').then((m) => m.SettingsPage) },
  ],
};

import type { Section } from '../../frame/section.js';

export const journeysSection: Section = {
  id: 'journeys',
  label: 'Journeys',
  path: '/journeys',
  roles: ['owner', 'marketer'],
  forbiddenHint: 'Journeys are run by the store’s owners and marketers: ask one of them.',
  routes: [
    {
      path: '/journeys',
      title: 'Journeys',
      load: () => import('./journey-list-page.js').then((m) => m.JourneyListPage),
    },
    {
      // The journey settings are the marketers' too (the API lets them): the same page as the owner's
      // Settings › Journeys, reached from the journeys.
      path: '/journey-settings',
      title: 'Journey settings',
      load: () => import('../settings/journeys-page.js').then((m) => m.JourneySettingsPage),
    },
    {
      path: '/journeys/new',
      title: 'New journey',
      load: () => import('./journey-editor-page.js').then((m) => m.NewJourneyPage),
    },
    {
      path: '/journeys/:id/edit',
      title: 'Edit journey',
      load: () => import('./journey-editor-page.js').then((m) => m.EditJourneyPage),
    },
    {
      path: '/journeys/:id',
      title: 'Journey',
      load: () => import('./journey-page.js').then((m) => m.JourneyPage),
    },
  ],
};

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

import type { Section } from '../../frame/section.js';

export const overviewSection: Section = {
  id: 'overview',
  label: 'Overview',
  path: '/overview',
  // The overview counts messages as the stats API does: for those who may read the stats.
  roles: ['owner', 'marketer'],
  forbiddenHint: 'The overview is for the store’s owners and marketers.',
  routes: [
    {
      path: '/overview',
      title: 'Overview',
      load: () => import('./overview-page.js').then((m) => m.OverviewPage),
    },
  ],
};

import { EVERY_ROLE, type Section } from '../../frame/section.js';

export const templatesSection: Section = {
  id: 'templates',
  label: 'Templates',
  path: '/templates',
  // Agents read and preview templates (to send one); owners and marketers write them.
  roles: EVERY_ROLE,
  routes: [
    {
      path: '/templates',
      title: 'Templates',
      load: () => import('./template-list-page.js').then((m) => m.TemplateListPage),
    },
    {
      path: '/templates/:name',
      title: 'Template',
      load: () => import('./template-editor-page.js').then((m) => m.TemplateEditorPage),
    },
  ],
};

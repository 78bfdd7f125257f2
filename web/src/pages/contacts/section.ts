import { EVERY_ROLE, type Section } from '../../frame/section.js';

export const contactsSection: Section = {
  id: 'contacts',
  label: 'Contacts',
  path: '/contacts',
  roles: EVERY_ROLE,
  routes: [
    {
      path: '/contacts',
      title: 'Contacts',
      load: () => import('./contact-list-page.js').then((m) => m.ContactListPage),
    },
    {
      path: '/contacts/:contactId',
      title: 'Contact',
      load: () => import('./contact-page.js').then((m) => m.ContactPage),
    },
  ],
};

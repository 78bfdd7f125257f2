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
      path: '/contacts/new',
      title: 'New contact',
      load: () => import('./contact-form-page.js').then((m) => m.NewContactPage),
    },
    {
      path: '/contacts/:contactId/edit',
      title: 'Edit contact',
      load: () => import('./contact-form-page.js').then((m) => m.EditContactPage),
    },
    {
      path: '/contacts/:contactId',
      title: 'Contact',
      load: () => import('./contact-page.js').then((m) => m.ContactPage),
    },
    {
      path: '/products/:productId',
      title: 'Product',
      load: () => import('./product-page.js').then((m) => m.ProductPage),
    },
  ],
};

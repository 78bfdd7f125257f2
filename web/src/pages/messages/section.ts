import { EVERY_ROLE, type Section } from '../../frame/section.js';

export const messagesSection: Section = {
  id: 'messages',
  label: 'Messages',
  path: '/messages',
  roles: EVERY_ROLE,
  routes: [
    {
      path: '/messages',
      title: 'Messages',
      load: () => import('./message-list-page.js').then((m) => m.MessageListPage),
    },
    {
      path: '/messages/:messageId',
      title: 'Message',
      load: () => import('./message-page.js').then((m) => m.MessagePage),
    },
  ],
};

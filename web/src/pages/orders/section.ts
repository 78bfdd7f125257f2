import { EVERY_ROLE, type Section } from '../../frame/section.js';

export const ordersSection: Section = {
  id: 'orders',
  label: 'Orders',
  path: '/orders',
  roles: EVERY_ROLE,
  routes: [
    { path: '/orders', title: 'Orders', load: () => import('./order-list-page.js').then((m) => m.OrderListPage) },
    { path: '/orders/:orderId', title: 'Order', load: () => import('./order-page.js').then((m) => m.OrderPage) },
  ],
};

/**
 * A team member's role in a store (docs/dashboard.md, "Roles"): the owner may do everything; a
 * marketer works on templates, journeys, contacts and messages; an agent on contacts, orders and
 * messages. One person may have a different role in each of several stores.
 */
export const ROLES = ['owner', 'marketer', 'agent'] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

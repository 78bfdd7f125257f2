import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';
import type { WebhookSubscriptionsTable } from './schema.js';

/** A store's webhook: where to POST which events, and the secret that signs them. */
export interface WebhookSubscription {
  id: string;
  storeId: string;
  url: string;
  secret: string;
  /** Event types, or ["*"] for all. */
  events: string[];
  active: boolean;
  createdAt: number;
}

function toSubscription(row: WebhookSubscriptionsTable): WebhookSubscription {
  return {
    id: row.id,
    storeId: row.store_id,
    url: row.url,
    secret: row.secret,
    events: parseJson<string[]>(row.events, []),
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

export async function insertSubscription(db: Db, s: WebhookSubscription): Promise<void> {
  await db
    .insertInto('webhook_subscriptions')
    .values({
      id: s.id,
      store_id: s.storeId,
      url: s.url,
      secret: s.secret,
      events: toJson(s.events),
      active: s.active ? 1 : 0,
      created_at: s.createdAt,
    })
    .execute();
}

/** Every subscription of a store, oldest first, active or not. */
export async function subscriptionsOfStore(db: Db, storeId: string): Promise<WebhookSubscription[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSubscription);
}

export async function countActiveSubscriptions(db: Db, storeId: string): Promise<number> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('store_id', '=', storeId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What enqueueing needs of a store's active subscriptions: one indexed read. */
export async function activeSubscriptionEvents(db: Db, storeId: string): Promise<{ id: string; events: string[] }[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .select(['id', 'events'])
    .where('store_id', '=', storeId)
    .where('active', '=', 1)
    .execute();
  return rows.map((row) => ({ id: row.id, events: parseJson<string[]>(row.events, []) }));
}

/** Subscriptions by id, of any store (the delivery worker serves every store). */
export async function findSubscriptions(db: Db, ids: string[]): Promise<Map<string, WebhookSubscription>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, toSubscription(row)]));
}

export async function getSubscription(db: Db, storeId: string, id: string): Promise<WebhookSubscription | null> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toSubscription(row) : null;
}

/** Removes a store's subscription; false when the store has none with that id. */
export async function deleteSubscription(db: Db, storeId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_subscriptions')
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deactivateSubscription(db: Db, id: string): Promise<void> {
  await db.updateTable('webhook_subscriptions').set({ active: 0 }).where('id', '=', id).execute();
}

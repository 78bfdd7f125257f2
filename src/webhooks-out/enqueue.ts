import { newId } from '../domain/ids.js';
import type { Db } from '../storage/database.js';
import { toJson } from '../storage/json.js';
import { insertDeliveries, type NewDelivery } from '../storage/webhook-deliveries.js';
import { activeSubscriptionEvents } from '../storage/webhook-subscriptions.js';
import { subscribedTo } from './event-types.js';

export interface WebhookEventItem {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Queues one delivery per (event, active subscription of the store that wants its type), due
 * now, in the caller's transaction: the events and their deliveries commit together or not at
 * all. The subscriptions are read in that transaction (one indexed query, skipped when there
 * is nothing to send), so a subscription gets every event committed after it was created and
 * none after it was deleted. The worker is not woken here; call its wake() after the commit.
 * Returns how many deliveries were queued.
 */
export async function enqueueWebhookDeliveries(
  db: Db,
  storeId: string,
  items: WebhookEventItem[],
  now: number,
): Promise<number> {
  if (items.length === 0) return 0;
  const subscriptions = await activeSubscriptionEvents(db, storeId);
  if (subscriptions.length === 0) return 0;
  const rows: NewDelivery[] = [];
  for (const item of items) {
    let payload: string | undefined;
    for (const subscription of subscriptions) {
      if (!subscribedTo(subscription.events, item.type)) continue;
      payload ??= toJson(item.payload);
      rows.push({
        id: newId('whd', now),
        storeId,
        subscriptionId: subscription.id,
        type: item.type,
        payload,
        createdAt: now,
      });
    }
  }
  await insertDeliveries(db, rows);
  return rows.length;
}

import { newId, newSecret } from '../domain/ids.js';
import { AppError } from '../errors.js';
import type { Storage } from '../storage/database.js';
import {
  failIdleDeliveriesOf,
  getDelivery,
  requeueFailedDelivery,
  type WebhookDelivery,
} from '../storage/webhook-deliveries.js';
import {
  countActiveSubscriptions,
  deleteSubscription,
  getSubscription,
  insertSubscription,
  type WebhookSubscription,
} from '../storage/webhook-subscriptions.js';
import { ALL_EVENTS } from './event-types.js';

/** Each subscription multiplies the deliveries every event writes, in the engine's transaction. */
export const MAX_SUBSCRIPTIONS_PER_STORE = 20;
export const MAX_URL_LENGTH = 2048;

export interface SubscriptionInput {
  url: string;
  /** Event types, or "*"; default ["*"]. Checked against WEBHOOK_EVENT_TYPES by the route schema. */
  events?: string[];
  /** Default: a new random secret (whsec_...). */
  secret?: string;
}

/** An absolute http(s) URL, as the worker will call it; anything else is INVALID_WEBHOOK_URL. */
export function webhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('INVALID_WEBHOOK_URL', `"${raw.slice(0, 100)}" is not an absolute URL`, { path: 'body/url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('INVALID_WEBHOOK_URL', `webhook URLs must be http:// or https://, not ${url.protocol}//`, {
      path: 'body/url',
    });
  }
  if (url.href.length > MAX_URL_LENGTH) {
    throw new AppError('INVALID_WEBHOOK_URL', `webhook URLs are at most ${MAX_URL_LENGTH} characters`, {
      path: 'body/url',
    });
  }
  return url.href;
}

/** ["*"] when "*" is among them (or none are given); else each type once, in the order given. */
export function normalizeEvents(events: string[] | undefined): string[] {
  if (!events || events.length === 0 || events.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return [...new Set(events)];
}

/** A new active subscription. The secret is returned here and never again by the API. */
export async function createWebhookSubscription(
  storage: Storage,
  storeId: string,
  input: SubscriptionInput,
  now: number,
): Promise<WebhookSubscription> {
  const subscription: WebhookSubscription = {
    id: newId('whs', now),
    storeId,
    url: webhookUrl(input.url),
    secret: input.secret ?? newSecret('whsec'),
    events: normalizeEvents(input.events),
    active: true,
    createdAt: now,
  };
  await storage.transaction(async (trx) => {
    // Serialized per store, so two creates at once cannot both pass the limit.
    await storage.lockStore(trx, storeId);
    if ((await countActiveSubscriptions(trx, storeId)) >= MAX_SUBSCRIPTIONS_PER_STORE) {
      throw new AppError(
        'TOO_MANY_SUBSCRIPTIONS',
        `a store may have ${MAX_SUBSCRIPTIONS_PER_STORE} active webhook subscriptions; delete one first`,
      );
    }
    await insertSubscription(trx, subscription);
  });
  return subscription;
}

/**
 * Deletes a subscription: no event is queued for it from now on, and its pending deliveries
 * are given up (kept in the log as failed). A delivery being sent at this moment finishes.
 */
export async function deleteWebhookSubscription(
  storage: Storage,
  storeId: string,
  id: string,
  now: number,
): Promise<void> {
  await storage.transaction(async (trx) => {
    if (!(await deleteSubscription(trx, storeId, id))) {
      throw new AppError('SUBSCRIPTION_NOT_FOUND', `no webhook subscription ${id} in this store`);
    }
    await failIdleDeliveriesOf(trx, id, now, 'subscription deleted');
  });
}

/** A failed delivery back to pending, due now, with a fresh series of attempts. */
export async function retryWebhookDelivery(
  storage: Storage,
  storeId: string,
  id: string,
  now: number,
): Promise<WebhookDelivery> {
  const delivery = await getDelivery(storage.db, storeId, id);
  if (!delivery) throw new AppError('DELIVERY_NOT_FOUND', `no webhook delivery ${id} in this store`);
  if (delivery.status !== 'failed') {
    throw new AppError(
      'DELIVERY_NOT_RETRYABLE',
      `delivery ${id} is ${delivery.status}; only a failed delivery can be retried`,
    );
  }
  const subscription = await getSubscription(storage.db, storeId, delivery.subscriptionId);
  if (!subscription?.active) {
    throw new AppError(
      'DELIVERY_NOT_RETRYABLE',
      `the subscription of delivery ${id} was ${subscription ? 'deactivated' : 'deleted'}; subscribe the URL again`,
    );
  }
  if (!(await requeueFailedDelivery(storage.db, storeId, id, now))) {
    throw new AppError(
      'DELIVERY_NOT_RETRYABLE',
      `delivery ${id} changed meanwhile; only a failed delivery can be retried`,
    );
  }
  return (await getDelivery(storage.db, storeId, id))!;
}

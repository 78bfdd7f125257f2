import type { Db } from './database.js';
import { inListChunks } from './bulk.js';

/**
 * What journeys ask of the records while runs take their turns: exit conditions (an order,
 * a cart, a later event), message conditions (what became of a step's message) and the
 * batch reads that answer the same questions for many shoppers at once (journeys/batch-reads.ts).
 */

/** An order of the shopper created at or after `since`, other than `except`: its id. */
export async function orderSince(
  db: Db,
  storeId: string,
  contactId: string,
  since: number,
  except: string | null,
): Promise<string | null> {
  const order = await db
    .selectFrom('orders')
    .select('order_id')
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('created_at', '>=', since)
    .$if(except !== null, (q) => q.where('order_id', '!=', except!))
    .limit(1)
    .executeTakeFirst();
  return order?.order_id ?? null;
}

/** The shopper's cart, as exit conditions see it. */
export async function cartState(
  db: Db,
  storeId: string,
  contactId: string,
): Promise<{ status: string; lines: unknown[] } | null> {
  const cart = await db
    .selectFrom('carts')
    .select(['status', 'lines'])
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return cart ? { status: cart.status, lines: JSON.parse(cart.lines) as unknown[] } : null;
}

/** One of `names` the shopper did after `after`: its name. */
export async function eventAfter(
  db: Db,
  storeId: string,
  contactId: string,
  names: string[],
  after: number,
): Promise<string | null> {
  const later = await db
    .selectFrom('events')
    .select('name')
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('name', 'in', names)
    .where('occurred_at', '>', after)
    .limit(1)
    .executeTakeFirst();
  return later?.name ?? null;
}

/** The message the run's latest execution of `stepId` sent (null when it sent none). */
export async function latestStepMessageId(db: Db, runId: string, stepId: string): Promise<string | null> {
  const row = await db
    .selectFrom('journey_steps')
    .select(['message_id'])
    .where('run_id', '=', runId)
    .where('step_id', '=', stepId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.message_id ?? null;
}

/** What became of a message, as message conditions ask. */
export async function messageOutcome(
  db: Db,
  messageId: string,
): Promise<{ status: string; replied_at: number | null; provider_message_id: string | null } | undefined> {
  return db
    .selectFrom('messages')
    .select(['status', 'replied_at', 'provider_message_id'])
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/** The data of every reply the shopper sent (button conditions look for theirs). */
export async function replyEventData(db: Db, storeId: string, contactId: string): Promise<{ data: string }[]> {
  return db
    .selectFrom('events')
    .select(['data'])
    .where('store_id', '=', storeId)
    .where('contact_id', '=', contactId)
    .where('sub_name', '=', 'reply')
    .execute();
}

/** When each of these shoppers' marketing messages since `since` (queued or further) were created. */
export async function marketingCreatedSince(
  db: Db,
  storeId: string,
  contactIds: string[],
  since: number,
): Promise<{ contactId: string; createdAt: number }[]> {
  const found: { contactId: string; createdAt: number }[] = [];
  for (const part of inListChunks(contactIds)) {
    const sent = await db
      .selectFrom('messages')
      .select(['contact_id', 'created_at'])
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', part)
      .where('category', '=', 'marketing')
      .where('created_at', '>=', since)
      .where('status', 'in', ['queued', 'sending', 'sent', 'delivered', 'read'])
      .execute();
    for (const m of sent) found.push({ contactId: m.contact_id!, createdAt: Number(m.created_at) });
  }
  return found;
}

/** These shoppers' orders created at or after `since`. */
export async function ordersCreatedSince(
  db: Db,
  storeId: string,
  contactIds: string[],
  since: number,
): Promise<{ contactId: string; orderId: string; createdAt: number }[]> {
  const found: { contactId: string; orderId: string; createdAt: number }[] = [];
  for (const part of inListChunks(contactIds)) {
    const orders = await db
      .selectFrom('orders')
      .select(['order_id', 'contact_id', 'created_at'])
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', part)
      .where('created_at', '>=', since)
      .execute();
    for (const o of orders)
      found.push({ contactId: o.contact_id!, orderId: o.order_id, createdAt: Number(o.created_at) });
  }
  return found;
}

/** These shoppers' events named `names` that occurred after `after`. */
export async function eventsNamedAfter(
  db: Db,
  storeId: string,
  contactIds: string[],
  names: string[],
  after: number,
): Promise<{ contactId: string; name: string; occurredAt: number }[]> {
  const found: { contactId: string; name: string; occurredAt: number }[] = [];
  for (const part of inListChunks(contactIds)) {
    const events = await db
      .selectFrom('events')
      .select(['contact_id', 'name', 'occurred_at'])
      .where('store_id', '=', storeId)
      .where('contact_id', 'in', part)
      .where('name', 'in', names)
      .where('occurred_at', '>', after)
      .execute();
    for (const e of events) found.push({ contactId: e.contact_id!, name: e.name, occurredAt: Number(e.occurred_at) });
  }
  return found;
}

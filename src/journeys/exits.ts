import type { Db } from '../storage/database.js';
import type { JourneyRun } from '../storage/journeys.js';
import type { JourneyDefinition } from './definition.js';

/**
 * The journey's exit conditions, checked before every step against what Storewire has
 * recorded since the shopper entered. Returns the reason to leave, or null to go on.
 */
export async function exitReason(db: Db, definition: JourneyDefinition, run: JourneyRun): Promise<string | null> {
  const exit = definition.exit;
  if (!exit) return null;
  if (exit.orderPlaced) {
    const order = await db
      .selectFrom('orders')
      .select('order_id')
      .where('store_id', '=', run.storeId)
      .where('contact_id', '=', run.contactId)
      .where('created_at', '>=', run.enteredAt)
      .$if(run.orderId !== null, (q) => q.where('order_id', '!=', run.orderId!))
      .limit(1)
      .executeTakeFirst();
    if (order) return `order_placed:${order.order_id}`;
  }
  if (exit.cartEmptied) {
    const cart = await db.selectFrom('carts').select(['status', 'lines']).where('store_id', '=', run.storeId).where('contact_id', '=', run.contactId).executeTakeFirst();
    if (!cart || cart.status !== 'active' || (JSON.parse(cart.lines) as unknown[]).length === 0) return 'cart_emptied';
  }
  if (exit.events && exit.events.length > 0) {
    const later = await db
      .selectFrom('events')
      .select('name')
      .where('store_id', '=', run.storeId)
      .where('contact_id', '=', run.contactId)
      .where('name', 'in', exit.events)
      .where('occurred_at', '>', run.triggerAt)
      .limit(1)
      .executeTakeFirst();
    if (later) return `event:${later.name}`;
  }
  return null;
}

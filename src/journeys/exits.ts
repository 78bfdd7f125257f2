import type { Db } from '../storage/database.js';
import { cartState, eventAfter, orderSince } from '../storage/journey-facts.js';
import type { JourneyRun } from '../storage/journeys.js';
import type { JourneyDefinition } from './definition.js';

/** What the exit conditions ask of Storewire's records; the worker answers for a whole batch of runs at once (batch-reads.ts). */
export interface ExitFacts {
  /** An order of the shopper created at or after `since`, other than `except`: its id. */
  orderSince(storeId: string, contactId: string, since: number, except: string | null): Promise<string | null>;
  cart(storeId: string, contactId: string): Promise<{ status: string; lines: unknown[] } | null>;
  /** One of `names` the shopper did after `after`: its name. */
  eventAfter(storeId: string, contactId: string, names: string[], after: number): Promise<string | null>;
}

/** The facts read from the database, one query each. */
export const exitFactsFrom = (db: Db): ExitFacts => ({
  orderSince: (storeId, contactId, since, except) => orderSince(db, storeId, contactId, since, except),
  cart: (storeId, contactId) => cartState(db, storeId, contactId),
  eventAfter: (storeId, contactId, names, after) => eventAfter(db, storeId, contactId, names, after),
});

/**
 * The journey's exit conditions, checked before every step against what Storewire has
 * recorded since the shopper entered. Returns the reason to leave, or null to go on.
 */
export async function exitReason(
  facts: ExitFacts,
  definition: JourneyDefinition,
  run: JourneyRun,
): Promise<string | null> {
  const exit = definition.exit;
  if (!exit) return null;
  if (exit.orderPlaced) {
    const order = await facts.orderSince(run.storeId, run.contactId, run.enteredAt, run.orderId);
    if (order !== null) return `order_placed:${order}`;
  }
  if (exit.cartEmptied) {
    const cart = await facts.cart(run.storeId, run.contactId);
    if (cart?.status !== 'active' || cart.lines.length === 0) return 'cart_emptied';
  }
  if (exit.events && exit.events.length > 0) {
    const later = await facts.eventAfter(run.storeId, run.contactId, exit.events, run.triggerAt);
    if (later !== null) return `event:${later}`;
  }
  return null;
}

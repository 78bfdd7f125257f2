import { deleteCarts, upsertCarts } from '../storage/carts.js';
import { insertIdentities, insertMergedContacts, markMerged, upsertContacts } from '../storage/contacts.js';
import type { Db } from '../storage/database.js';
import { insertEvents, repointEvents } from '../storage/events.js';
import { parkPendingStatuses, repointMessages, saveMessages } from '../storage/messages.js';
import { enqueueWebhookDeliveries } from '../webhooks-out/enqueue.js';
import { repointOrders, upsertOrders } from '../storage/orders.js';
import { upsertProducts } from '../storage/products.js';
import { recordNdrChoice, upsertShipments } from '../storage/shipments.js';
import type { Changes } from './working-set.js';

/** Writes a planned batch: a few multi-row statements rather than a few per event. */
export async function writeChanges(db: Db, storeId: string, changes: Changes, now: number): Promise<void> {
  for (const { from, into } of changes.merges) {
    await markMerged(db, storeId, from, into, now);
    await repointEvents(db, storeId, from, into);
    await repointOrders(db, storeId, from, into);
    await repointMessages(db, storeId, from, into);
  }
  if (changes.contacts.size > 0) await upsertContacts(db, storeId, [...changes.contacts.values()]);
  if (changes.createdThenMerged.length > 0) await insertMergedContacts(db, storeId, changes.createdThenMerged);
  if (changes.identities.length > 0) await insertIdentities(db, storeId, changes.identities, now);
  if (changes.events.length > 0) await insertEvents(db, storeId, changes.events);
  if (changes.deletedCarts.size > 0) await deleteCarts(db, storeId, [...changes.deletedCarts]);
  if (changes.carts.size > 0) await upsertCarts(db, storeId, [...changes.carts.values()]);
  if (changes.orders.size > 0) await upsertOrders(db, storeId, [...changes.orders.values()]);
  if (changes.shipments.size > 0) await upsertShipments(db, storeId, [...changes.shipments.values()]);
  if (changes.products.size > 0) await upsertProducts(db, storeId, [...changes.products.values()]);
  if (changes.messages.size > 0) await saveMessages(db, [...changes.messages.values()]);
  if (changes.pendingStatuses.length > 0) await parkPendingStatuses(db, changes.pendingStatuses, now);
  for (const { orderId, choice } of changes.ndrChoices) await recordNdrChoice(db, storeId, orderId, choice);
  if (changes.webhooks.length > 0) await enqueueWebhookDeliveries(db, storeId, changes.webhooks, now);
}

import { fromMinor } from '../domain/money.js';
import type { StoreEvent } from '../domain/store-event.js';
import { markReplied, withStatus } from '../messaging/message-state.js';
import { messageStatusPayload } from '../messaging/status-payload.js';
import { webhookEvent } from '../webhooks-out/event-types.js';
import { messageKey, type WorkingSet } from './working-set.js';

/**
 * A provider status moves its message forward (never back). A status for a message not known
 * by that provider id yet is parked until the send result that names the id is recorded.
 * Returns the message's contact, which the event belongs to.
 */
export function applyMessageStatus(ws: WorkingSet, event: StoreEvent): string | null {
  const change = event.messageStatus!;
  const message = ws.snapshot.messages.get(messageKey(change.channel, change.providerMessageId));
  if (!message) {
    ws.changes.pendingStatuses.push({ ...change });
    return null;
  }
  const next = withStatus(message, change.status, change.at, ws.now, change.errors);
  if (next) {
    ws.saveMessage(next);
    ws.changes.webhooks.push(webhookEvent('message.status', messageStatusPayload(next, change.at)));
  }
  return message.contactId ? ws.live(message.contactId) : null;
}

/** A shopper's message: it may answer one of ours, and the store is told about it. */
export function applyInbound(ws: WorkingSet, event: StoreEvent, contactId: string | null): void {
  const inbound = event.inbound!;
  const answered = inbound.replyTo ? ws.snapshot.messages.get(messageKey(inbound.channel, inbound.replyTo)) : undefined;
  if (answered) {
    const replied = markReplied(answered, event.occurredAt, ws.now);
    if (replied) ws.saveMessage(replied);
  }
  const base = {
    eventId: event.eventId,
    contactId,
    channel: inbound.channel,
    at: new Date(event.occurredAt).toISOString(),
  };
  if (inbound.notify === 'order.created' && event.order) {
    const order = ws.snapshot.orders.get(event.order.orderId);
    if (!order) return;
    ws.changes.webhooks.push(
      webhookEvent('order.created', {
        ...base,
        orderId: order.orderId,
        source: order.source,
        total: fromMinor(order.state.totalMinor, order.state.currency),
        currency: order.state.currency,
        items: order.state.items.map((i) => ({
          productRetailerId: i.externalItemId,
          name: i.name,
          quantity: i.quantity,
          price: fromMinor(i.costMinor, order.state.currency),
        })),
        note: inbound.text,
      }),
    );
  } else if (inbound.notify === 'message.reply') {
    ws.changes.webhooks.push(
      webhookEvent('message.reply', { ...base, replyTo: answered?.id ?? null, reply: inbound.reply }),
    );
  } else {
    ws.changes.webhooks.push(
      webhookEvent('message.inbound', {
        ...base,
        from: event.identity.phone ?? event.identity.psid ?? null,
        text: inbound.text,
        ...(inbound.product ? { product: inbound.product } : {}),
        replyTo: answered?.id ?? null,
      }),
    );
  }
}

/** A cart from WhatsApp names products by retailer id; the catalog knows their names and links. */
export function fillItemsFromCatalog(ws: WorkingSet, event: StoreEvent): void {
  if (event.order?.kind !== 'upsert' || !event.order.fields.items) return;
  const products = [...ws.snapshot.products.values()];
  event.order = {
    ...event.order,
    fields: {
      ...event.order.fields,
      items: event.order.fields.items.map((item) => {
        const known = products.find((p) => p.productId === item.externalItemId && p.title);
        return known
          ? { ...item, name: known.title!, url: known.url ?? item.url, imageUrl: known.imageUrl ?? item.imageUrl }
          : item;
      }),
    },
  };
}

import type { StoreEvent } from '../domain/store-event.js';
import { webhookEvent } from '../webhooks-out/event-types.js';
import type { WorkingSet } from './working-set.js';

/**
 * A failed-delivery resolution chosen on the tracking page: recorded on the order's failed
 * shipment (seed 004's ndrResolutionDetails) and told to the store's webhook as a WhatsApp button
 * tap is (message.reply). A journey waiting for the answer wakes on the event itself.
 */
export function applyNdrChoice(ws: WorkingSet, event: StoreEvent, contactId: string | null): void {
  const made = event.ndrChoice!;
  ws.changes.ndrChoices.push({
    orderId: made.orderId,
    choice: {
      resolutionCode: made.resolutionCode,
      action: made.action,
      choice: made.resolutionCode,
      title: made.action,
      chosenAt: new Date(event.occurredAt).toISOString(),
      messageId: null,
    },
  });
  ws.changes.webhooks.push(
    webhookEvent('message.reply', {
      eventId: event.eventId,
      contactId,
      channel: made.channel,
      at: new Date(event.occurredAt).toISOString(),
      replyTo: null,
      reply: { id: made.resolutionCode, title: made.action },
      orderId: made.orderId,
      shipmentId: made.shipmentId,
    }),
  );
}

import type { WebhookDelivery } from '../storage/webhook-deliveries.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './signing.js';

/**
 * The body of a delivery: {"id", "type", "storeId", "createdAt", "data"}. The payload is
 * spliced in as stored, so the bytes signed are the bytes sent, and the same on every attempt.
 */
export function deliveryBody(
  delivery: Pick<WebhookDelivery, 'id' | 'type' | 'storeId' | 'createdAt' | 'payload'>,
): string {
  const head = JSON.stringify({
    id: delivery.id,
    type: delivery.type,
    storeId: delivery.storeId,
    createdAt: new Date(delivery.createdAt).toISOString(),
  });
  return `${head.slice(0, -1)},"data":${delivery.payload}}`;
}

export function deliveryHeaders(
  delivery: Pick<WebhookDelivery, 'id' | 'type'>,
  secret: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Storewire-Webhooks/1',
    [EVENT_HEADER]: delivery.type,
    [DELIVERY_HEADER]: delivery.id,
    [TIMESTAMP_HEADER]: String(timestampSeconds),
    [SIGNATURE_HEADER]: signWebhook(secret, timestampSeconds, body),
  };
}

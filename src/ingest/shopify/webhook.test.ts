import { describe, expect, it } from 'vitest';
import type { StoreContext } from '../../domain/store-event.js';
import { shopifyHmac, shopifyHmacMatches } from './hmac.js';
import { orderStatusOf } from './order.js';
import { adaptShopifyWebhook } from './webhook.js';

const ctx: StoreContext = { storeId: 'st_1', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' };
const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('orderStatusOf', () => {
  it.each([
    [{ financial_status: 'pending' }, 'INITIALIZED'],
    [{ financial_status: 'authorized' }, 'INITIALIZED'],
    [{ financial_status: 'voided' }, 'INITIALIZED'],
    [{ financial_status: 'paid' }, 'IN_PROGRESS'],
    [{ financial_status: 'partially_refunded' }, 'IN_PROGRESS'],
    [{ financial_status: 'pending', fulfillment_status: 'partial' }, 'IN_PROGRESS'],
    [{ financial_status: 'pending', fulfillment_status: 'fulfilled' }, 'IN_PROGRESS'],
    [{ financial_status: 'paid', fulfillment_status: 'fulfilled', cancelled_at: '2026-01-01T00:00:00Z' }, 'CANCELLED'],
  ])('%o -> %s', (order, status) => {
    expect(orderStatusOf(order)).toBe(status);
  });
});

describe('shopifyHmacMatches', () => {
  const body = Buffer.from('{"id":820982911946154508}');
  it('takes the base64 HMAC of the exact bytes and nothing else', () => {
    const signature = shopifyHmac('secret', body);
    expect(shopifyHmacMatches('secret', body, signature)).toBe(true);
    expect(shopifyHmacMatches('secret', body, ` ${signature} `)).toBe(true);
    expect(shopifyHmacMatches('other', body, signature)).toBe(false);
    expect(shopifyHmacMatches('secret', Buffer.from('{"id": 820982911946154508}'), signature)).toBe(false);
    expect(shopifyHmacMatches('secret', body, undefined)).toBe(false);
    expect(shopifyHmacMatches('', body, shopifyHmac('', body))).toBe(false);
  });
});

describe('adaptShopifyWebhook', () => {
  const fulfillmentEvent = (status: string) => ({
    id: 1,
    fulfillment_id: 55,
    order_id: 77,
    status,
    happened_at: '2026-11-02T10:00:00+05:30',
    message: null,
  });

  it('ignores a topic it does not use, without looking at the body', () => {
    expect(
      adaptShopifyWebhook({ topic: 'products/update', webhookId: 'w', payload: 'anything' }, ctx, NOW),
    ).toMatchObject({ kind: 'ignored', reason: { code: 'UNKNOWN_TOPIC' } });
  });

  it('refuses a body that is not an object', () => {
    expect(adaptShopifyWebhook({ topic: 'orders/create', webhookId: 'w', payload: [1] }, ctx, NOW)).toMatchObject({
      kind: 'mismatch',
      error: { code: 'WEBHOOK_TOPIC_MISMATCH' },
    });
  });

  it.each([
    ['in_transit', 'in_transit'],
    ['out_for_delivery', 'out_for_delivery'],
    ['attempted_delivery', 'failed_delivery'],
    ['failure', 'failed_delivery'],
    ['delivered', 'delivered'],
    ['label_printed', 'packed'],
    ['carrier_picked_up', 'shipped'],
  ])('maps fulfillment event %s to %s, with the webhook id as event id', (said, status) => {
    const adapted = adaptShopifyWebhook(
      { topic: 'fulfillment_events/create', webhookId: 'wh-9', payload: fulfillmentEvent(said) },
      ctx,
      NOW,
    );
    expect(adapted.kind).toBe('events');
    if (adapted.kind !== 'events') return;
    expect(adapted.events[0]).toMatchObject({
      eventId: 'shopify:wh-9',
      name: 'shipment_update',
      subName: status,
      shipment: { shipmentId: '55', orderId: '77', status },
    });
    expect(adapted.events[0]!.occurredAt).toBe(Date.parse('2026-11-02T04:30:00Z'));
  });

  it('marks the order delivered with a second event when a shipment is delivered', () => {
    const adapted = adaptShopifyWebhook(
      { topic: 'fulfillment_events/create', webhookId: 'wh-10', payload: fulfillmentEvent('delivered') },
      ctx,
      NOW,
    );
    if (adapted.kind !== 'events') throw new Error(adapted.kind);
    expect(adapted.events.map((e) => [e.eventId, e.name])).toEqual([
      ['shopify:wh-10', 'shipment_update'],
      ['shopify:wh-10:order_delivered', 'order_delivered'],
    ]);
    expect(adapted.events[1]!.order).toEqual({ kind: 'set_status', orderId: '77', status: 'DELIVERED' });
  });

  it('ignores a tracking status it does not know', () => {
    expect(
      adaptShopifyWebhook(
        { topic: 'fulfillment_events/create', webhookId: 'w', payload: fulfillmentEvent('teleported') },
        ctx,
        NOW,
      ),
    ).toMatchObject({
      kind: 'ignored',
      reason: { code: 'UNKNOWN_STATUS' },
    });
  });

  it('keeps SMS consent as an attribute and never touches WhatsApp consent', () => {
    const adapted = adaptShopifyWebhook(
      {
        topic: 'customers/update',
        webhookId: 'w',
        payload: {
          id: 5,
          email: 'a@example.com',
          updated_at: '2026-11-01T10:00:00Z',
          sms_marketing_consent: { state: 'subscribed', consent_updated_at: '2026-11-01T09:00:00Z' },
        },
      },
      ctx,
      NOW,
    );
    if (adapted.kind !== 'events') throw new Error(adapted.kind);
    const [event] = adapted.events;
    expect(event!.consent).toBeUndefined();
    expect(event!.profile).toMatchObject({
      attributes: { smsMarketingConsent: 'subscribed', smsMarketingConsentUpdatedAt: '2026-11-01T09:00:00Z' },
      sourceUpdatedAt: { attribute: 'shopifyUpdatedAt', at: Date.parse('2026-11-01T10:00:00Z') },
    });
  });
});

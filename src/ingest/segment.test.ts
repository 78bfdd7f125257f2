import { describe, expect, it } from 'vitest';
import type { Adapted, StoreEvent } from '../domain/store-event.js';
import { adaptSegmentMessage, type SegmentEnvelope } from './segment.js';
import { inspectMessage, messageTooLarge, readSegmentBody } from './segment-request.js';

const ctx = { storeId: 'st_1', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' };
const receivedAt = Date.parse('2026-11-21T10:00:00Z');
const adapt = (message: unknown, envelope: Partial<SegmentEnvelope> = {}) =>
  adaptSegmentMessage(message, ctx, { receivedAt, ...envelope });
const event = (result: Adapted): StoreEvent => {
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result.event;
};

describe('adaptSegmentMessage', () => {
  it('ids a message by its messageId, else by its content when it has a time, else anew', () => {
    expect(event(adapt({ type: 'track', messageId: 'm-1', userId: 'u', event: 'X' })).eventId).toBe('segment:m-1');
    const timed = { type: 'track', userId: 'u', event: 'X', timestamp: '2026-11-20T00:00:00Z' };
    expect(event(adapt(timed)).eventId).toBe(event(adapt({ ...timed })).eventId);
    expect(event(adapt(timed)).eventId).not.toBe(event(adapt({ ...timed, properties: { a: 1 } })).eventId);
    const untimed = { type: 'track', userId: 'u', event: 'X' };
    expect(event(adapt(untimed)).eventId).not.toBe(event(adapt(untimed, { receivedAt: receivedAt + 1 })).eventId);
  });

  it('maps userId, anonymousId and traits; a bad email is a warning when another id names the shopper', () => {
    const identify = event(
      adapt({
        type: 'identify',
        userId: 42,
        anonymousId: ' a-1 ',
        traits: { email: 'nope', phone: '98765 43210', first_name: 'Asha', last_name: 'Rao', plan: 'gold' },
      }),
    );
    expect(identify.identity).toEqual({
      customerId: '42',
      anonymousId: 'a-1',
      phone: '+919876543210',
      name: 'Asha Rao',
    });
    expect(identify.warnings).toEqual([expect.objectContaining({ code: 'INVALID_EMAIL' })]);
    expect(identify.profile).toEqual({ attributes: { plan: 'gold' } });
    expect(identify.kind).toBe('system');
    // Traits of a track call name no one; context.traits may carry the email.
    const tracked = event(
      adapt({
        type: 'track',
        anonymousId: 'a-1',
        event: 'X',
        traits: { email: 'x@example.com' },
        context: { traits: { email: 'Y@Example.com', name: 'Not used' } },
      }),
    );
    expect(tracked.identity).toEqual({ anonymousId: 'a-1', email: 'y@example.com' });
    expect(adapt({ type: 'identify', traits: { email: 'nope' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_EMAIL' },
    });
    expect(adapt({ type: 'page', name: 'Home' })).toMatchObject({ ok: false, error: { code: 'NO_IDENTIFIER' } });
  });

  it('corrects clock skew with the batch sentAt unless the message has its own', () => {
    const m = { type: 'track', userId: 'u', event: 'X', timestamp: '2026-11-21T12:00:00Z' };
    expect(event(adapt(m, { sentAt: '2026-11-21T12:00:05Z' })).occurredAt).toBe(receivedAt - 5_000);
    expect(event(adapt({ ...m, sentAt: '2026-11-21T12:00:01Z' }, { sentAt: '2026-11-21T12:00:05Z' })).occurredAt).toBe(
      receivedAt - 1_000,
    );
    expect(event(adapt({ ...m, timestamp: 1_700_000_000_000 })).occurredAt).toBe(1_700_000_000_000);
    expect(
      event(adapt({ type: 'track', userId: 'u', event: 'X', originalTimestamp: '2026-11-01T00:00:00Z' })).timestamp,
    ).toBe('2026-11-01T00:00:00.000+00:00');
  });

  it('takes the type from the route, and needs it in a batch', () => {
    expect(event(adapt({ type: 'identify', userId: 'u', event: 'Clicked' }, { type: 'track' })).name).toBe('Clicked');
    expect(adapt({ userId: 'u', event: 'Clicked' })).toMatchObject({ ok: false, error: { path: '/type' } });
    expect(adapt({ type: 'track', userId: { id: 1 }, event: 'X' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', path: '/userId' },
    });
  });

  it('turns Product Added into one cart change, priced in the currency minor unit', () => {
    const added = event(
      adapt({
        type: 'track',
        userId: 'u',
        event: 'product_added',
        properties: { sku: 'S-1', name: 'Tea', price: '2.5', quantity: 3, currency: 'usd' },
      }),
    );
    expect(added).toMatchObject({ name: 'cart_update', subName: 'add_to_cart' });
    expect(added.cartChange).toEqual({
      op: 'add',
      productId: 'S-1',
      variantId: '',
      title: 'Tea',
      quantity: 3,
      unitPriceMinor: 250,
      currency: 'USD',
      url: null,
      imageUrl: null,
      cartLink: null,
    });
    expect(added.products).toEqual([expect.objectContaining({ productId: 'S-1', priceMinor: 250, currency: 'USD' })]);
    const removed = event(
      adapt({ type: 'track', userId: 'u', event: 'Product Removed', properties: { product_id: 'S-1' } }),
    );
    expect(removed.cartChange).toMatchObject({ op: 'remove', quantity: null });
  });

  it('places an order from Order Completed: INITIALIZED at the time it happened, total from total, revenue, value or the items', () => {
    const completed = event(
      adapt({
        type: 'track',
        userId: 'u',
        event: 'Order Completed',
        timestamp: '2026-11-20T09:00:00Z',
        properties: {
          order_id: 'O-1',
          currency: 'EUR',
          products: [{ product_id: 'P', price: 10, quantity: 2, brand: 'B' }],
        },
      }),
    );
    expect(completed.order).toEqual({
      kind: 'upsert',
      orderId: 'O-1',
      missingForCreate: [],
      totalIncludesCharges: false,
      fields: {
        status: 'INITIALIZED',
        orderedAt: Date.parse('2026-11-20T09:00:00Z'),
        sourceUpdatedAt: Date.parse('2026-11-20T09:00:00Z'),
        currency: 'EUR',
        totalCost: 20,
        items: [{ externalItemId: 'P', name: '', quantity: 2, cost: 10, url: '', imageUrl: '', extra: { brand: 'B' } }],
      },
    });
    const updated = event(
      adapt({
        type: 'track',
        userId: 'u',
        event: 'Order Updated',
        properties: { order_id: 'O-1', revenue: '99.90', status: 'Canceled', carrier: 'X' },
      }),
    );
    expect(updated.order).toMatchObject({
      fields: { totalCost: '99.90', status: 'CANCELLED', attributes: { revenue: '99.90', carrier: 'X' } },
      defaultsForCreate: { status: 'INITIALIZED' },
    });
    const odd = event(
      adapt({ type: 'track', userId: 'u', event: 'Order Updated', properties: { order_id: 'O-1', status: 'shipped' } }),
    );
    expect(odd.order).toMatchObject({ fields: { attributes: { status: 'shipped' } }, missingForCreate: ['total'] });
    expect(odd.order!.kind === 'upsert' && odd.order!.fields.status).toBeUndefined();
  });
});

describe('readSegmentBody and limits', () => {
  it('reads a batch with its sentAt and context, or one message', () => {
    expect(readSegmentBody({ batch: [1], sentAt: 's', context: { c: 1 } }, 'batch')).toEqual({
      messages: [1],
      sentAt: 's',
      context: { c: 1 },
      single: false,
    });
    expect(readSegmentBody({ event: 'x' }, 'track')).toMatchObject({ messages: [{ event: 'x' }], single: true });
    expect(readSegmentBody({ events: [] }, 'batch')).toMatchObject({ code: 'VALIDATION_FAILED', path: '/batch' });
    expect(readSegmentBody([], 'track')).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses, in one walk, a message nested too deep or over 32 KB, and serializes only those that may be', () => {
    expect(inspectMessage({ type: 'track', properties: { a: [1, 'two', null, { b: true }] } })).toBeNull();
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(inspectMessage(deep)).toMatchObject({ code: 'VALIDATION_FAILED' });
    // 6 KB of text bounds at 36 KB, but is 6 KB: measured, and kept.
    expect(inspectMessage({ blob: 'x'.repeat(6 * 1024) })).toBeNull();
    expect(inspectMessage({ blob: 'x'.repeat(33 * 1024) })).toMatchObject({ code: 'EVENT_TOO_LARGE' });
    expect(inspectMessage({ list: Array.from({ length: 4000 }, () => 'abcdefgh') })).toMatchObject({
      code: 'EVENT_TOO_LARGE',
    });
  });

  it('measures a message in UTF-8 bytes against 32 KB', () => {
    expect(messageTooLarge({ blob: 'x'.repeat(32 * 1024 - 20) })).toBe(false);
    expect(messageTooLarge({ blob: 'x'.repeat(32 * 1024) })).toBe(true);
    expect(messageTooLarge({ blob: 'é'.repeat(17 * 1024) })).toBe(true);
  });
});

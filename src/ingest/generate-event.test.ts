import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Adapted, StoreEvent } from '../domain/store-event.js';
import { adaptGenerateEvent } from './generate-event.js';

const ctx = { storeId: 'st_test', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' };
const receivedAt = Date.parse('2026-11-21T10:00:00Z');
const seed = () =>
  JSON.parse(readFileSync(new URL('../../test/fixtures/seeds/003_order_created.json', import.meta.url), 'utf8'));
const body = (eventTypeKey: string, params: Record<string, unknown>, keyValue?: string) => ({
  eventTypeKey,
  ...(keyValue !== undefined ? { keyValue } : {}),
  params: Object.entries(params).map(([name, value]) => ({ name, value })),
});
const item = {
  externalItemId: 'i1',
  name: 'Thing',
  quantity: 2,
  cost: '12.50',
  url: 'https://s/i1',
  imageUrl: 'https://s/i1.png',
};
const order = (extra: Record<string, unknown> = {}) => ({
  externalOrderId: 'o1',
  email: 'a@example.com',
  totalCost: 25,
  status: 'INITIALIZED',
  date: '2026-11-01 12:00:00',
  items: [item],
  ...extra,
});

const adapt = (payload: unknown, idempotencyKey?: string): Adapted =>
  adaptGenerateEvent({ body: payload, idempotencyKey, receivedAt }, ctx);
function accepted(payload: unknown, idempotencyKey?: string): StoreEvent {
  const result = adapt(payload, idempotencyKey);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
  return result.event;
}
function refused(payload: unknown) {
  const result = adapt(payload);
  if (result.ok) throw new Error('accepted');
  return result.error;
}

describe('adaptGenerateEvent (seed 003)', () => {
  it("reads seed 003's example: identity from phone and customer id, amounts as sent, date in the store's zone", () => {
    const event = accepted(seed());
    expect(event).toMatchObject({
      name: 'order_created',
      source: 'generate_event',
      kind: 'activity',
      identity: { customerId: 'AV13760', phone: '+380501234567' },
      occurredAt: Date.parse('2020-05-14T10:11:00+05:30'),
      timestamp: '2020-05-14T04:41:00.000+00:00',
    });
    expect(event.order).toMatchObject({
      kind: 'upsert',
      orderId: '12345679',
      missingForCreate: [],
      fields: {
        status: 'INITIALIZED',
        totalCost: '258.0',
        currency: 'UAH',
        orderedAt: Date.parse('2020-05-14T04:41:00Z'),
      },
    });
    const fields = event.order!.kind === 'upsert' ? event.order!.fields : {};
    expect(fields.items).toEqual([
      {
        externalItemId: '200600',
        name: 'Super Device',
        quantity: 1,
        cost: 990,
        url: 'http://example.com/item/200600',
        imageUrl: 'http://example.com/item/200600/image.png',
        extra: { category: 'devices', description: 'High quality' },
      },
    ]);
    expect(event.products).toEqual([
      expect.objectContaining({ productId: '200600', title: 'Super Device', priceMinor: null, currency: null }),
    ]);
  });

  it('names one event id per content, and the Idempotency-Key instead when given', () => {
    expect(accepted(seed()).eventId).toBe(accepted(seed()).eventId);
    const other = seed();
    other.params[3].value = '259.0';
    expect(accepted(other).eventId).not.toBe(accepted(seed()).eventId);
    expect(accepted(seed(), 'abc').eventId).toBe(accepted(other, 'abc').eventId);
    expect(accepted(seed(), 'abc').eventId).not.toBe(accepted(seed(), 'abd').eventId);
  });

  it('lists every missing orderCreated param at once, treating blank text as missing', () => {
    expect(refused(body('orderCreated', { currency: 'INR' })).details).toEqual({
      missing: ['externalOrderId', 'totalCost', 'status', 'date', 'externalCustomerId|email|phone'],
    });
    expect(
      refused(body('orderCreated', order({ status: ' ', date: '', items: [{ ...item, url: '  ', cost: null }] })))
        .details,
    ).toEqual({
      missing: ['status', 'date', 'items[0].cost', 'items[0].url'],
    });
    expect(refused(body('orderCreated', order({ externalOrderId: '   ' }))).details).toEqual({
      missing: ['externalOrderId'],
    });
  });

  it('lets orderUpdated through with what it lacks, for the engine to judge against the stored order', () => {
    const event = accepted(body('orderUpdated', { externalOrderId: 'o1', status: 'DELIVERED' }));
    expect(event.order).toMatchObject({
      kind: 'upsert',
      orderId: 'o1',
      fields: { status: 'DELIVERED' },
      missingForCreate: ['totalCost', 'date', 'externalCustomerId|email|phone'],
    });
    expect(event.occurredAt).toBe(receivedAt);
    expect(
      refused(body('orderUpdated', { externalOrderId: 'o1', items: [{ ...item, imageUrl: undefined }] })).details,
    ).toEqual({ missing: ['items[0].imageUrl'] });
  });

  it('turns orderDelivered / orderCancelled into a status change needing only externalOrderId', () => {
    expect(accepted(body('OrderDelivered', { ExternalOrderId: 'o1' })).order).toEqual({
      kind: 'set_status',
      orderId: 'o1',
      status: 'DELIVERED',
    });
    expect(accepted(body('orderCancelled', { externalOrderId: 77 })).order).toEqual({
      kind: 'set_status',
      orderId: '77',
      status: 'CANCELLED',
    });
    expect(refused(body('orderCancelled', {})).code).toBe('MISSING_REQUIRED_PARAMS');
  });

  it('reads identifiers from any of the default params, else from keyValue', () => {
    const identity = (params: Record<string, unknown>, keyValue?: string) =>
      accepted(body('pageVisit', params, keyValue)).identity;
    expect(identity({ CONTACT_KEY: 'k-1' })).toEqual({ customerId: 'k-1' });
    expect(identity({ ContactEmail: 'X@Example.COM', sms: '9711166382' })).toEqual({
      email: 'x@example.com',
      phone: '+919711166382',
    });
    expect(identity({ page: '/' }, 'Key@Example.com')).toEqual({ email: 'key@example.com' });
    expect(identity({ page: '/' }, '380501234567')).toEqual({ phone: '+380501234567' });
    expect(identity({ page: '/' }, 'AV13760')).toEqual({ customerId: 'AV13760' });
    expect(identity({ email: 'not-an-email', externalCustomerId: 'c1' })).toEqual({ customerId: 'c1' });
    expect(refused(body('pageVisit', { page: '/' })).code).toBe('NO_IDENTIFIER');
  });

  it('keeps extra params as order attributes, under the names GET /v1/orders reads', () => {
    const event = accepted(
      body('orderCreated', order({ PAYMENTTYPE: 'COD', ShippingAddress: { city: 'Pune' }, giftNote: 'hi' })),
    );
    const fields = event.order!.kind === 'upsert' ? event.order!.fields : {};
    expect(fields.attributes).toEqual({ paymentType: 'COD', shippingAddress: { city: 'Pune' }, giftNote: 'hi' });
    expect(event.data).toMatchObject({ PAYMENTTYPE: 'COD', ShippingAddress: { city: 'Pune' } });
  });

  it('parses items given as a JSON string and refuses values of the wrong kind', () => {
    const event = accepted(body('orderCreated', order({ items: JSON.stringify([item]) })));
    expect(event.order).toMatchObject({
      fields: { items: [expect.objectContaining({ externalItemId: 'i1', quantity: 2, cost: '12.50' })] },
    });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ items: '[oops' }, 'INVALID_PARAM', 'items'],
      [{ items: [{ ...item, quantity: 0 }] }, 'INVALID_PARAM', 'items'],
      [{ items: [{ ...item, cost: 'ten' }] }, 'INVALID_PARAM', 'items'],
      [{ status: 'PAID' }, 'INVALID_PARAM', 'status'],
      [{ totalCost: '25,00' }, 'INVALID_PARAM', 'totalCost'],
      [{ date: '2026-13-01T00:00:00' }, 'INVALID_TIMESTAMP', 'date'],
    ];
    for (const [override, code, param] of cases) {
      expect(refused(body('orderCreated', order(override))), JSON.stringify(override)).toMatchObject({
        code,
        details: { param },
      });
    }
  });
});

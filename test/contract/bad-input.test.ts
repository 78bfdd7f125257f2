import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { contactBy, segmentPost } from '../support/segment.js';

type Json = any;

/** A number no Date can hold, written out as 30 digits. */
const THIRTY_DIGITS = '123456789012345678901234567890';
/** JSON text of `value` with the placeholder string "__HUGE__" replaced by a raw number literal. */
const withRawNumber = (value: unknown, literal: string) => JSON.stringify(value).replace('"__HUGE__"', literal);

/**
 * Bad input never breaks the server: a numeric time out of any calendar's range is a 400 naming
 * the field (Segment keeps the event at its arrival time, as Segment does); an id holding a lone
 * UTF-16 surrogate is one id, so a retry is a duplicate, not a 500 forever; and Segment's own
 * documentation sample time is accepted.
 */
describeEachDatabase('bad input never breaks the server', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  const routes: { name: string; url: (token: string) => string; body: Json; field: string; path: string }[] = [
    {
      name: 'native event',
      url: () => '/v1/events',
      body: seedEvent('product_view', { event_id: 'huge-1', timestamp: '__HUGE__' }),
      field: 'timestamp',
      path: '/timestamp',
    },
    {
      name: 'ingest URL',
      url: (token) => `/v1/ingest/${token}/events`,
      body: seedEvent('product_view', { event_id: 'huge-2', timestamp: '__HUGE__' }),
      field: 'timestamp',
      path: '/timestamp',
    },
    {
      name: 'generate-event date',
      url: () => '/v1/generate-event',
      body: (() => {
        const seed = fixture('seeds/003_order_created.json');
        seed.params = seed.params.map((p: Json) => (p.name.toLowerCase() === 'date' ? { ...p, value: '__HUGE__' } : p));
        return seed;
      })(),
      field: 'date',
      path: 'params/date',
    },
    {
      name: 'shipment updatedAt',
      url: () => '/v1/shipments/events',
      body: { shipmentId: 'S-HUGE', orderId: 'O-HUGE', status: 'shipped', updatedAt: '__HUGE__' },
      field: 'updatedAt',
      path: '/updatedAt',
    },
  ];

  for (const route of routes) {
    it(`${route.name}: ${route.field} of 1e308 or 30 digits is a 400 naming it, never a 500`, async () => {
      for (const literal of ['1e308', THIRTY_DIGITS, '-1e308']) {
        const res = await h.call('POST', route.url(h.shop.ingestToken), withRawNumber(route.body, literal), {
          as: route.name === 'ingest URL' ? null : h.shop,
        });
        expect(res.statusCode, `${literal}: ${res.body}`).toBe(400);
        const body = res.json();
        const error = body.error.code === 'INVALID_EVENTS' ? body.error.details.rejected[0].error : body.error;
        expect(error.code, res.body).toBe('INVALID_TIMESTAMP');
        expect(JSON.stringify(error), res.body).toContain(route.path);
      }
    });
  }

  it('Segment: a time out of range keeps the event at its arrival time, with a warning', async () => {
    clock.set('2026-03-01T12:00:00Z');
    const res = await segmentPost(
      h,
      '/v1/batch',
      JSON.parse(
        withRawNumber(
          {
            batch: [
              { type: 'track', messageId: 'seg-huge-1', userId: 'seg-huge', event: 'Huge', timestamp: '__HUGE__' },
            ],
          },
          '1e308',
        ),
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, warnings: [{ index: 0, code: 'TIMESTAMP_REPLACED' }] });
    const shopper = await contactBy(h, 'customer_id', 'seg-huge');
    expect(shopper.recentEvents[0]).toMatchObject({ name: 'Huge', occurredAt: '2026-03-01T12:00:00.000Z' });
  });

  it('accepts Segment\'s own sample time "2015-2-02T00:30:08.276Z", and the user appears', async () => {
    const identify = {
      ...fixture('segment/http_api_identify_example.json'),
      userId: 'sample-2015',
      timestamp: '2015-2-02T00:30:08.276Z',
    };
    delete identify.writeKey;
    const res = await segmentPost(h, '/v1/identify', identify);
    expect(res.statusCode, res.body).toBe(200);
    const track = await segmentPost(h, '/v1/batch', {
      batch: [{ type: 'track', userId: 'sample-2015', event: 'Sampled', timestamp: '2015-2-02T00:30:08.276Z' }],
    });
    expect(track.json()).toMatchObject({ accepted: 1, warnings: [] });
    const shopper = await contactBy(h, 'customer_id', 'sample-2015');
    expect(shopper).not.toBeNull();
    expect(shopper.recentEvents.find((e: Json) => e.name === 'Sampled').occurredAt).toBe('2015-02-02T00:30:08.276Z');
  });

  it('an id holding a lone surrogate is stored once; every retry is a duplicate, never a 500', async () => {
    const lone = '\ud800y';
    const event = seedEvent('product_view', { event_id: lone, timestamp: '2026-03-01T10:00:00Z' });
    const text = JSON.stringify(event);
    expect(text).toContain('\\ud800y');
    const first = await h.call('POST', '/v1/events', text);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    for (let i = 0; i < 3; i++) {
      const again = await h.call('POST', '/v1/events', text);
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    }
    // Through the ingest URL too, and the same id with U+FFFD (what was stored) is the same event.
    const viaUrl = await h.call('POST', `/v1/ingest/${h.shop.ingestToken}/events`, text, { as: null });
    expect(viaUrl.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const replaced = await h.post('/v1/events', { ...event, event_id: '\ufffdy' });
    expect(replaced.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const message = { type: 'track', messageId: `seg${lone}`, userId: 'lone-shopper', event: 'Lonely' };
    const seg1 = await segmentPost(h, '/v1/track', message);
    expect(seg1.json()).toMatchObject({ accepted: 1 });
    for (let i = 0; i < 2; i++) {
      const seg = await segmentPost(h, '/v1/batch', { batch: [message] });
      expect(seg.statusCode, seg.body).toBe(200);
      expect(seg.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    }
  });

  it('a customer id or name of one 3,000-letter word is stored and found by its beginning (PostgreSQL refuses words over 2,047 bytes)', async () => {
    const word = 'ü'.repeat(3000);
    const seed = fixture('seeds/003_order_created.json');
    seed.params = seed.params.map((p: Json) => (p.name === 'externalCustomerId' ? { ...p, value: word } : p));
    seed.params.push({ name: 'customerName', value: `Long ${'n'.repeat(3000)}` });
    const res = await h.call('POST', '/v1/generate-event', JSON.stringify({ ...seed, eventTypeKey: 'long_word' }));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    // Native events hold ids to 256 characters, and say so.
    const event = await h.post(
      '/v1/events',
      seedEvent('product_view', { event_id: 'long-1', customer: { customer_id: word } }),
    );
    expect(event.statusCode).toBe(400);
    expect(event.body).toContain('/customer/customer_id must');
    expect(event.body).toContain('256');
    const found = (await h.get(`/v1/contacts?q=${encodeURIComponent('ü'.repeat(20))}`)).json().contacts;
    expect(found.map((c: Json) => c.customerId)).toEqual([word]);
  });
});

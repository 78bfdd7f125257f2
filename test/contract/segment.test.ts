import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { ManualClock } from '../support/clock.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { basicAuth, contactBy, segmentPost, track } from '../support/segment.js';

/** Segment's HTTP tracking API: what a Segment client sends, and what it is answered. */
describeEachDatabase('Segment ingest', (target) => {
  const clock = new ManualClock(Date.parse('2026-11-21T10:00:00Z'));
  const h = useHarness(target, { clock });

  it("takes Segment's HTTP API examples as they are, and a replay of one is a duplicate", async () => {
    const identify = fixture('segment/http_api_identify_example.json');
    const trackCall = fixture('segment/http_api_track_example.json');
    // The examples carry writeKey "YOUR_WRITE_KEY"; the Basic header names the real key and wins.
    const first = await segmentPost(h, '/v1/identify', identify);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ success: true, accepted: 1, duplicates: 0, rejected: [], warnings: [] });
    expect((await segmentPost(h, '/v1/track', trackCall)).json()).toMatchObject({ success: true, accepted: 1 });
    // No messageId: the content (with its timestamp) identifies the message.
    expect((await segmentPost(h, '/v1/track', trackCall)).json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const contact = await contactBy(h, 'customer_id', '019mr8mf4r');
    expect(contact).toMatchObject({
      email: 'pgibbons@example.com',
      name: 'Peter Gibbons',
      attributes: { industry: 'Technology' },
    });
    expect(contact.recentEvents).toEqual([
      expect.objectContaining({
        name: 'Item Purchased',
        source: 'segment',
        kind: 'activity',
        occurredAt: '2012-12-02T00:30:12.984Z',
        data: { name: 'Leap to Conclusions Mat', revenue: 14.99 },
      }),
      expect.objectContaining({ name: 'identify', kind: 'system', occurredAt: '2012-12-02T00:30:08.276Z' }),
    ]);
  });

  it('authenticates with the write key as Basic user, as writeKey in the body, or with the store API key; else 401 and nothing is stored', async () => {
    const message = (id: string) => ({ messageId: id, userId: 'auth-shopper', event: 'Signed Up' });
    expect((await segmentPost(h, '/v1/track', message('auth-1'), null)).statusCode).toBe(401);
    const unknown = await segmentPost(h, '/v1/track', message('auth-2'), 'sw_ing_not-a-real-token');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('UNAUTHORIZED');
    // A wrong key in the header is not rescued by a right one in the body.
    expect(
      (
        await segmentPost(
          h,
          '/v1/batch',
          { batch: [{ type: 'track', ...message('auth-3') }], writeKey: h.shop.ingestToken },
          'wrong',
        )
      ).statusCode,
    ).toBe(401);
    expect(await contactBy(h, 'customer_id', 'auth-shopper')).toBeNull();

    const inBody = await h.call(
      'POST',
      '/v1/batch',
      { batch: [{ type: 'track', ...message('auth-4') }], writeKey: h.shop.ingestToken },
      { as: null },
    );
    expect(inBody.json()).toMatchObject({ success: true, accepted: 1 });
    expect((await segmentPost(h, '/v1/track', message('auth-5'), h.shop.apiKey)).json()).toMatchObject({ accepted: 1 });
    const bearer = await h.call('POST', '/v1/track', message('auth-6'), {
      as: null,
      headers: { authorization: `Bearer ${h.shop.ingestToken}` },
    });
    expect(bearer.json()).toMatchObject({ accepted: 1 });
    // analytics.js posts to /v1/t with text/plain and the key in the body.
    const browser = await h.call(
      'POST',
      '/v1/t',
      JSON.stringify({ ...message('auth-7'), writeKey: h.shop.ingestToken }),
      { as: null, headers: { 'content-type': 'text/plain' } },
    );
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['access-control-allow-origin']).toBe('*');
    expect((await contactBy(h, 'customer_id', 'auth-shopper')).recentEvents).toHaveLength(4);
    // Another store's key files the message under that store.
    const other = await h.newStore({ name: 'Other' });
    await segmentPost(h, '/v1/track', message('auth-8'), other.ingestToken);
    expect((await h.get('/v1/contacts?customer_id=auth-shopper', other)).json().contacts).toHaveLength(1);
  });

  it("corrects the client's clock skew: receivedAt - (sentAt - timestamp); without sentAt the timestamp; without either, the time it arrived", async () => {
    clock.set('2026-11-21T10:00:00Z');
    // The client's clock is an hour fast: it sent at 11:00 (its time) what happened at 10:55 (its time).
    const res = await segmentPost(h, '/v1/batch', {
      sentAt: '2026-11-21T11:00:00.000Z',
      batch: [
        {
          type: 'track',
          messageId: 'skew-1',
          userId: 'skew-shopper',
          event: 'Skewed',
          timestamp: '2026-11-21T10:55:00.000Z',
        },
        // A message's own sentAt wins over the batch's.
        {
          type: 'track',
          messageId: 'skew-2',
          userId: 'skew-shopper',
          event: 'Own sentAt',
          timestamp: '2026-11-21T10:55:00.000Z',
          sentAt: '2026-11-21T10:56:00.000Z',
        },
        // A timestamp after sentAt cannot be; the event is put when it arrived, never later.
        {
          type: 'track',
          messageId: 'skew-3',
          userId: 'skew-shopper',
          event: 'From the future',
          timestamp: '2026-11-21T12:00:00.000Z',
        },
        {
          type: 'track',
          messageId: 'skew-4',
          userId: 'skew-shopper',
          event: 'Bad sentAt',
          timestamp: '2026-11-21T09:00:00.000Z',
          sentAt: 'yesterday',
        },
      ],
    });
    expect(res.json()).toMatchObject({ accepted: 4, warnings: [{ index: 3, code: 'INVALID_SENT_AT' }] });
    await segmentPost(h, '/v1/track', {
      messageId: 'skew-5',
      userId: 'skew-shopper',
      event: 'No sentAt',
      timestamp: '2026-11-20T08:00:00Z',
    });
    clock.set('2026-11-21T10:30:00Z');
    await segmentPost(h, '/v1/track', { messageId: 'skew-6', userId: 'skew-shopper', event: 'No time at all' });
    const times = Object.fromEntries(
      (await contactBy(h, 'customer_id', 'skew-shopper')).recentEvents.map(
        (e: { name: string; occurredAt: string; timestamp: string }) => [e.name, e.occurredAt],
      ),
    );
    expect(times).toEqual({
      Skewed: '2026-11-21T09:55:00.000Z',
      'Own sentAt': '2026-11-21T09:59:00.000Z',
      'From the future': '2026-11-21T10:00:00.000Z',
      'Bad sentAt': '2026-11-21T09:00:00.000Z',
      'No sentAt': '2026-11-20T08:00:00.000Z',
      'No time at all': '2026-11-21T10:30:00.000Z',
    });
    // What Segment cannot read as a time, it keeps at the time it arrived (a 400 would make the
    // client drop the whole batch); so does Storewire, with a warning.
    for (const [i, timestamp] of ['not a time', 1e308, '1'.repeat(30)].entries()) {
      const bad = await segmentPost(h, '/v1/track', {
        messageId: `skew-bad-${i}`,
        userId: 'skew-shopper',
        event: `Unreadable ${i}`,
        timestamp,
      });
      expect(bad.statusCode, String(timestamp)).toBe(200);
      expect(bad.json()).toMatchObject({ accepted: 1, warnings: [{ code: 'TIMESTAMP_REPLACED' }] });
    }
    const kept = (await contactBy(h, 'customer_id', 'skew-shopper')).recentEvents.filter((e: { name: string }) =>
      e.name.startsWith('Unreadable'),
    );
    expect(kept.map((e: { occurredAt: string }) => e.occurredAt)).toEqual(Array(3).fill('2026-11-21T10:30:00.000Z'));
  });

  it('deduplicates on messageId, across requests and within one batch', async () => {
    const m = { type: 'track', messageId: 'dup-1', userId: 'dup-shopper', event: 'Clicked' };
    expect((await segmentPost(h, '/v1/batch', { batch: [m, m, { ...m, messageId: 'dup-2' }] })).json()).toMatchObject({
      accepted: 2,
      duplicates: 1,
    });
    // A retry of the whole batch (the client timed out waiting) changes nothing.
    expect((await segmentPost(h, '/v1/batch', { batch: [m, { ...m, messageId: 'dup-2' }] })).json()).toMatchObject({
      accepted: 0,
      duplicates: 2,
    });
    expect((await contactBy(h, 'customer_id', 'dup-shopper')).recentEvents).toHaveLength(2);
  });

  it('keeps the history of an anonymous shopper who later identifies: one contact', async () => {
    const anon = { anonymousId: 'anon-1' };
    await segmentPost(h, '/v1/batch', {
      batch: [
        {
          type: 'page',
          messageId: 'an-1',
          ...anon,
          name: 'Home',
          properties: { url: 'https://shop.example/' },
          timestamp: '2026-11-20T10:00:00Z',
        },
        track('Product Viewed', { product_id: 'P-1', name: 'Kurta', price: 999, currency: 'INR' }, anon),
        track('Product Added', { product_id: 'P-1', name: 'Kurta', price: 999, currency: 'INR', quantity: 1 }, anon),
      ],
    });
    const before = await contactBy(h, 'anonymous_id', 'anon-1');
    expect(before).toMatchObject({ customerId: null, email: null, cart: { status: 'active', total: 999 } });

    const identified = await segmentPost(h, '/v1/identify', {
      messageId: 'an-4',
      userId: 'user-1',
      anonymousId: 'anon-1',
      traits: {
        email: 'Asha@Example.com',
        phone: '98765 43210',
        firstName: 'Asha',
        lastName: 'Rao',
        plan: 'gold',
        address: { city: 'Pune' },
      },
      timestamp: '2026-11-20T10:05:00Z',
    });
    expect(identified.json()).toMatchObject({ accepted: 1, warnings: [] });
    const after = await contactBy(h, 'customer_id', 'user-1');
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({
      customerId: 'user-1',
      email: 'asha@example.com',
      phone: '+919876543210',
      name: 'Asha Rao',
      attributes: { plan: 'gold', address: { city: 'Pune' } },
      cart: { status: 'active', total: 999 },
    });
    expect(after.identities).toEqual(
      expect.arrayContaining([
        { kind: 'anonymous_id', value: 'anon-1' },
        { kind: 'customer_id', value: 'user-1' },
      ]),
    );
    expect(after.recentEvents.map((e: { name: string }) => e.name)).toEqual([
      'identify',
      'cart_update',
      'product_view',
      'page_view',
    ]);
    // Later events by either id, or by the email, land on the same contact.
    await segmentPost(h, '/v1/track', {
      messageId: 'an-5',
      anonymousId: 'anon-1',
      event: 'Scrolled',
      context: { traits: { email: 'asha@example.com' } },
    });
    expect((await contactBy(h, 'email', 'asha@example.com')).recentEvents).toHaveLength(5);
  });

  it('alias joins a previous id to the user id: two contacts that were one person become one', async () => {
    await segmentPost(h, '/v1/identify', {
      messageId: 'al-1',
      userId: 'user-2',
      traits: { email: 'ravi@example.com' },
      timestamp: '2026-11-19T10:00:00Z',
    });
    clock.advance(1000);
    await segmentPost(h, '/v1/track', {
      messageId: 'al-2',
      anonymousId: 'anon-2',
      event: 'Browsed',
      timestamp: '2026-11-20T10:00:00Z',
    });
    const known = await contactBy(h, 'customer_id', 'user-2');
    expect((await contactBy(h, 'anonymous_id', 'anon-2')).id).not.toBe(known.id);

    const res = await segmentPost(h, '/v1/alias', {
      messageId: 'al-3',
      previousId: 'anon-2',
      userId: 'user-2',
      timestamp: '2026-11-20T10:01:00Z',
    });
    expect(res.json()).toMatchObject({ accepted: 1, warnings: [{ code: 'CONTACTS_MERGED' }] });
    const merged = await contactBy(h, 'anonymous_id', 'anon-2');
    expect(merged.id).toBe(known.id);
    expect(merged.recentEvents.map((e: { name: string }) => e.name)).toEqual(['alias', 'Browsed', 'identify']);
    expect((await segmentPost(h, '/v1/alias', { messageId: 'al-4', userId: 'user-2' })).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { path: '/previousId' },
    });
  });

  it('answers 400 only for a malformed or oversized request; a bad message in a batch is listed and the rest stored', async () => {
    const invalidJson = await h.call('POST', '/v1/batch', '{"batch": [', {
      as: null,
      headers: { authorization: basicAuth(h.shop.ingestToken) },
    });
    expect([invalidJson.statusCode, invalidJson.json().error.code]).toEqual([400, 'INVALID_JSON']);
    const notBatch = await segmentPost(h, '/v1/batch', { events: [] });
    expect([notBatch.statusCode, notBatch.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await segmentPost(h, '/v1/batch', { batch: [] })).json()).toEqual({
      success: true,
      accepted: 0,
      duplicates: 0,
      rejected: [],
      warnings: [],
    });

    const big = 'x'.repeat(40 * 1024);
    const oversizedBatch = await segmentPost(h, '/v1/batch', {
      batch: Array.from({ length: 18 }, (_, i) => ({
        type: 'track',
        messageId: `big-${i}`,
        userId: 'big-shopper',
        event: 'Big',
        properties: { blob: big.slice(0, 30 * 1024) },
      })),
    });
    expect([oversizedBatch.statusCode, oversizedBatch.json().error.code]).toEqual([400, 'BATCH_TOO_LARGE']);
    const oversizedCall = await segmentPost(h, '/v1/track', {
      messageId: 'big-x',
      userId: 'big-shopper',
      event: 'Big',
      properties: { blob: big },
    });
    expect([oversizedCall.statusCode, oversizedCall.json().error.code]).toEqual([400, 'EVENT_TOO_LARGE']);
    expect(await contactBy(h, 'customer_id', 'big-shopper')).toBeNull();

    const mixed = await segmentPost(h, '/v1/batch', {
      batch: [
        { type: 'track', messageId: 'mix-1', userId: 'mix-shopper', event: 'Fine' },
        { type: 'track', messageId: 'mix-2', userId: 'mix-shopper', event: 'Too big', properties: { blob: big } },
        { type: 'track', messageId: 'mix-3', event: 'Nobody' },
        { type: 'track', messageId: 'mix-4', userId: 'mix-shopper' },
        { type: 'launch', messageId: 'mix-5', userId: 'mix-shopper' },
        { type: 'identify', messageId: 'mix-6', userId: 'mix-shopper', traits: { email: 'not-an-email' } },
        'not a message',
      ],
    });
    expect(mixed.statusCode).toBe(200);
    const body = mixed.json();
    expect(body).toMatchObject({ success: true, accepted: 2, warnings: [{ index: 5, code: 'INVALID_EMAIL' }] });
    expect(body.rejected.map((r: { index: number; error: { code: string } }) => [r.index, r.error.code])).toEqual([
      [1, 'EVENT_TOO_LARGE'],
      [2, 'NO_IDENTIFIER'],
      [3, 'VALIDATION_FAILED'],
      [4, 'VALIDATION_FAILED'],
      [6, 'VALIDATION_FAILED'],
    ]);
    // Every message of a batch refused: still a well-formed request, answered 200 with the list.
    const allBad = await segmentPost(h, '/v1/batch', { batch: [{ type: 'track', event: 'Nobody' }] });
    expect(allBad.statusCode).toBe(200);
    expect(allBad.json()).toMatchObject({
      success: true,
      accepted: 0,
      rejected: [{ index: 0, error: { code: 'NO_IDENTIFIER' } }],
    });
    // A lone call that is refused is a 400 with its reason.
    expect((await segmentPost(h, '/v1/track', { event: 'Nobody' })).json().error.code).toBe('NO_IDENTIFIER');
  });

  it('reads a gzip-compressed body (RudderStack compresses by default)', async () => {
    const body = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', messageId: 'gz-1', userId: 'gz-shopper', event: 'Zipped' }] }),
    );
    const res = await h.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: body,
      headers: {
        authorization: basicAuth(h.shop.ingestToken),
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
    });
    expect(res.json()).toMatchObject({ success: true, accepted: 1 });
    const garbage = await h.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: 'not gzip',
      headers: { authorization: basicAuth(h.shop.ingestToken), 'content-encoding': 'gzip' },
    });
    expect(garbage.statusCode).toBe(400);
  });

  it('documents the Segment routes in /openapi.json, with the write-key scheme', async () => {
    const doc = (await h.call('GET', '/openapi.json', undefined, { as: null })).json();
    expect(doc.components.securitySchemes.segmentWriteKey).toMatchObject({ type: 'http', scheme: 'basic' });
    for (const path of ['/v1/batch', '/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias']) {
      expect(doc.paths[path]?.post?.security, path).toEqual([{ segmentWriteKey: [] }]);
    }
    // analytics.js's one-letter aliases work but are not listed twice.
    expect(doc.paths['/v1/t']).toBeUndefined();
    expect(JSON.stringify(doc.paths['/v1/batch'].post.requestBody)).toContain('messageId');
  });

  it('answers a browser preflight on the Segment paths', async () => {
    const res = await h.app.server.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toContain('authorization');
  });
});

import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

describeEachDatabase('operations: health, metrics, OpenAPI', (target) => {
  const h = useHarness(target);

  it('GET /healthz says the database answers, without a key', async () => {
    const res = await h.call('GET', '/healthz', undefined, { as: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: target.dialect });
  });

  it('GET /metrics counts events by source and outcome, responses by status, and group commits', async () => {
    await h.post('/v1/events', [
      seedEvent('product_view', { event_id: 'm-1', customer: { customer_id: 'metrics-shopper' } }),
      { event_id: 'm-bad' },
    ]);
    await h.post(
      '/v1/events',
      seedEvent('product_view', { event_id: 'm-1', customer: { customer_id: 'metrics-shopper' } }),
    );
    const res = await h.call('GET', '/metrics', undefined, { as: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('# TYPE storewire_events_total counter');
    expect(text).toMatch(/^storewire_events_total\{source="native",outcome="accepted"\} 1$/m);
    expect(text).toMatch(/^storewire_events_total\{source="native",outcome="duplicate"\} 1$/m);
    expect(text).toMatch(/^storewire_events_total\{source="native",outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^storewire_http_responses_total\{status="202"\} 2$/m);
    expect(Number(/^storewire_group_commits_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
  });

  it('GET /metrics shows each background loop and batcher of work/ by name', async () => {
    await h.post(
      '/v1/events',
      seedEvent('product_view', { event_id: 'w-1', customer: { customer_id: 'work-shopper' } }),
    );
    const text = (await h.call('GET', '/metrics', undefined, { as: null })).body;
    for (const loop of ['journeys', 'dispatcher', 'webhook deliveries', 'sandbox status feed'])
      for (const name of ['turns', 'failures', 'wakes'])
        expect(text).toMatch(new RegExp(`^storewire_loop_${name}_total\\{loop="${loop}"\\} \\d+$`, 'm'));
    for (const batcher of ['events', 'queued messages', 'send outcomes', 'sandbox reports'])
      for (const name of ['commits_total', 'items_total', 'failures_total', 'overloads_total', 'queued'])
        expect(text).toMatch(new RegExp(`^storewire_batcher_${name}\\{batcher="${batcher}"\\} \\d+$`, 'm'));
    expect(
      Number(/^storewire_batcher_commits_total\{batcher="events"\} (\d+)$/m.exec(text)?.[1]),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^storewire_batcher_queued\{batcher="events"\} 0$/m);
  });

  it('GET /openapi.json documents every route with its schemas and the bearer scheme', async () => {
    const res = await h.call('GET', '/openapi.json', undefined, { as: null });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.storeKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const paths = Object.keys(doc.paths);
    for (const path of [
      '/v1/events',
      '/v1/ingest/{ingestToken}/events',
      '/v1/generate-event',
      '/v1/shipments/events',
      '/v1/orders/{orderId}',
      '/v1/orders/{orderId}/whatsapp-subscription',
      '/v1/contacts',
      '/v1/contacts/export',
      '/v1/contacts/{id}',
      '/v1/products/{productId}',
      '/v1/customers/{customer_id}/recent-events',
      '/fetch-user-events',
      '/v1/session',
      '/v1/contacts/{id}/timeline',
      '/v1/orders',
      '/t/{token}',
      '/sign-in/{token}',
      '/healthz',
      '/metrics',
    ]) {
      expect(paths, path).toContain(path);
    }
    const events = doc.paths['/v1/events'].post;
    // The store's key, or a dashboard session (docs/dashboard.md).
    expect(events.security).toEqual([{ storeKey: [] }, { session: [] }]);
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sw_session' });
    expect(JSON.stringify(events.requestBody)).toContain('event_id');
    expect(JSON.stringify(doc.paths['/v1/generate-event'].post.requestBody)).toContain('eventTypeKey');
    expect(JSON.stringify(doc.paths['/v1/shipments/events'].post.requestBody)).toContain('failed_delivery');
  });

  it('answers an unknown route with NOT_FOUND in the error shape', async () => {
    const res = await h.get('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' } });
  });
});

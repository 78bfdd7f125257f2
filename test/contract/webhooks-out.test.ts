import { createHmac, timingSafeEqual } from 'node:crypto';
import { claimDueDeliveries } from '../../src/storage/webhook-deliveries.js';
import { WorkerPresence } from '../../src/work/presence.js';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { WebhookDeliveryWorker } from '../../src/webhooks-out/delivery-worker.js';
import { enqueueWebhookDeliveries, type WebhookEventItem } from '../../src/webhooks-out/enqueue.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The store's side: a real HTTP server on loopback that records deliveries and answers as told per path. */
class Receiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, number | 'hang'>();
  private readonly waiters: (() => void)[] = [];
  private readonly hung: ServerResponse[] = [];
  private server!: Server;
  private nextPath = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        this.waiters.splice(0).forEach((w) => w());
        const answer = this.answers.get(path) ?? 200;
        if (answer === 'hang') return void this.hung.push(res);
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? `no thanks (${answer})` : 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
  /** A fresh endpoint URL on this server, answering `answer`. */
  endpoint(answer: number | 'hang' = 200): { url: string; path: string; answer(status: number | 'hang'): void } {
    const path = `/hooks/${++this.nextPath}`;
    this.answers.set(path, answer);
    return {
      url: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`,
      path,
      answer: (status) => this.answers.set(path, status),
    };
  }
  /** Answers 200 to the requests left hanging so far. */
  releaseHung(): void {
    for (const res of this.hung.splice(0)) res.writeHead(200).end();
  }
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
  async waitFor(path: string, count: number): Promise<void> {
    while (this.at(path).length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** What docs/webhooks.md tells a store to do, in plain Node. */
function verifiedByStore(secret: string, r: Received, nowSeconds: number): boolean {
  const timestamp = String(r.headers['x-storewire-timestamp']);
  const given = Buffer.from(String(r.headers['x-storewire-signature']));
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`);
  return (
    Math.abs(nowSeconds - Number(timestamp)) <= 300 &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

const statusEvent = (messageId: string): WebhookEventItem => ({
  type: 'message.status',
  payload: {
    messageId,
    status: 'delivered',
    at: '2026-11-21T10:00:00.000Z',
    contactId: 'ct_1',
    templateName: 'order_receipt',
    campaign: null,
  },
});
const orderEvent: WebhookEventItem = {
  type: 'order.created',
  payload: {
    orderId: 'wa-1',
    contactId: 'ct_1',
    source: 'whatsapp',
    items: [],
    total: 85,
    currency: 'USD',
    at: '2026-11-21T10:00:00.000Z',
  },
};
const inboundEvent: WebhookEventItem = {
  type: 'message.inbound',
  payload: {
    eventId: 'ev-1',
    contactId: 'ct_1',
    channel: 'whatsapp',
    from: '+16505551234',
    text: 'Is this in blue?',
    at: '2026-11-21T10:00:00.000Z',
  },
};
const replyEvent: WebhookEventItem = {
  type: 'message.reply',
  payload: {
    eventId: 'ev-2',
    contactId: 'ct_1',
    replyTo: 'msg_1',
    reply: { id: 'cancel-button', title: 'Cancel' },
    at: '2026-11-21T10:00:00.000Z',
  },
};

describeEachDatabase('webhooks out', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const receiver = new Receiver();
  let worker: WebhookDeliveryWorker;
  const subscribed: { id: string; as: StoreCredentials }[] = [];

  beforeAll(async () => {
    await receiver.start();
    worker = new WebhookDeliveryWorker(h.app.storage, clock, { timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await worker.stop();
    await receiver.close();
  });
  // Each test's subscriptions are deleted after it, which gives up their pending deliveries,
  // so a later test moving the clock does not meet them.
  afterEach(async () => {
    for (const s of subscribed.splice(0))
      await h.call('DELETE', `/v1/webhooks/subscriptions/${s.id}`, undefined, { as: s.as });
  });

  const subscribe = async (body: Record<string, unknown>, as: StoreCredentials = h.shop) => {
    const res = await h.post('/v1/webhooks/subscriptions', body, as);
    expect(res.statusCode, res.body).toBe(201);
    subscribed.push({ id: res.json().id, as });
    return res.json() as {
      id: string;
      url: string;
      events: string[];
      active: boolean;
      secret: string;
      createdAt: string;
    };
  };
  const enqueue = (items: WebhookEventItem[], as: StoreCredentials = h.shop) =>
    h.app.storage.transaction((trx) => enqueueWebhookDeliveries(trx, as.store.id, items, clock.now()));
  const log = async (query = '', as: StoreCredentials = h.shop) => {
    const res = await h.get(`/v1/webhooks/deliveries${query}`, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().deliveries as Record<string, any>[];
  };
  const deliveriesOf = async (subscriptionId: string) =>
    (await log('?limit=500')).filter((d) => d.subscriptionId === subscriptionId);

  it('delivers an event once, signed so that the store can verify it', async () => {
    const endpoint = receiver.endpoint(200);
    const sub = await subscribe({ url: endpoint.url, events: ['message.status'] });
    expect(sub).toMatchObject({
      url: endpoint.url,
      events: ['message.status'],
      active: true,
      createdAt: new Date(clock.now()).toISOString(),
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const listed = (await h.get('/v1/webhooks/subscriptions')).json().subscriptions;
    expect(listed).toContainEqual({
      id: sub.id,
      url: endpoint.url,
      events: ['message.status'],
      active: true,
      createdAt: sub.createdAt,
    });
    expect(JSON.stringify(listed)).not.toContain(sub.secret);

    await enqueue([statusEvent('msg_A')]);
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    const [got, ...more] = receiver.at(endpoint.path);
    expect(more).toEqual([]);
    expect(verifiedByStore(sub.secret, got!, clock.now() / 1000)).toBe(true);
    expect(verifiedByStore('whsec_someone-else', got!, clock.now() / 1000)).toBe(false);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-storewire-event']).toBe('message.status');
    expect(got!.headers['x-storewire-timestamp']).toBe(String(Math.floor(clock.now() / 1000)));
    const body = JSON.parse(got!.body);
    expect(body).toEqual({
      id: got!.headers['x-storewire-delivery'],
      type: 'message.status',
      storeId: h.shop.store.id,
      createdAt: new Date(clock.now()).toISOString(),
      data: statusEvent('msg_A').payload,
    });

    const [entry] = await deliveriesOf(sub.id);
    expect(entry).toEqual({
      id: body.id,
      subscriptionId: sub.id,
      type: 'message.status',
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      createdAt: body.createdAt,
      deliveredAt: new Date(clock.now()).toISOString(),
      nextAttemptAt: null,
      data: statusEvent('msg_A').payload,
    });
  });

  it('a worker process that dies with deliveries claimed (issue 12): another takes them within 5 s, not at the end of their lease', async () => {
    const endpoint = receiver.endpoint(200);
    await subscribe({ url: endpoint.url, events: ['message.status'] });
    await enqueue([statusEvent('msg_dead_1'), statusEvent('msg_dead_2')]);
    // The dead process beat, claimed both (lease: timeout + 30 s), and was SIGKILLed before sending.
    const dead = new WorkerPresence(h.app.storage, clock, 3_000, 'worker_killed_webhooks');
    await dead.alive();
    const claimed = await claimDueDeliveries(h.app.storage, {
      now: clock.now(),
      limit: 10,
      leaseUntil: clock.now() + 32_000,
      liveness: dead.liveness(clock.now()),
    });
    expect(claimed).toHaveLength(2);
    const diedAt = clock.now();
    const live = new WebhookDeliveryWorker(h.app.storage, clock, {
      timeoutMs: 2_000,
      presence: new WorkerPresence(h.app.storage, clock),
    });
    clock.advance(2_000);
    expect(await live.runOnce()).toBe(0);
    clock.advance(1_001);
    expect(await live.runOnce()).toBe(2);
    expect(clock.now() - diedAt).toBeLessThanOrEqual(5_000);
    expect(receiver.at(endpoint.path)).toHaveLength(2);
    await live.stop();
  });

  it('signs with the secret the store chose, and sends only the event types a subscription asked for', async () => {
    const orders = receiver.endpoint();
    const all = receiver.endpoint();
    const messages = receiver.endpoint();
    await subscribe({ url: orders.url, events: ['order.created'], secret: 'my-own-secret-0123456789' });
    const allSub = await subscribe({ url: all.url });
    expect(allSub.events).toEqual(['*']);
    await subscribe({ url: messages.url, events: ['message.inbound', 'message.reply'] });

    await enqueue([statusEvent('msg_B'), orderEvent, inboundEvent, replyEvent]);
    expect(await worker.runOnce()).toBe(7);
    const types = (path: string) =>
      receiver
        .at(path)
        .map((r) => r.headers['x-storewire-event'])
        .sort();
    expect(types(orders.path)).toEqual(['order.created']);
    expect(types(all.path)).toEqual(['message.inbound', 'message.reply', 'message.status', 'order.created']);
    expect(types(messages.path)).toEqual(['message.inbound', 'message.reply']);
    expect(verifiedByStore('my-own-secret-0123456789', receiver.at(orders.path)[0]!, clock.now() / 1000)).toBe(true);
    expect(
      (await log('?type=order.created&status=delivered')).filter(
        (d) => d.createdAt === new Date(clock.now()).toISOString(),
      ),
    ).toHaveLength(2);
  });

  it('retries a failing receiver after a growing backoff, never before it is due, until it answers 2xx', async () => {
    const endpoint = receiver.endpoint(500);
    const sub = await subscribe({ url: endpoint.url });
    await enqueue([orderEvent]);
    const waits: number[] = [];
    for (const nominal of [10_000, 20_000, 40_000]) {
      const before = clock.now();
      expect(await worker.runOnce()).toBe(1);
      const [entry] = await deliveriesOf(sub.id);
      expect(entry).toMatchObject({
        status: 'pending',
        lastStatusCode: 500,
        lastError: 'HTTP 500: no thanks (500)',
        deliveredAt: null,
      });
      const wait = Date.parse(entry!.nextAttemptAt) - before;
      expect(wait).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(wait).toBeLessThanOrEqual(nominal * 1.2);
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await worker.runOnce()).toBe(0);
      clock.advance(1);
    }
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
    expect(waits[2]!).toBeGreaterThan(waits[1]!);
    endpoint.answer(204);
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.at(endpoint.path)).toHaveLength(4);
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 4,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  const failTwelveTimes = async (subscriptionId: string) => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      expect(await worker.runOnce()).toBe(1);
      const [entry] = await deliveriesOf(subscriptionId);
      expect(entry!.attempts).toBe(attempt);
      if (attempt < 12) clock.set(Date.parse(entry!.nextAttemptAt));
    }
  };

  it('gives a delivery up after 12 failed attempts and keeps it in the log; the retry endpoint sends it again', async () => {
    const endpoint = receiver.endpoint(503);
    const sub = await subscribe({ url: endpoint.url, events: ['order.created'] });
    await enqueue([orderEvent]);
    const started = clock.now();
    await failTwelveTimes(sub.id);
    // 10 s doubling to at most an hour, ±20%: 11 waits of nominally 12,310 s.
    expect(clock.now() - started).toBeGreaterThanOrEqual(12_310_000 * 0.8);
    expect(clock.now() - started).toBeLessThanOrEqual(12_310_000 * 1.2);
    const [failed] = await deliveriesOf(sub.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 12,
      lastStatusCode: 503,
      lastError: 'HTTP 503: no thanks (503)',
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect((await log('?status=failed&type=order.created')).map((d) => d.id)).toContain(failed!.id);
    expect((await log('?status=pending')).map((d) => d.id)).not.toContain(failed!.id);
    clock.advance(24 * 3_600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(receiver.at(endpoint.path)).toHaveLength(12);

    endpoint.answer(200);
    const retried = await h.post(`/v1/webhooks/deliveries/${failed!.id}/retry`, undefined);
    expect(retried.statusCode, retried.body).toBe(202);
    expect(retried.json()).toMatchObject({
      id: failed!.id,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: new Date(clock.now()).toISOString(),
    });
    expect(await worker.runOnce()).toBe(1);
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(receiver.at(endpoint.path).map((r) => JSON.parse(r.body).id)).toEqual(Array(13).fill(failed!.id));

    const again = await h.post(`/v1/webhooks/deliveries/${failed!.id}/retry`, undefined);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DELIVERY_NOT_RETRYABLE');
    expect((await h.post('/v1/webhooks/deliveries/whd_nope/retry', undefined)).json().error.code).toBe(
      'DELIVERY_NOT_FOUND',
    );
  });

  it('counts a timeout and a refused connection as failed attempts', async () => {
    const hanging = receiver.endpoint('hang');
    const hangSub = await subscribe({ url: hanging.url });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
    await new Promise((resolve) => closed.close(resolve));
    const refusedSub = await subscribe({ url: closedUrl });

    const impatient = new WebhookDeliveryWorker(h.app.storage, clock, { timeoutMs: 300 });
    await enqueue([replyEvent]);
    expect(await impatient.runOnce()).toBe(2);
    await impatient.stop();
    expect((await deliveriesOf(hangSub.id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'no answer within 0.3 s',
    });
    expect((await deliveriesOf(refusedSub.id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'connection refused',
    });
  });

  it('deactivates a subscription whose URL answers 410 Gone, and gives up its deliveries', async () => {
    const endpoint = receiver.endpoint(500);
    const sub = await subscribe({ url: endpoint.url });
    await enqueue([statusEvent('msg_C')]);
    expect(await worker.runOnce()).toBe(1);
    endpoint.answer(410);
    await enqueue([statusEvent('msg_D')]);
    expect(await worker.runOnce()).toBe(1);

    const entries = await deliveriesOf(sub.id);
    expect(entries.map((d) => [d.data.messageId, d.status, d.attempts, d.lastStatusCode])).toEqual([
      ['msg_D', 'failed', 1, 410],
      ['msg_C', 'failed', 1, 500],
    ]);
    expect(entries[1]!.lastError).toMatch(/deactivated/);
    const listed = (await h.get('/v1/webhooks/subscriptions')).json().subscriptions;
    expect(listed.find((s: { id: string }) => s.id === sub.id)).toMatchObject({ active: false });

    await enqueue([statusEvent('msg_E')]);
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(await deliveriesOf(sub.id)).toHaveLength(2);
    expect(receiver.at(endpoint.path)).toHaveLength(2);
    const retry = await h.post(`/v1/webhooks/deliveries/${entries[0]!.id}/retry`, undefined);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.code).toBe('DELIVERY_NOT_RETRYABLE');
  });

  it('queues for a subscription only while it exists', async () => {
    const endpoint = receiver.endpoint(500);
    await enqueue([orderEvent]);
    const sub = await subscribe({ url: endpoint.url });
    expect(await deliveriesOf(sub.id)).toEqual([]);
    await enqueue([orderEvent]);
    expect(await worker.runOnce()).toBe(1);

    const deleted = await h.call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    subscribed.pop();
    expect((await h.call('DELETE', `/v1/webhooks/subscriptions/${sub.id}`)).json().error.code).toBe(
      'SUBSCRIPTION_NOT_FOUND',
    );
    expect(
      (await h.get('/v1/webhooks/subscriptions')).json().subscriptions.map((s: { id: string }) => s.id),
    ).not.toContain(sub.id);

    await enqueue([orderEvent]);
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(receiver.at(endpoint.path)).toHaveLength(1);
    const entries = await deliveriesOf(sub.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'subscription deleted' });
  });

  it("keeps each store's subscriptions, deliveries and log to itself", async () => {
    const other = await h.newStore({ name: 'Other Shop' });
    const mine = receiver.endpoint();
    const theirs = receiver.endpoint();
    const mySub = await subscribe({ url: mine.url });
    const theirSub = await subscribe({ url: theirs.url }, other);
    await enqueue([orderEvent]);
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.at(theirs.path)).toEqual([]);

    expect(
      (await h.get('/v1/webhooks/subscriptions', other)).json().subscriptions.map((s: { id: string }) => s.id),
    ).toEqual([theirSub.id]);
    expect(await log('', other)).toEqual([]);
    const [myDelivery] = await deliveriesOf(mySub.id);
    const del = await h.call('DELETE', `/v1/webhooks/subscriptions/${mySub.id}`, undefined, { as: other });
    expect(del.statusCode).toBe(404);
    expect(del.json().error.code).toBe('SUBSCRIPTION_NOT_FOUND');
    expect((await h.post(`/v1/webhooks/deliveries/${myDelivery!.id}/retry`, undefined, other)).json().error.code).toBe(
      'DELIVERY_NOT_FOUND',
    );
    expect((await h.call('GET', '/v1/webhooks/deliveries', undefined, { as: null })).statusCode).toBe(401);
  });

  it('refuses subscriptions it could not deliver to, and bad log queries', async () => {
    const bad = async (body: unknown, code: string) => {
      const res = await h.post('/v1/webhooks/subscriptions', body);
      expect(res.statusCode, res.body).toBe(code === 'INVALID_WEBHOOK_URL' || code === 'VALIDATION_FAILED' ? 400 : 409);
      expect(res.json().error.code).toBe(code);
    };
    await bad({ url: 'ftp://shop.example/hook' }, 'INVALID_WEBHOOK_URL');
    await bad({ url: 'shop.example/hook' }, 'INVALID_WEBHOOK_URL');
    await bad({ url: 'https://shop.example/hook', events: ['order.shipped'] }, 'VALIDATION_FAILED');
    await bad({ url: 'https://shop.example/hook', events: [] }, 'VALIDATION_FAILED');
    await bad({ url: 'https://shop.example/hook', secret: 'short' }, 'VALIDATION_FAILED');
    for (const query of ['?limit=0', '?limit=501', '?limit=ten', '?status=sent', '?type=order.shipped']) {
      const res = await h.get(`/v1/webhooks/deliveries${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const crowded = await h.newStore({ name: 'Crowded Shop' });
    for (let i = 0; i < 20; i++) await subscribe({ url: `https://shop.example/hook/${i}` }, crowded);
    const res = await h.post('/v1/webhooks/subscriptions', { url: 'https://shop.example/hook/21' }, crowded);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('TOO_MANY_SUBSCRIPTIONS');
  });

  it('two workers claiming at once never send one delivery twice', async () => {
    const endpoints = Array.from({ length: 5 }, () => receiver.endpoint());
    const subs = await Promise.all(endpoints.map((e) => subscribe({ url: e.url, events: ['message.status'] })));
    await enqueue(Array.from({ length: 12 }, (_, i) => statusEvent(`race-${i}`)));
    const a = new WebhookDeliveryWorker(h.app.storage, clock, { concurrency: 7, perSubscription: 7 });
    const b = new WebhookDeliveryWorker(h.app.storage, clock, { concurrency: 7, perSubscription: 7 });
    let attempted = 0;
    for (let round = 0; round < 20; round++) {
      const [x, y] = await Promise.all([a.runOnce(), b.runOnce()]);
      attempted += x + y;
      if (x + y === 0) break;
    }
    await Promise.all([a.stop(), b.stop()]);
    expect(attempted).toBe(60);
    const ids = endpoints.flatMap((e) => receiver.at(e.path).map((r) => JSON.parse(r.body).id));
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    for (const sub of subs)
      expect((await deliveriesOf(sub.id)).every((d) => d.status === 'delivered' && d.attempts === 1)).toBe(true);
  });

  it('does not let a hanging receiver take every slot from the others', async () => {
    const slow = receiver.endpoint('hang');
    const fast = receiver.endpoint();
    await subscribe({ url: slow.url, events: ['message.status'] });
    await subscribe({ url: fast.url, events: ['message.status'] });
    const background = new WebhookDeliveryWorker(h.app.storage, clock, {
      concurrency: 4,
      perSubscription: 2,
      timeoutMs: 10_000,
      pollIntervalMs: 60_000,
    });
    await enqueue(Array.from({ length: 6 }, (_, i) => statusEvent(`slots-${i}`)));
    background.start();
    await receiver.waitFor(fast.path, 6);
    await receiver.waitFor(slow.path, 2);
    expect(receiver.at(slow.path)).toHaveLength(2);
    slow.answer(200);
    receiver.releaseHung();
    await receiver.waitFor(slow.path, 6);
    await background.stop();
    expect(receiver.at(slow.path)).toHaveLength(6);
  });

  it('started, it delivers what is queued when woken, and stops cleanly', async () => {
    const endpoint = receiver.endpoint();
    await subscribe({ url: endpoint.url });
    const background = new WebhookDeliveryWorker(h.app.storage, clock, { pollIntervalMs: 60_000 });
    background.start();
    await enqueue([inboundEvent, replyEvent]);
    background.wake();
    await receiver.waitFor(endpoint.path, 2);
    await background.stop();
    expect(
      receiver
        .at(endpoint.path)
        .map((r) => r.headers['x-storewire-event'])
        .sort(),
    ).toEqual(['message.inbound', 'message.reply']);
  });
});

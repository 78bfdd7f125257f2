import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { WebhookDeliveryWorker } from './delivery-worker.js';
import { enqueueWebhookDeliveries } from './enqueue.js';
import { createWebhookSubscription } from './subscriptions.js';

/**
 * The background loop over real timers: it must wait, not spin, whether nothing is due, every
 * slot is taken by a receiver that does not answer, or the database is failing.
 */
describe('the delivery worker loop', () => {
  let dir: string;
  let storage: Storage;
  let server: Server;
  let url: string;
  let claims = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storewire-webhooks-'));
    storage = openStorage(`sqlite:${join(dir, 'test.db')}`, { sqliteSynchronous: 'NORMAL' });
    await migrateToLatest(storage);
    server = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    claims = 0;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Counts claims (each is one write transaction) and lets a test act inside them. */
  const countClaims = (during?: () => void) => {
    const transaction = storage.transaction.bind(storage);
    storage.transaction = (fn) => {
      claims++;
      during?.();
      return transaction(fn);
    };
  };
  const eventLoopTicks = async (ms: number) => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await new Promise((resolve) => setTimeout(resolve, ms));
    clearInterval(timer);
    return ticks;
  };
  const clock = systemClock;

  it('looks for work once per poll interval when nothing is due', async () => {
    countClaims();
    const worker = new WebhookDeliveryWorker(storage, clock, { pollIntervalMs: 100 });
    worker.start();
    await eventLoopTicks(450);
    await worker.stop();
    expect(claims).toBeGreaterThanOrEqual(3);
    expect(claims).toBeLessThanOrEqual(6);
  });

  it('waits for a free slot when every slot hangs, even when woken meanwhile', async () => {
    const now = Date.now();
    await createWebhookSubscription(storage, 'st_1', { url }, now);
    await storage.transaction((trx) =>
      enqueueWebhookDeliveries(
        trx,
        'st_1',
        Array.from({ length: 6 }, () => ({ type: 'order.created', payload: {} })),
        now,
      ),
    );
    const worker = new WebhookDeliveryWorker(storage, clock, { concurrency: 2, timeoutMs: 5_000, pollIntervalMs: 100 });
    countClaims(() => worker.wake()); // new deliveries committed while the worker claims
    worker.start();
    const ticks = await eventLoopTicks(300);
    expect(ticks).toBeGreaterThan(10); // the event loop kept running
    expect(claims).toBe(1);
    server.closeAllConnections();
    await worker.stop();
  });

  it('does not ask a failing database in a loop, however often it is woken', async () => {
    const transaction = storage.transaction.bind(storage);
    storage.transaction = async () => {
      claims++;
      throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    };
    const worker = new WebhookDeliveryWorker(storage, clock, { pollIntervalMs: 100 });
    worker.start();
    const waking = setInterval(() => worker.wake(), 5);
    await eventLoopTicks(450);
    clearInterval(waking);
    const stopping = Date.now();
    await worker.stop();
    expect(Date.now() - stopping).toBeLessThan(100);
    expect(claims).toBeLessThanOrEqual(6);
    storage.transaction = transaction;
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/clock.js';
import { describeEachDatabase, type TestDatabase } from '../../test/support/databases.js';
import { openStorage, type Storage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { WebhookDeliveryWorker } from './delivery-worker.js';
import { enqueueWebhookDeliveries } from './enqueue.js';
import { createWebhookSubscription } from './subscriptions.js';

/**
 * The background loop on the virtual clock: it must wait, not spin, whether nothing is due,
 * every slot is taken by a receiver that does not answer, or the database is failing. Claims
 * are counted by the worker itself; no real time passes for a poll.
 */
describeEachDatabase('the delivery worker loop', (target) => {
  let database: TestDatabase;
  let storage: Storage;
  let server: Server;
  let url: string;
  let clock: ManualClock;
  /** Requests the receiver got (it never answers), and who waits for a count of them. */
  let requests = 0;
  let waiting: { count: number; resolve(): void }[] = [];
  const received = (count: number) =>
    requests >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }));

  beforeEach(async () => {
    database = await target.create();
    storage = openStorage(database.url, { sqliteSynchronous: 'NORMAL' });
    await migrateToLatest(storage);
    clock = new ManualClock();
    requests = 0;
    waiting = [];
    server = createServer(() => {
      requests++;
      for (const w of waiting.filter((w) => requests >= w.count)) w.resolve();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await storage.close().catch(() => {});
    await database.drop();
  });

  it('looks for work once per poll interval when nothing is due', async () => {
    const worker = new WebhookDeliveryWorker(storage, clock, { pollIntervalMs: 100 });
    worker.start();
    await clock.untilSleeping();
    expect(worker.stats.claims).toBe(1);
    clock.advance(99);
    await new Promise((resolve) => setImmediate(resolve));
    expect(worker.stats.claims).toBe(1);
    for (let i = 0; i < 4; i++) {
      clock.advance(clock.nextTimer()! - clock.now());
      await clock.untilSleeping();
    }
    expect(worker.stats.claims).toBe(5);
    await worker.stop();
  });

  it('waits for a free slot when every slot hangs, even when woken meanwhile', async () => {
    const now = clock.now();
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
    worker.start();
    worker.wake(); // new deliveries committed while the worker claims: spent, every slot is taken
    await received(2);
    await clock.untilSleeping();
    expect(worker.stats.claims).toBe(1);
    // Woken and polled while both requests hang: it looks, but asks the database for nothing.
    for (let i = 0; i < 5; i++) {
      worker.wake();
      await clock.untilSleeping();
      clock.advance(100);
      await clock.untilSleeping();
    }
    expect(worker.stats.claims).toBe(1);
    expect(requests).toBe(2);
    // A slot frees up (the receiver hangs up): the worker claims again at once, without a poll.
    server.closeAllConnections();
    await received(4);
    expect(worker.stats.claims).toBeGreaterThanOrEqual(2);
    server.closeAllConnections();
    await worker.stop();
  });

  it('does not ask a failing database in a loop, however often it is woken', async () => {
    const worker = new WebhookDeliveryWorker(storage, clock, { pollIntervalMs: 100 });
    await storage.close(); // the database is gone: every claim fails
    worker.start();
    const started = clock.now();
    for (let i = 0; i < 4; i++) {
      await clock.untilSleeping();
      for (let k = 0; k < 50; k++) worker.wake();
      await new Promise((resolve) => setImmediate(resolve));
      clock.advance(clock.nextTimer()! - clock.now());
    }
    await clock.untilSleeping();
    // Four waits of 100, 200, 400, 800 ms: five claims, the wakes changed nothing.
    expect(worker.stats.claims).toBe(5);
    expect(clock.now() - started).toBe(1_500);
    // Stopping ends the back-off at once: no time has to pass.
    await worker.stop();
    expect(clock.now() - started).toBe(1_500);
  });
});

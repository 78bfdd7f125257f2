import pino from 'pino';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { providerEventRoad } from '../src/engine/provider-webhooks.js';
import { SandboxStatusFeed } from '../src/messaging/sandbox-feed.js';
import { getMessage } from '../src/storage/message-queries.js';
import { ManualClock } from './support/clock.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { startHarness } from './support/harness.js';
import { iso, orderConfirmation, runLoop, sendApi } from './support/send-helpers.js';

/**
 * The sandbox's status feed, the example of a worker (docs/architecture.md, "Adding a
 * worker"): its reports are rows, so a message sent before a restart is reported delivered
 * and read after it, by the new process's own background loop on the virtual clock.
 */
describeEachDatabase('the sandbox status feed', (target) => {
  let database: TestDatabase;
  const open: App[] = [];
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    for (const app of open) await app.close().catch(() => {});
    await database?.drop();
  });

  it('a report scheduled before a restart is delivered after it', async () => {
    const clock = new ManualClock();
    const h = await startHarness(database, { clock });
    open.push(h.app);
    const api = sendApi(h);
    const shop = await api.sandboxStore();
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.shopper(shop, { customer_id: 'c1', name: 'Asha', phone: '+919811112345' });
    await api.order(shop, 'ORD-1', 'c1');
    const queued = await api.queued(
      { to: { customer_id: 'c1' }, template: 'order_confirmation', orderId: 'ORD-1', campaign: 'restart' },
      shop,
    );
    const sentAt = clock.now();
    await runLoop(h, clock);
    expect(await api.message(queued.id, shop)).toMatchObject({ status: 'sent', deliveredAt: null, readAt: null });
    // The process stops with "delivered" (at +1 s) and "read" (at +3 s) still to come.
    await h.close();

    const config = { ...loadConfig({}), databaseUrl: database.url, sqliteSynchronous: 'NORMAL' as const };
    const second = await createApp(config, { clock, startWorkers: true, logger: pino({ level: 'silent' }) });
    open.push(second);
    const read = async () => (await getMessage(second.storage.db, shop.store.id, queued.id))?.status;
    expect(await read()).toBe('sent');
    // The new process's feed polls on the virtual clock: three seconds pass, the reports fall due.
    clock.advance(3_000);
    await vi.waitFor(async () => expect(await read()).toBe('read'), { timeout: 20_000, interval: 20 });
    const shown = await second.server.inject({
      method: 'GET',
      url: `/v1/messages/${queued.id}`,
      headers: { authorization: `Bearer ${shop.apiKey}` },
    });
    expect(shown.json()).toMatchObject({
      status: 'read',
      sentAt: iso(sentAt),
      deliveredAt: iso(sentAt + 1_000),
      readAt: iso(sentAt + 3_000),
    });
    await second.close();
  });

  it('applies each report once, in order, and a scoped feed (storewire demo) takes only its shopper’s', async () => {
    const clock = new ManualClock();
    const h = await startHarness(database, { clock });
    open.push(h.app);
    const api = sendApi(h);
    const shop = await api.sandboxStore('Scoped Shop');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    const contacts = [
      await api.shopper(shop, { customer_id: 'd1', name: 'Dev', phone: '+919811113333' }),
      await api.shopper(shop, { customer_id: 'd2', name: 'Ria', phone: '+919811114444' }),
    ];
    await api.order(shop, 'ORD-1', 'd1');
    await api.order(shop, 'ORD-2', 'd2');
    const ids: string[] = [];
    for (const [i, customer] of ['d1', 'd2'].entries())
      ids.push(
        (
          await api.queued(
            { to: { customer_id: customer }, template: 'order_confirmation', orderId: `ORD-${i + 1}` },
            shop,
          )
        ).id,
      );
    await runLoop(h, clock);
    const status = async (id: string) => (await getMessage(h.app.storage.db, shop.store.id, id))?.status;

    const scoped = new SandboxStatusFeed(
      h.app.storage,
      providerEventRoad(h.app.storage.db, h.app.engine),
      clock,
      () => {},
      {
        scope: { storeId: shop.store.id, contactId: contacts[0]! },
      },
    );
    expect(await scoped.nextDue()).toBe(clock.now() + 1_000);
    clock.advance(5_000);
    expect(await scoped.runOnce()).toBe(2); // delivered, then read: one shopper's
    expect(await status(ids[0]!)).toBe('read');
    expect(await status(ids[1]!)).toBe('sent');
    expect(await scoped.runOnce()).toBe(0); // taken once
    expect(await scoped.nextDue()).toBe(null);

    await h.app.messaging.feedSandbox(); // the process's own feed: every store's
    expect(await status(ids[1]!)).toBe('read');
    expect(h.app.messaging.sandboxFeed.stats.applied).toBeGreaterThanOrEqual(2);
    expect(await h.app.messaging.sandboxFeed.nextDue()).toBe(null);
  });
});

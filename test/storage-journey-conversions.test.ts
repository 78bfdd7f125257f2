import { Migrator, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { OrderRecord } from '../src/domain/records.js';
import { createStore } from '../src/engine/stores.js';
import { type Db, openStorage } from '../src/storage/database.js';
import { backfillConversions } from '../src/storage/journey-conversions.js';
import { insertRuns, type JourneyRun, moveRunsToContact, updateBufferedRun } from '../src/storage/journey-runs.js';
import { migrations } from '../src/storage/migrations/index.js';
import { repointOrders, upsertOrders } from '../src/storage/orders.js';
import { ManualClock } from './support/clock.js';
import { describeEachDatabase } from './support/databases.js';
import { useHarness } from './support/harness.js';

/**
 * journey_conversions (migration 0023) is kept by triggers as orders and runs are written; it must
 * always hold what the stats' former join found: for each run, the first order of its shopper
 * created at or after it entered, other than the run's own order (oldest by creation, then id).
 */
describeEachDatabase('journey conversions kept by triggers', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const H = 3_600_000;
  const T0 = Date.UTC(2026, 10, 1);

  const run = (
    storeId: string,
    id: string,
    contactId: string,
    enteredAt: number,
    orderId: string | null,
  ): JourneyRun => ({
    id,
    storeId,
    journeyId: 'cart_abandonment',
    version: 1,
    contactId,
    runKey: '',
    status: 'active',
    stepId: 'wait',
    seq: 0,
    dueAt: enteredAt + H,
    leaseUntil: null,
    leaseOwner: null,
    enteredAt,
    triggerEventId: null,
    triggerAt: enteredAt,
    orderId,
    data: {},
    waitingFor: null,
    waitStartedAt: null,
    exitReason: null,
    notes: [],
    updatedAt: enteredAt,
    endedAt: null,
  });
  const order = (orderId: string, contactId: string | null, createdAt: number, total = 1000): OrderRecord => ({
    orderId,
    contactId,
    state: {
      status: 'INITIALIZED',
      totalMinor: total,
      currency: 'INR',
      orderedAt: createdAt,
      items: [],
      attributes: {},
      sourceUpdatedAt: null,
    },
    source: 'test',
    createdAt,
    updatedAt: createdAt,
  });

  /** What the stats' former join gives, from the tables. */
  async function expected(db: Db, storeId: string) {
    const runs = await db.selectFrom('journey_runs').selectAll().where('store_id', '=', storeId).execute();
    const orders = await db.selectFrom('orders').selectAll().where('store_id', '=', storeId).execute();
    const rows: string[] = [];
    for (const r of runs) {
      const first = orders
        .filter(
          (o) =>
            o.contact_id === r.contact_id && Number(o.created_at) >= Number(r.entered_at) && o.order_id !== r.order_id,
        )
        .sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.order_id < b.order_id ? -1 : 1))[0];
      if (first) rows.push(`${r.id}>${first.order_id}@${Number(first.created_at) - Number(r.entered_at)}`);
    }
    return rows.sort();
  }
  async function kept(db: Db, storeId: string) {
    const rows = await db.selectFrom('journey_conversions').selectAll().where('store_id', '=', storeId).execute();
    return rows.map((c) => `${c.run_id}>${c.order_id}@${Number(c.after_ms)}`).sort();
  }

  it('follows orders arriving, the run own order, merges, a new entry time and deletes; a recount agrees', async () => {
    const { store } = await h.newStore({ name: 'Conversions' });
    const db = h.app.storage.db;
    const check = async () => {
      const want = await expected(db, store.id);
      expect(await kept(db, store.id)).toEqual(want);
      return want;
    };

    await upsertOrders(db, store.id, [order('early', 'ct_a', T0 - H)]); // before any run: never a conversion
    await insertRuns(db, [
      run(store.id, 'run_1', 'ct_a', T0, 'own'),
      run(store.id, 'run_2', 'ct_a', T0 + 10 * H, null),
      run(store.id, 'run_3', 'ct_b', T0, null),
    ]);
    expect(await check()).toEqual([]);

    // The run's own order never counts; a later one does, for both of the shopper's runs it follows.
    await upsertOrders(db, store.id, [order('own', 'ct_a', T0 + H), order('later', 'ct_a', T0 + 20 * H)]);
    expect(await check()).toEqual(['run_1>later@72000000', 'run_2>later@36000000']);
    // An earlier order arriving later in a batch (the same creation time: the smaller id first).
    await upsertOrders(db, store.id, [order('mid-b', 'ct_a', T0 + 5 * H), order('mid-a', 'ct_a', T0 + 5 * H)]);
    expect(await check()).toEqual(['run_1>mid-a@18000000', 'run_2>later@36000000']);
    // An order update that changes neither shopper nor time leaves the rows; revenue is read from the order.
    await upsertOrders(db, store.id, [order('later', 'ct_a', T0 + 20 * H, 5000)]);
    await check();

    // A shopper without a contact first, then named.
    await upsertOrders(db, store.id, [order('anon', null, T0 + 2 * H)]);
    expect(await check()).toEqual(['run_1>mid-a@18000000', 'run_2>later@36000000']);
    await upsertOrders(db, store.id, [order('anon', 'ct_b', T0 + 2 * H)]);
    expect(await check()).toContain('run_3>anon@7200000');

    // ct_a merged into ct_b: orders first, then runs (as the engine does).
    await repointOrders(db, store.id, 'ct_a', 'ct_b');
    await check();
    await moveRunsToContact(db, store.id, 'ct_a', 'ct_b');
    expect(await check()).toEqual(['run_1>anon@7200000', 'run_2>later@36000000', 'run_3>own@3600000']);

    // A buffered run entering again (a newer trigger) moves its entry time and its own order.
    await updateBufferedRun(db, { ...run(store.id, 'run_3', 'ct_b', T0 + 5 * H, 'later'), updatedAt: T0 + 5 * H });
    expect(await check()).toContain('run_3>mid-a@0');

    // Deletes.
    await sql`delete from orders where order_id = 'mid-a'`.execute(db);
    await check();
    await sql`delete from journey_runs where id = 'run_2'`.execute(db);
    expect((await check()).some((r) => r.startsWith('run_2'))).toBe(false);

    // The migration's backfill (a recount from the tables) gives the same rows.
    const before = await kept(db, store.id);
    await backfillConversions(db as never);
    expect(await kept(db, store.id)).toEqual(before);
  });
  it('migration 0023 counts the conversions of a database that held runs and orders before it', async () => {
    const database = await target.create();
    const storage = openStorage(database.url, { sqliteSynchronous: 'NORMAL' });
    try {
      const migrator = new Migrator({
        db: storage.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'storewire_migrations',
        migrationLockTableName: 'storewire_migrations_lock',
      });
      expect((await migrator.migrateTo('0021-journey-live')).error).toBeUndefined();
      const { store } = await createStore(storage, { name: 'Before', defaultCountry: 'IN' }, T0);
      await insertRuns(storage.db, [
        run(store.id, 'run_1', 'ct_a', T0, 'own'),
        run(store.id, 'run_2', 'ct_b', T0, null),
      ]);
      await upsertOrders(storage.db, store.id, [
        order('own', 'ct_a', T0 + H),
        order('next', 'ct_a', T0 + 2 * H),
        order('old', 'ct_b', T0 - H),
      ]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await kept(storage.db, store.id)).toEqual(['run_1>next@7200000']);
      expect(await kept(storage.db, store.id)).toEqual(await expected(storage.db, store.id));
      // And the triggers keep it from then on.
      await upsertOrders(storage.db, store.id, [order('late', 'ct_b', T0 + 3 * H)]);
      expect(await kept(storage.db, store.id)).toEqual(['run_1>next@7200000', 'run_2>late@10800000']);
    } finally {
      await storage.close();
      await database.drop();
    }
  });
});

import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { StoreCredentials } from '../src/engine/stores.js';
import { JourneyWorker } from '../src/journeys/worker.js';
import { sendMessage } from '../src/messaging/send.js';
import { getContact } from '../src/storage/contacts.js';
import { openStorage, type Db, type Storage } from '../src/storage/database.js';
import { claimDueRuns } from '../src/storage/journeys.js';
import { findStoreById } from '../src/storage/stores.js';
import { beat } from '../src/storage/workers.js';
import { ManualClock } from './support/clock.js';
import {
  createPostgresDatabase,
  databaseTargets,
  describeEachDatabase,
  type TestDatabase,
} from './support/databases.js';
import { startHarness, useHarness, type Harness } from './support/harness.js';

/**
 * The scheduler's guarantees (issue 4, "Durable scheduler"): a step runs at most once per
 * (run, seq) — with two workers on one PostgreSQL, after a worker dies holding a lease, and
 * across a restart — and a send step queues its message once.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Three sends with waits between them: every run logs five steps and queues three messages. */
const JOURNEY = {
  name: 'Scheduler check',
  trigger: { event: 'sched_go' },
  entry: { buffer: '0s', reentry: 'every_time' },
  steps: [
    { id: 'hello', type: 'send', channel: 'whatsapp', template: 'sched_hello' },
    { id: 'pause', type: 'wait', duration: '1h' },
    { id: 'again', type: 'send', channel: 'whatsapp', template: 'sched_again' },
    { id: 'rest', type: 'wait', duration: '1d' },
    { id: 'last', type: 'send', channel: 'whatsapp', template: 'sched_last' },
  ],
};
const FULL_LOG = ['hello:sent', 'pause:waited', 'again:sent', 'rest:waited', 'last:sent'];
const CAMPAIGNS = ['journey:sched:again', 'journey:sched:hello', 'journey:sched:last'];

/** A journey that only waits three days before its send: its runs must still be waiting after a restart. */
const LATER = {
  name: 'Later',
  trigger: { event: 'sched_go' },
  entry: { buffer: '0s', reentry: 'every_time' },
  steps: [
    { id: 'wait_3d', type: 'wait', duration: '3d' },
    { id: 'nudge', type: 'send', channel: 'whatsapp', template: 'sched_hello' },
  ],
};

const template = (text: string) => ({ channel: 'whatsapp', language: 'en', category: 'utility', body: { text } });

/** A sandbox store with the journeys enabled and `shoppers` shoppers, each sent one trigger event. */
async function seedRuns(
  h: Harness,
  clock: ManualClock,
  shoppers: number,
  journeys: Record<string, object> = { sched: JOURNEY },
): Promise<{ as: StoreCredentials; runIds: string[] }> {
  const as = await h.newStore({ name: `Scheduler Shop ${Math.random().toString(36).slice(2, 6)}` });
  expect((await h.call('PUT', '/v1/channels/sandbox', undefined, { as })).statusCode).toBe(200);
  for (const name of ['sched_hello', 'sched_again', 'sched_last']) {
    const res = await h.call('PUT', `/v1/templates/${name}`, template(`Hello from ${name}.`), { as });
    expect(res.statusCode, res.body).toBe(200);
  }
  for (const [id, definition] of Object.entries(journeys)) {
    const res = await h.call('PUT', `/v1/journeys/${id}`, { ...definition, enabled: true }, { as });
    expect(res.statusCode, res.body).toBe(200);
  }
  const tag = as.store.id.slice(-6);
  const contacts = Array.from({ length: shoppers }, (_, n) => ({
    customer_id: `s-${tag}-${n}`,
    phone: `+9198${String(10_000_000 + n).slice(-8)}`,
    whatsapp_status: 'ACTIVE',
  }));
  const synced = await h.post('/v1/contacts', contacts, as);
  expect(synced.statusCode, synced.body).toBe(200);
  expect(synced.json().upserted).toBe(shoppers);
  const events = contacts.map((c, n) => ({
    event_id: `go-${tag}-${n}`,
    event_name: 'sched_go',
    timestamp: new Date(clock.now()).toISOString(),
    customer: { customer_id: c.customer_id },
    event_data: { n },
  }));
  const posted = await h.post('/v1/events', events, as);
  expect(posted.statusCode, posted.body).toBe(202);
  expect(posted.json().accepted).toBe(shoppers);
  const runs = await h.app.storage.db
    .selectFrom('journey_runs')
    .select('id')
    .where('store_id', '=', as.store.id)
    .where('journey_id', '=', 'sched')
    .execute();
  return { as, runIds: runs.map((r) => r.id) };
}

/** Each run's step log as "step:outcome" in seq order, and a check that seqs are 0, 1, 2... with no gap. */
async function stepLogs(db: Db, storeId: string, journeyId = 'sched'): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('journey_steps')
    .select(['run_id', 'seq', 'step_id', 'outcome'])
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .orderBy('run_id')
    .orderBy('seq')
    .execute();
  const logs = new Map<string, string[]>();
  for (const row of rows) {
    const log = logs.get(row.run_id) ?? [];
    expect(Number(row.seq), `run ${row.run_id}`).toBe(log.length);
    log.push(`${row.step_id}:${row.outcome}`);
    logs.set(row.run_id, log);
  }
  return logs;
}

/** The journey messages queued for each run (by the run in their idempotency key), as their campaigns. */
async function messagesByRun(db: Db, storeId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('messages')
    .select(['idempotency_key', 'campaign'])
    .where('store_id', '=', storeId)
    .where('source', '=', 'journey')
    .execute();
  const byRun = new Map<string, string[]>();
  for (const row of rows) {
    const runId = row.idempotency_key.split(':')[1]!;
    byRun.set(runId, [...(byRun.get(runId) ?? []), String(row.campaign)].sort());
  }
  return byRun;
}

async function statuses(db: Db, storeId: string, journeyId = 'sched'): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('journey_runs')
    .select('status')
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .execute();
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

// SQLite has one writer at a time (docs/architecture.md): two workers on one file take turns
// on the write lock and can never claim concurrently, so this part runs on PostgreSQL only.
const [postgres] = databaseTargets().filter((t) => t.dialect === 'postgres');
(postgres ? describe : describe.skip)('journey scheduler: two workers on one PostgreSQL database', () => {
  const target = postgres ?? { dialect: 'postgres' as const, create: createPostgresDatabase };
  const RUNS = 320;
  let database: TestDatabase;
  let h: Harness;
  const storages: Storage[] = [];
  const clock = new ManualClock();

  beforeAll(async () => {
    database = await target.create();
    h = await startHarness(database, { clock });
  });
  afterAll(async () => {
    for (const storage of storages) await storage.close();
    await h?.close();
    await database?.drop();
  });

  /** A worker as a second process would have it: its own pool on the same database. */
  const worker = (workerClock: ManualClock, options: { batchSize: number; concurrency: number }) => {
    const storage = openStorage(database.url, { poolSize: 6 });
    storages.push(storage);
    return new JourneyWorker(storage, workerClock, options);
  };

  const expectEveryStepOnce = async (storeId: string, runIds: string[]) => {
    const logs = await stepLogs(h.app.storage.db, storeId);
    const messages = await messagesByRun(h.app.storage.db, storeId);
    expect(logs.size).toBe(runIds.length);
    for (const runId of runIds) {
      expect(logs.get(runId), `run ${runId}`).toEqual(FULL_LOG);
      expect(messages.get(runId), `run ${runId}`).toEqual(CAMPAIGNS);
    }
    expect([...messages.values()].flat()).toHaveLength(runIds.length * 3);
    expect(await statuses(h.app.storage.db, storeId)).toEqual({ completed: runIds.length });
  };

  it(`${RUNS} due runs claimed by two workers at once: each step runs once, each message is queued once, every run completes`, async () => {
    const { as, runIds } = await seedRuns(h, clock, RUNS);
    expect(runIds).toHaveLength(RUNS);
    // Small batches, so the two workers' claims interleave many times per round.
    const a = worker(clock, { batchSize: 25, concurrency: 8 });
    const b = worker(clock, { batchSize: 25, concurrency: 8 });
    for (const hop of [0, HOUR, DAY]) {
      clock.advance(hop);
      await Promise.all([a.drain(), b.drain()]);
    }
    await expectEveryStepOnce(as.store.id, runIds);
    // Both took part, and no run was claimed by both in one round (SKIP LOCKED): three claims per run, one per due time.
    expect(a.stats.claimed).toBeGreaterThan(0);
    expect(b.stats.claimed).toBeGreaterThan(0);
    expect(a.stats.claimed + b.stats.claimed).toBe(RUNS * 3);
    expect(a.stats.lostLeases + b.stats.lostLeases).toBe(0);
    expect(a.stats.sent + b.stats.sent).toBe(RUNS * 3);
  });

  it('a worker whose lease runs out while it works: the other takes its runs mid-step, and still each step runs and sends once', async () => {
    const { as, runIds } = await seedRuns(h, clock, RUNS);
    // B's clock is past A's lease: whatever A claims, B may claim again while A is still at it.
    const clockB = new ManualClock(clock.now() + 60_000 + 1);
    const a = worker(clock, { batchSize: RUNS, concurrency: 4 });
    const b = worker(clockB, { batchSize: RUNS, concurrency: 4 });
    const lockStorage = openStorage(database.url, { poolSize: 1 });
    storages.push(lockStorage);
    for (const hop of [0, HOUR, DAY]) {
      clock.advance(hop);
      clockB.advance(hop);
      // The race is made to happen, not hoped for: the contacts table is held, so A stops right
      // after its claim (at the batch's first read) and B claims the same runs before A can save.
      const claimedA = a.stats.claimed;
      const claimedB = b.stats.claimed;
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const holder = lockStorage.db.transaction().execute(async (trx) => {
        await sql`LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE`.execute(trx);
        locked();
        await held;
      });
      await isLocked;
      const first = a.runOnce();
      await vi.waitFor(() => expect(a.stats.claimed).toBeGreaterThan(claimedA), { interval: 5, timeout: 20_000 });
      const second = b.runOnce();
      await vi.waitFor(() => expect(b.stats.claimed).toBeGreaterThan(claimedB), { interval: 5, timeout: 20_000 });
      release();
      await holder;
      await Promise.all([first, second]);
      await Promise.all([a.drain(), b.drain()]);
    }
    await expectEveryStepOnce(as.store.id, runIds);
    // A lost every run it was working on (B claimed them all while A was at it); B lost none.
    expect(a.stats.lostLeases).toBe(RUNS * 3);
    expect(b.stats.lostLeases).toBe(0);
    expect(a.stats.sent + b.stats.sent).toBe(RUNS * 3);
  });
});

describeEachDatabase('journey scheduler: a worker dies holding a lease', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  it('its runs are not taken before the lease ends, are taken after it, and each step runs once; what it queued is not queued again', async () => {
    const { as, runIds } = await seedRuns(h, clock, 40);
    const worker = h.app.journeys;
    const leaseMs = worker.options.leaseMs;

    // The dead worker claims every due run, queues the first message of one of them, and dies.
    const held = await claimDueRuns(h.app.storage, clock.now(), clock.now() + leaseMs, 'wrk_dead', 1_000);
    expect(held.map((r) => r.id).sort()).toEqual([...runIds].sort());
    const victim = held[0]!;
    const store = (await findStoreById(h.app.storage.db, as.store.id))!;
    const contact = (await getContact(h.app.storage.db, as.store.id, victim.contactId))!;
    const queued = await sendMessage(h.app.storage, {
      store,
      contact,
      channel: 'whatsapp',
      content: { template: 'sched_hello' },
      source: 'journey',
      idempotencyKey: `journey:${victim.id}:${victim.seq}`,
      campaign: 'journey:sched:hello',
      now: clock.now(),
    });
    if (!queued.ok) throw new Error(`the dead worker's message was not queued: ${queued.code}`);
    expect(queued.duplicate).toBe(false);

    // Until the lease ends, the live worker takes nothing.
    clock.advance(leaseMs - 1);
    expect(await worker.runOnce()).toBe(0);
    expect(await stepLogs(h.app.storage.db, as.store.id)).toEqual(new Map());

    // After it, it takes every run and runs the first step once.
    clock.advance(2);
    await worker.drain();
    const logs = await stepLogs(h.app.storage.db, as.store.id);
    for (const runId of runIds) expect(logs.get(runId), runId).toEqual(['hello:sent']);
    const messages = await messagesByRun(h.app.storage.db, as.store.id);
    for (const runId of runIds) expect(messages.get(runId), runId).toEqual(['journey:sched:hello']);
    // The victim's step points at the message the dead worker queued.
    const victimStep = await h.app.storage.db
      .selectFrom('journey_steps')
      .select('message_id')
      .where('run_id', '=', victim.id)
      .where('seq', '=', 0)
      .executeTakeFirstOrThrow();
    expect(victimStep.message_id).toBe(queued.message.id);

    // The rest of the journey runs once too.
    clock.advance(HOUR);
    await worker.drain();
    clock.advance(DAY);
    await worker.drain();
    const after = await stepLogs(h.app.storage.db, as.store.id);
    const sent = await messagesByRun(h.app.storage.db, as.store.id);
    for (const runId of runIds) {
      expect(after.get(runId), runId).toEqual(FULL_LOG);
      expect(sent.get(runId), runId).toEqual(CAMPAIGNS);
    }
    expect(await statuses(h.app.storage.db, as.store.id)).toEqual({ completed: runIds.length });
  });

  it('a worker process that dies with a heartbeat (issue 12): its runs are taken within 5 s, not at the end of their 60 s lease', async () => {
    const { as, runIds } = await seedRuns(h, clock, 20);
    const worker = h.app.journeys;
    // The dead process beat (work/presence.ts), claimed every due run, and was SIGKILLed.
    await beat(h.app.storage.db, 'worker_killed', clock.now());
    const held = await claimDueRuns(
      h.app.storage,
      clock.now(),
      clock.now() + worker.options.leaseMs,
      'worker_killed',
      1_000,
    );
    expect(held).toHaveLength(runIds.length);
    const diedAt = clock.now();

    // While its heartbeat is fresh it may still be working: nothing is taken.
    clock.advance(2_000);
    expect(await worker.runOnce()).toBe(0);
    // 3 s after its last beat it is taken for dead, and its runs go on here, each step once.
    clock.advance(1_001);
    await worker.drain();
    expect(clock.now() - diedAt).toBeLessThanOrEqual(5_000);
    const logs = await stepLogs(h.app.storage.db, as.store.id);
    for (const runId of runIds) expect(logs.get(runId), runId).toEqual(['hello:sent']);
  });
});

describeEachDatabase('journey scheduler: restart', (target) => {
  const clock = new ManualClock();
  let database: TestDatabase;
  const open: App[] = [];
  beforeAll(async () => {
    database = await target.create();
  });
  afterAll(async () => {
    for (const app of open) await app.close().catch(() => {});
    await database?.drop();
  });

  const reopen = async (startWorkers: boolean) => {
    const config = { ...loadConfig({}), databaseUrl: database.url, sqliteSynchronous: 'NORMAL' as const };
    const app = await createApp(config, { clock, startWorkers, logger: pino({ level: 'silent' }) });
    open.push(app);
    return app;
  };

  it('after a restart, due runs are executed once and waiting runs stay waiting; a second restart repeats nothing', async () => {
    const SHOPPERS = 60;
    const h = await startHarness(database, { clock });
    open.push(h.app);
    const { as, runIds } = await seedRuns(h, clock, SHOPPERS, { sched: JOURNEY, later: LATER });
    const t0 = clock.now();
    await h.app.journeys.drain();
    // An hour later the second send is due, but the process stops before it gets to it.
    clock.advance(HOUR);
    await h.close();

    // The new process's own worker loop (as `storewire start` runs it) finds what is due.
    const second = await reopen(true);
    await vi.waitFor(
      async () => {
        const logs = await stepLogs(second.storage.db, as.store.id);
        expect([...logs.values()].filter((l) => l.length === 3)).toHaveLength(SHOPPERS);
      },
      { timeout: 20_000, interval: 50 },
    );
    await second.close();

    const third = await reopen(false);
    expect(await third.journeys.runOnce()).toBe(0);
    const db = third.storage.db;
    const logs = await stepLogs(db, as.store.id);
    const messages = await messagesByRun(db, as.store.id);
    for (const runId of runIds) {
      expect(logs.get(runId), runId).toEqual(['hello:sent', 'pause:waited', 'again:sent']);
      expect(messages.get(runId), runId).toEqual(['journey:sched:again', 'journey:sched:hello']);
    }
    const waiting = await db
      .selectFrom('journey_runs')
      .select(['status', 'step_id', 'due_at', 'lease_owner'])
      .where('store_id', '=', as.store.id)
      .execute();
    expect(waiting).toHaveLength(SHOPPERS * 2);
    for (const run of waiting) expect(run.status).toBe('active');
    expect(new Set(waiting.filter((r) => r.step_id === 'rest').map((r) => Number(r.due_at)))).toEqual(
      new Set([t0 + HOUR + DAY]),
    );
    const later = waiting.filter((r) => r.step_id === 'wait_3d');
    expect(later).toHaveLength(SHOPPERS);
    expect(new Set(later.map((r) => Number(r.due_at)))).toEqual(new Set([t0 + 3 * DAY]));
    expect((await stepLogs(db, as.store.id, 'later')).size).toBe(0);
    for (const run of waiting) expect(run.lease_owner).toBeNull();

    // And when their time comes, the waiting runs go on, once.
    clock.advance(3 * DAY);
    await third.journeys.drain();
    const end = await stepLogs(db, as.store.id);
    for (const runId of runIds) expect(end.get(runId), runId).toEqual(FULL_LOG);
    const laterLogs = await stepLogs(db, as.store.id, 'later');
    expect([...laterLogs.values()].every((l) => l.join() === 'wait_3d:waited,nudge:sent')).toBe(true);
    expect(laterLogs.size).toBe(SHOPPERS);
  });
});

describeEachDatabase('journey scheduler: a backlog', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  it('a backlog of due runs does not hold the event loop: a timer set when the worker starts fires before the backlog is done', async () => {
    const { as, runIds } = await seedRuns(h, clock, 600);
    // A worker of this process, as `storewire start` runs it, in rounds of 50.
    const worker = new JourneyWorker(h.app.storage, clock, { batchSize: 50 });
    worker.start();
    try {
      // SQLite answers synchronously: a loop that never waits for I/O would run every round before this timer.
      const claimedWhenTimerFired = await new Promise<number>((resolve) =>
        setTimeout(() => resolve(worker.stats.claimed), 0),
      );
      expect(claimedWhenTimerFired).toBeLessThan(runIds.length);
      await vi.waitFor(() => expect(worker.stats.claimed).toBe(runIds.length), { timeout: 20_000, interval: 20 });
    } finally {
      await worker.stop();
    }
    const logs = await stepLogs(h.app.storage.db, as.store.id);
    for (const runId of runIds) expect(logs.get(runId), runId).toEqual(['hello:sent']);
  });
});

describeEachDatabase('journey scheduler: one turn', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  it('a branch right after a send, in the same turn, sees the message that send queued', async () => {
    // Written together at the end of the turn: the branch must look at the turn's own message, not only at what is saved.
    const branching = {
      name: 'Branch at once',
      trigger: { event: 'sched_go' },
      entry: { buffer: '0s', reentry: 'every_time' },
      steps: [
        { id: 'hello', type: 'send', channel: 'whatsapp', template: 'sched_hello' },
        {
          id: 'check',
          type: 'branch',
          cases: [{ when: [{ message: 'hello', is: 'not_sent' }], next: 'missed' }],
          else: 'queued',
        },
        { id: 'missed', type: 'exit' },
        { id: 'queued', type: 'send', channel: 'whatsapp', template: 'sched_again' },
      ],
    };
    const { as } = await seedRuns(h, clock, 3, { sched: branching });
    await h.app.journeys.drain();
    const logs = await stepLogs(h.app.storage.db, as.store.id);
    expect(logs.size).toBe(3);
    for (const log of logs.values()) expect(log).toEqual(['hello:sent', 'check:branched', 'queued:sent']);
  });
});

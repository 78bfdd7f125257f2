import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Pool } from 'undici';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { freePort, repoRoot, startProcess, type Started } from '../test/support/processes.js';
import { JOURNEY_ID, PING_JOURNEY, JOURNEY, bulkInsertRuns, makeDue, setUpStore } from './journeys-seed.js';

/**
 * The journeys part of `npm run bench` (issue 4, "Speed and scale"), on the embedded database.
 * Every measurement runs the real program in its own process — `storewire start --role worker`
 * (or `start` for the HTTP part), compiled as `npm install` compiles it — and judges from the
 * database file, read by this process:
 *
 * 1. Restart with BENCH_JOURNEY_RUNS (default 1,000,000) runs waiting, and with 1,000: the time
 *    from spawning the process to the first step executed (100 runs are due), and the resident
 *    memory of the idle process with all those runs waiting.
 * 2. The claim query's plan (EXPLAIN QUERY PLAN on the million-run database).
 * 3. A burst: BENCH_JOURNEY_BURST (default 100,000) of the waiting runs come due at one instant
 *    while the worker is running; steps executed per second into the sandbox, peak memory.
 *    Then as many more, worked by the journey worker alone (in this process, no dispatcher
 *    beside it), to tell the worker's own rate from what the rest of the process costs it.
 * 4. Event → first step: `POST /v1/events` to a running `start` server at 100 events/s, each
 *    starting a journey whose first step is a send (buffer "0s"); latency = when this process
 *    first sees the step's message committed in the database (polled every millisecond) − when
 *    the request was issued. The message's own created_at (the worker's clock as the step began)
 *    is reported beside it.
 */

const RUNS = Number(process.env.BENCH_JOURNEY_RUNS ?? 1_000_000);
const SMALL = 1_000;
const DUE_NOW = 100;
const BURST = Math.min(Math.floor(RUNS / 2), Number(process.env.BENCH_JOURNEY_BURST ?? 100_000));
const IDLE_SECONDS = 10;
const LATENCY_RATE = 100;
const LATENCY_SECONDS = 10;
const LATENCY_WARMUP_SECONDS = 2;
const DAY = 86_400_000;

export interface RestartResult {
  waiting: number;
  /** spawn → the process says it is running */
  readyMs: number;
  /** spawn → the first step's time in the step log */
  firstStepMs: number;
  /** spawn → the last of the 100 due runs' steps */
  allDueMs: number;
  idleRssMb: number;
  idlePeakRssMb: number;
}

export interface BurstResult {
  runs: number;
  /** from the instant they came due until the poller saw every run's two steps written */
  seconds: number;
  runsPerSecond: number;
  stepsPerSecond: number;
  /** runs advanced in each whole second after they came due */
  perSecond: number[];
  messagesQueued: number;
  /** of those, how many the dispatcher (in the same process) had sent on to the sandbox by then */
  messagesSentMeanwhile: number;
  peakRssMb: number;
}

export interface WorkerAloneResult {
  runs: number;
  seconds: number;
  runsPerSecond: number;
}

export interface JourneyLatencyResult {
  eventsPerSecond: number;
  events: number;
  non2xx: number;
  seen: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  createdP50Ms: number;
  createdP99Ms: number;
}

export interface JourneysReport {
  seedSeconds: number;
  seededRuns: number;
  claimPlan: string;
  claimUsesIndex: boolean;
  restart: RestartResult[];
  burst: BurstResult;
  workerAlone: WorkerAloneResult;
  latency: JourneyLatencyResult;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const wallNow = () => performance.timeOrigin + performance.now();

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 100 ms until stopped. */
function rssSampler(pid: number) {
  let peak = 0;
  let last = 0;
  const timer = setInterval(() => {
    last = rssMb(pid);
    peak = Math.max(peak, last);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak: Math.round(Math.max(peak, rssMb(pid))), last: Math.round(rssMb(pid) || last) };
    },
  };
}

async function until<T>(
  what: string,
  probe: () => T | null | undefined,
  timeoutMs: number,
  everyMs: number,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/** The program as `npm install` builds it (tsc, tsconfig.build.json), into .bench/dist: the source may be newer than dist/. */
function build(): string {
  const outDir = join(repoRoot, '.bench/dist');
  const tsc = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (tsc.status !== 0)
    process.stderr.write(
      `bench: tsc reported errors (the build is used anyway, as tsc emits it):\n${tsc.stdout.slice(0, 2000)}\n`,
    );
  return join(outDir, 'cli/main.js');
}

function env(file: string, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: `sqlite:${file}`, STOREWIRE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
}

const startWorker = (cli: string, file: string, dataDir: string) =>
  startProcess([cli, 'start', '--role', 'worker'], env(file, dataDir), /Storewire worker is running/, 120_000);

/** Spawns the worker on a database where DUE_NOW runs are due and the rest wait; times its first steps and measures it idle. */
async function restart(cli: string, file: string, dataDir: string, waiting: number): Promise<RestartResult> {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  const steps = reader.prepare('select count(*) as n, min(at) as first, max(at) as last from journey_steps');
  let worker: Started | null = null;
  try {
    const spawnedAt = Date.now();
    worker = await startWorker(cli, file, dataDir);
    const readyMs = Date.now() - spawnedAt;
    const done = await until(
      'the due runs',
      () => {
        const row = steps.get() as { n: number; first: number; last: number };
        return row.n >= DUE_NOW * 2 ? row : null;
      },
      60_000,
      5,
    );
    const sampler = rssSampler(worker.child.pid!);
    await sleep(IDLE_SECONDS * 1000);
    const rss = sampler.stop();
    return {
      waiting,
      readyMs,
      firstStepMs: done.first - spawnedAt,
      allDueMs: done.last - spawnedAt,
      idleRssMb: rss.last,
      idlePeakRssMb: rss.peak,
    };
  } finally {
    await worker?.stop();
    reader.close();
  }
}

/** With the worker running and idle, BURST waiting runs come due at one instant. */
async function burst(cli: string, file: string, dataDir: string): Promise<BurstResult> {
  // Set while the worker is stopped (nothing else writes), due a few seconds after it is up.
  const dueAt = Date.now() + 15_000;
  makeDue(file, DUE_NOW, DUE_NOW + BURST, dueAt);
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  const stepsSoFar = reader.prepare('select max(rowid) as n from journey_steps');
  const before = (stepsSoFar.get() as { n: number }).n;
  let worker: Started | null = null;
  try {
    worker = await startWorker(cli, file, dataDir);
    if (Date.now() > dueAt - 2_000)
      throw new Error('bench: the worker took too long to start before the burst came due');
    const sampler = rssSampler(worker.child.pid!);
    await sleep(dueAt - Date.now());
    const perSecond: number[] = [];
    let lastSecond = before;
    let nextTick = dueAt + 1000;
    const doneAt = await until(
      'the burst',
      () => {
        const n = (stepsSoFar.get() as { n: number }).n;
        if (Date.now() >= nextTick) {
          perSecond.push(Math.round((n - lastSecond) / 2));
          lastSecond = n;
          nextTick += 1000;
        }
        return n - before >= BURST * 2 ? Date.now() : null;
      },
      600_000,
      20,
    );
    const rss = sampler.stop();
    const seconds = (doneAt - dueAt) / 1000;
    const count = (statuses: string[]) =>
      (
        reader
          .prepare(
            `select count(*) as n from messages where campaign = ? and status in (${statuses.map(() => '?').join(', ')})`,
          )
          .get(`journey:${JOURNEY_ID}:remind`, ...statuses) as { n: number }
      ).n;
    return {
      runs: BURST,
      seconds: round(seconds, 2),
      runsPerSecond: Math.round(BURST / seconds),
      stepsPerSecond: Math.round((BURST * 2) / seconds),
      perSecond,
      messagesQueued: count(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']),
      messagesSentMeanwhile: count(['sent', 'delivered', 'read']),
      peakRssMb: rss.peak,
    };
  } finally {
    await worker?.stop();
    reader.close();
  }
}

/** The next BURST waiting runs, due now, drained by a JourneyWorker in this process with nothing else running. */
async function workerAlone(file: string): Promise<WorkerAloneResult> {
  makeDue(file, DUE_NOW + BURST, DUE_NOW + 2 * BURST, Date.now() - 1_000);
  const app = await createApp(
    { ...loadConfig({}), databaseUrl: `sqlite:${file}` },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const started = performance.now();
    await app.journeys.drain();
    const seconds = (performance.now() - started) / 1000;
    return {
      runs: app.journeys.stats.claimed,
      seconds: round(seconds, 2),
      runsPerSecond: Math.round(app.journeys.stats.claimed / seconds),
    };
  } finally {
    await app.close();
  }
}

/** Events over HTTP to a running `start`, each starting a run whose first step sends at once. */
async function latency(cli: string): Promise<JourneyLatencyResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-journeys-latency-'));
  const file = join(dataDir, 'latency.db');
  const shoppers = LATENCY_RATE * (LATENCY_SECONDS + LATENCY_WARMUP_SECONDS);
  let server: Started | null = null;
  const reader = { db: null as Database.Database | null };
  try {
    const { store } = await setUpStore(file, { [JOURNEY_ID]: JOURNEY, bench_ping: PING_JOURNEY });
    // The shoppers (with consent and a phone), each with a run of the reminder journey far in the future.
    bulkInsertRuns(file, store.store.id, shoppers, Date.now(), () => Date.now() + 30 * DAY);
    const port = await freePort();
    server = await startProcess(
      [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'start'],
      env(file, dataDir, { PORT: String(port), STOREWIRE_DEMO_STORE: '0' }),
      /listening on/,
      120_000,
    );
    reader.db = new Database(file, { readonly: true, fileMustExist: true });
    const fresh = reader.db.prepare(
      `select rowid as r, idempotency_key as k, created_at as c from messages where rowid > ? and campaign = 'journey:bench_ping:ping' order by rowid`,
    );
    const api = new Pool(`http://127.0.0.1:${port}`, { connections: 16, pipelining: 1 });
    const headers = { authorization: `Bearer ${store.apiKey}`, 'content-type': 'application/json' };
    const issued = new Map<string, number>();
    const seenAt = new Map<string, { seen: number; created: number }>();
    let non2xx = 0;
    let lastRowid = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        for (const row of fresh.all(lastRowid) as { r: number; k: string; c: number }[]) {
          lastRowid = row.r;
          seenAt.set(row.k.split(':')[1]!, { seen: wallNow(), created: Number(row.c) });
        }
        await sleep(1);
      }
    })();
    const warmup = LATENCY_RATE * LATENCY_WARMUP_SECONDS;
    const inFlight: Promise<void>[] = [];
    const start = performance.now();
    for (let i = 0; i < shoppers; ) {
      const due = start + (i * 1000) / LATENCY_RATE;
      const wait = due - performance.now();
      if (wait > 0.5) {
        await sleep(Math.max(1, Math.floor(wait)));
        continue;
      }
      const eventId = `ping-${i}`;
      const body = JSON.stringify({
        event_id: eventId,
        event_name: 'bench_ping',
        timestamp: new Date().toISOString(),
        customer: { customer_id: `bench-${i}` },
        event_data: { n: i },
      });
      const measured = i >= warmup;
      issued.set(eventId, wallNow());
      inFlight.push(
        api.request({ method: 'POST', path: '/v1/events', headers, body }).then(
          async (res) => {
            await res.body.dump();
            if (res.statusCode !== 202 && measured) non2xx += 1;
          },
          () => {
            if (measured) non2xx += 1;
          },
        ),
      );
      i += 1;
    }
    await Promise.all(inFlight);
    await sleep(2_000);
    polling = false;
    await poller;
    await api.close();
    // Which event started each run: the run's trigger event.
    const triggers = new Map(
      (
        reader.db
          .prepare(`select id, trigger_event_id as e from journey_runs where journey_id = 'bench_ping'`)
          .all() as { id: string; e: string }[]
      ).map((r) => [r.id, r.e]),
    );
    const latencies: number[] = [];
    const created: number[] = [];
    for (const [runId, { seen, created: createdAt }] of seenAt) {
      const eventId = triggers.get(runId);
      const at = eventId ? issued.get(eventId) : undefined;
      if (at === undefined || Number(eventId!.slice(5)) < warmup) continue;
      latencies.push(seen - at);
      created.push(createdAt - at);
    }
    latencies.sort((a, b) => a - b);
    created.sort((a, b) => a - b);
    return {
      eventsPerSecond: LATENCY_RATE,
      events: shoppers - warmup,
      non2xx,
      seen: latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p90Ms: round(percentile(latencies, 90)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? NaN),
      createdP50Ms: round(percentile(created, 50)),
      createdP99Ms: round(percentile(created, 99)),
    };
  } finally {
    reader.db?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The claim query as the worker runs it (src/storage/journeys.ts claimDueRuns), and SQLite's plan for it. */
function claimPlan(file: string): { plan: string; usesIndex: boolean } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const sqlText = `select "id" from "journey_runs" where "status" = ? and "due_at" <= ? and ("lease_until" is null or "lease_until" < ?) order by "due_at" limit ?`;
    const rows = db.prepare(`explain query plan ${sqlText}`).all('active', Date.now(), Date.now(), 500) as {
      detail: string;
    }[];
    const plan = rows.map((r) => r.detail).join('; ');
    return {
      plan,
      usesIndex: /USING INDEX journey_runs_due \(status=\? AND due_at<\?\)/.test(plan) && !/USE TEMP B-TREE/.test(plan),
    };
  } finally {
    db.close();
  }
}

export async function journeysBench(): Promise<JourneysReport> {
  const cli = build();
  // First, on a settled machine: run after the million-run databases were written, its p99 read
  // 100–740 ms in about one run of three (on every tree tried; 10–13 ms when run alone) — most
  // likely its commits' fsyncs waiting behind the kernel writing those gigabytes back.
  const latencyResult = await latency(cli);
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-journeys-'));
  try {
    const now = Date.now();
    // Run n < DUE_NOW is due now; the others wait 30 days (and n's place in the day spreads them).
    const dueAt = (n: number) => (n < DUE_NOW ? now - 1_000 : now + 30 * DAY + n);
    const small = join(dataDir, 'small.db');
    const { store: smallStore } = await setUpStore(small);
    bulkInsertRuns(small, smallStore.store.id, DUE_NOW + SMALL, now - DAY, dueAt);
    const big = join(dataDir, 'big.db');
    const { store: bigStore } = await setUpStore(big);
    const seedSeconds = bulkInsertRuns(big, bigStore.store.id, DUE_NOW + RUNS, now - DAY, dueAt);
    const { plan, usesIndex } = claimPlan(big);
    const restarts = [await restart(cli, small, dataDir, SMALL), await restart(cli, big, dataDir, RUNS)];
    const burstResult = await burst(cli, big, dataDir);
    const alone = await workerAlone(big);
    return {
      seedSeconds: round(seedSeconds),
      seededRuns: DUE_NOW + RUNS,
      claimPlan: plan,
      claimUsesIndex: usesIndex,
      restart: restarts,
      burst: burstResult,
      workerAlone: alone,
      latency: latencyResult,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function journeysSummary(r: JourneysReport): string[] {
  const lines = [
    `journeys: seeded ${r.seededRuns.toLocaleString('en')} runs (and as many shoppers) by bulk SQL in ${r.seedSeconds} s`,
    `journeys: claim query plan: ${r.claimPlan} (uses the (status, due_at) index: ${r.claimUsesIndex ? 'yes' : 'NO'})`,
  ];
  for (const x of r.restart) {
    lines.push(
      `journeys: restart with ${x.waiting.toLocaleString('en')} runs waiting: ready in ${x.readyMs} ms, first step ${x.firstStepMs} ms after spawn, ${DUE_NOW} due runs done at ${x.allDueMs} ms; idle RSS ${x.idleRssMb} MB (peak ${x.idlePeakRssMb} MB)`,
    );
  }
  const b = r.burst;
  lines.push(
    `journeys: ${b.runs.toLocaleString('en')} runs due at once: ${b.runsPerSecond.toLocaleString('en')} runs/s (each a wait ending and a send queued: ${b.stepsPerSecond.toLocaleString('en')} steps/s) over ${b.seconds} s; per second ${b.perSecond.join(', ')}; ${b.messagesQueued.toLocaleString('en')} messages queued, ${b.messagesSentMeanwhile.toLocaleString('en')} of them sent on to the sandbox meanwhile; peak RSS ${b.peakRssMb} MB`,
  );
  const a = r.workerAlone;
  lines.push(
    `journeys: the journey worker alone (bench process, no dispatcher): ${a.runs.toLocaleString('en')} due runs in ${a.seconds} s = ${a.runsPerSecond.toLocaleString('en')} runs/s`,
  );
  const l = r.latency;
  lines.push(
    `journeys: event → first step (send), ${l.eventsPerSecond} events/s over HTTP: p50 ${l.p50Ms} ms, p90 ${l.p90Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms (${l.seen}/${l.events} seen, non-2xx ${l.non2xx}); message created_at − request: p50 ${l.createdP50Ms} ms, p99 ${l.createdP99Ms} ms`,
  );
  return lines;
}

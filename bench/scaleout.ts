import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { freePort, repoRoot, startProcess, type Started } from '../test/support/processes.js';
import { eachConcurrently, startFake } from './messaging.js';

/**
 * The `scaleout` part of `npm run bench` (issue 12, "Speed"), PostgreSQL only
 * (STOREWIRE_BENCH_PG_URL; the part is skipped without it). On a fresh database: one
 * `storewire start --role api` process and two `--role worker` processes; STORES stores, each with
 * its own WhatsApp number limited to 80 messages/s, MESSAGES messages each, queued through the API
 * and all due at one instant T0. The judge is the fake Graph API (bench/fake-whatsapp-server.ts,
 * real HTTP on loopback), which records each accepted message with its number and arrival time
 * and answers 130429 past 80 in any sliding second of a number. KILL_AFTER seconds after the first
 * arrival one worker is SIGKILLed. Reported:
 * - which worker sent for which numbers before the kill (the message log's `attemptLog`);
 * - each number's rate before the kill as % of its limit, and its 130429 answers;
 * - the time from the kill until each of the dead worker's numbers is sent for again (at the fake);
 * - the messages that reached the fake twice, whether each is marked `possiblyDuplicate`, and the
 *   attempts in flight at the kill (those whose outcome became `unknown`);
 * - the accepted rate over all numbers with two workers against a second run with one worker.
 * BENCH_DUMP=<path>: every arrival and refusal of each run, to <path>-<workers>.json.
 * Knobs: BENCH_SCALEOUT_STORES (10), BENCH_SCALEOUT_MESSAGES (1000), BENCH_SCALEOUT_KILL_AFTER (6 s).
 */

const STORES = Number(process.env.BENCH_SCALEOUT_STORES ?? 10);
const MESSAGES = Number(process.env.BENCH_SCALEOUT_MESSAGES ?? 1000);
const KILL_AFTER_MS = Number(process.env.BENCH_SCALEOUT_KILL_AFTER ?? 6) * 1000;
const LIMIT = 80;
/** The first second of a number's sending is its ramp: rates are measured after it. */
const RAMP_MS = 1_000;
const TEMPLATE = 'bench_order_update';
const BIN = join(repoRoot, 'bin', 'storewire.js');

export interface ScaleoutNumber {
  phoneNumberId: string;
  /** worker label (A, B) → messages of this number it claimed (began an attempt of) before the kill */
  sentBy: Record<string, number>;
  /** accepted/s from first arrival + 1 s to the kill (or the end of the window), as a share of 80 */
  shareOfLimit: number;
  throttled130429: number;
  /** the dead worker's numbers: ms from the kill to the next arrival at the fake */
  resumedAfterMs?: number;
}

export interface ScaleoutRun {
  workers: number;
  windowSeconds: number;
  /** accepted/s over all numbers in the window */
  acceptedPerSecond: number;
  accepted: number;
  throttled130429: number;
  /** when each 130429 was answered (s after the first arrival) and to which number (its index) */
  throttledAt: string[];
  otherRefusals: number;
  queueingSeconds: number;
  queueingOverlapped: boolean;
  numbers: ScaleoutNumber[];
  /** numbers each worker paced before the kill (claimed most of their messages), by label */
  numbersPerWorker: Record<string, number>;
  killed?: string;
  /** messages accepted twice by the fake, how many of them are marked possiblyDuplicate */
  sentTwice?: number;
  sentTwiceMarked?: number;
  /**
   * attempts of the dead worker whose outcome became unknown: claimed and not known to be ended
   * at the kill (an attempt begins at the claim, so some were still waiting for their pacing slot)
   */
  inFlightAtKill?: number;
  /** all messages reached the fake (after the kill too) */
  allArrivedSeconds?: number | null;
}

export interface ScaleoutReport {
  twoWorkers: ScaleoutRun;
  oneWorker: ScaleoutRun;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const phoneNumberIdOf = (s: number) => `1065403522${String(s).padStart(5, '0')}`;

async function freshDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `storewire_scaleout_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} → ${code}\n${out}`))));
  });
}

interface Store {
  key: string;
  phoneNumberId: string;
}

async function call(api: Pool, key: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
  const res = await api.request({
    method,
    path,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A store with its number on the fake, the template, and `count` shoppers; returns the shoppers' ids. */
async function prepareStore(api: Pool, store: Store, fakeUrl: string, count: number): Promise<string[]> {
  await call(api, store.key, 'PUT', '/v1/channels/whatsapp', {
    phoneNumberId: store.phoneNumberId,
    accessToken: 'test-access-token',
    appSecret: 'test-app-secret',
    verifyToken: 'bench-verify-token',
    apiBaseUrl: fakeUrl,
    throughputPerSecond: LIMIT,
  });
  await call(api, store.key, 'PUT', `/v1/templates/${TEMPLATE}`, {
    channel: 'whatsapp',
    language: 'en',
    category: 'utility',
    body: { text: 'Your order update: {{1}}' },
    parameters: { '1': '{{ params.rid }}' },
  });
  const ids: string[] = [];
  for (let b = 0; b < count; b += 1000) {
    const contacts = Array.from({ length: Math.min(1000, count - b) }, (_, k) => ({
      customer_id: `bench-${b + k}`,
      phone: `+9198${String(b + k).padStart(8, '0')}`,
    }));
    const answer = await call(api, store.key, 'POST', '/v1/contacts', { contacts });
    for (const { index, id } of answer.contacts as { index: number; id: string }[]) ids[b + index] = id;
  }
  return ids;
}

const queue = (api: Pool, store: Store, contactId: string, rid: string, notBefore: number) =>
  call(api, store.key, 'POST', '/v1/messages', {
    to: { contactId },
    template: TEMPLATE,
    params: { rid },
    idempotencyKey: rid,
    notBefore: new Date(notBefore).toISOString(),
  }) as Promise<{ id: string }>;

/** Starts a worker process; its handle can be SIGKILLed (then it is not stopped again). */
async function startWorker(env: Record<string, string>): Promise<Started> {
  return startProcess([BIN, 'start', '--role', 'worker'], env, /Storewire worker is running/, 60_000);
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function scaleoutRun(pgUrl: string, workerCount: number, kill: boolean): Promise<ScaleoutRun> {
  const db = await freshDatabase(pgUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-scaleout-'));
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url,
    STOREWIRE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    STOREWIRE_SAMPLE_DATA: '0',
    STOREWIRE_DEMO_STORE: '0',
    PORT: String(port),
  };
  const fake = await startFake(LIMIT);
  const processes: Started[] = [];
  let api: Pool | null = null;
  try {
    processes.push(await startProcess([BIN, 'start', '--role', 'api'], env, /Role api/, 60_000));
    for (let w = 0; w < workerCount; w++) processes.push(await startWorker(env));
    api = new Pool(`http://127.0.0.1:${port}`, { connections: 32 });
    const stores: Store[] = [];
    for (let s = 0; s < STORES; s++) {
      const out = await run(['stores', 'create', '--name', `Scale-out ${s}`, '--json'], env);
      stores.push({
        key: (JSON.parse(out.trim().split('\n').pop()!) as { apiKey: string }).apiKey,
        phoneNumberId: phoneNumberIdOf(s),
      });
    }
    const probe = 100;
    const contacts: string[][] = [];
    for (const [s, store] of stores.entries())
      contacts.push(await prepareStore(api, store, fake.url, MESSAGES + (s === 0 ? probe : 0)));
    // T0 from the queueing rate of a probe (due in an hour: never sent in the run).
    const queueStart = Date.now();
    await eachConcurrently(probe, 16, (i) =>
      queue(api!, stores[0]!, contacts[0]![MESSAGES + i]!, `probe-${i}`, queueStart + 3_600_000).then(() => {}),
    );
    const perMessageMs = (Date.now() - queueStart) / probe;
    const total = STORES * MESSAGES;
    const t0 = Date.now() + Math.ceil(total * perMessageMs * 1.2) + 2_000;
    const messageOf = new Map<string, { store: number; id: string }>();
    await eachConcurrently(total, 16, async (n) => {
      const s = n % STORES;
      const i = Math.floor(n / STORES);
      const rid = `s${s}-${i}`;
      const { id } = await queue(api!, stores[s]!, contacts[s]![i]!, rid, t0);
      messageOf.set(rid, { store: s, id });
    });
    const queuedAt = Date.now();
    if (queuedAt < t0) await sleep(t0 - queuedAt);
    const arrivals = async () =>
      (await call(fake.control, '', 'GET', '/arrivals')).arrivals as [string, number, string][];
    // The first arrival, then the kill KILL_AFTER later (fake and bench share the machine's wall clock).
    let firstAt = Number.NaN;
    for (let tries = 0; tries < 200 && Number.isNaN(firstAt); tries++) {
      const stats = await call(fake.control, '', 'GET', '/stats');
      if (stats.firstAt !== null) firstAt = stats.firstAt;
      else await sleep(100);
    }
    if (Number.isNaN(firstAt)) throw new Error('no message reached the fake within 20 s of T0');
    const sendingMs = (MESSAGES / LIMIT) * 1000;
    let killAt: number | null = null;
    let killed: Started | null = null;
    if (kill) {
      await sleep(Math.max(0, firstAt + KILL_AFTER_MS - Date.now()));
      killed = processes[1 + Math.floor(Math.random() * workerCount)]!;
      killAt = Date.now();
      await killHard(killed.child);
    }
    // Wait for every message (or 60 s past the time it should take).
    const deadline = firstAt + sendingMs + 60_000;
    let all: [string, number, string][] = [];
    let allArrivedAt: number | null = null;
    for (;;) {
      all = await arrivals();
      const distinct = new Set(all.map((a) => a[0]));
      if (distinct.size >= total) {
        allArrivedAt = Math.max(...all.map((a) => a[1]));
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    const refusals = (await call(fake.control, '', 'GET', '/refusals')).refusals as [string, number, number, number][];
    const windowEnd = killAt ?? firstAt + Math.max(RAMP_MS + 1000, sendingMs - 1500);
    const windowMs = windowEnd - (firstAt + RAMP_MS);
    const inWindow = all.filter(([, at]) => at >= firstAt + RAMP_MS && at < windowEnd);
    const numbers: ScaleoutNumber[] = stores.map((store) => ({
      phoneNumberId: store.phoneNumberId,
      sentBy: {},
      shareOfLimit: round(inWindow.filter((a) => a[2] === store.phoneNumberId).length / (windowMs / 1000) / LIMIT, 4),
      throttled130429: refusals.filter((r) => r[0] === store.phoneNumberId && r[3] === 130429).length,
    }));
    const result: ScaleoutRun = {
      workers: workerCount,
      windowSeconds: round(windowMs / 1000, 1),
      acceptedPerSecond: round(inWindow.length / (windowMs / 1000), 1),
      accepted: all.length,
      throttled130429: refusals.filter((r) => r[3] === 130429).length,
      throttledAt: refusals
        .filter((r) => r[3] === 130429)
        .slice(0, 40)
        .map((r) => `#${stores.findIndex((st) => st.phoneNumberId === r[0])}@${round((r[1] - firstAt) / 1000, 2)}`),
      otherRefusals: refusals.filter((r) => r[3] !== 130429).length,
      queueingSeconds: round((queuedAt - queueStart) / 1000, 1),
      queueingOverlapped: queuedAt > t0,
      numbers,
      numbersPerWorker: {},
      allArrivedSeconds: allArrivedAt === null ? null : round((allArrivedAt - firstAt) / 1000, 1),
    };
    if (kill && killAt !== null) await judgeFailover(api, stores, messageOf, all, killAt, result);
    if (process.env.BENCH_DUMP)
      writeFileSync(
        `${process.env.BENCH_DUMP}-${workerCount}.json`,
        JSON.stringify({ firstAt, killAt, all, refusals }),
      );
    return result;
  } finally {
    await api?.close();
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
}

interface Attempt {
  worker: string | null;
  startedAt: string;
  outcome: string;
}

/** Reads every message's attempt log through the API: who sent for which number, what was in flight at the kill. */
async function judgeFailover(
  api: Pool,
  stores: Store[],
  messageOf: Map<string, { store: number; id: string }>,
  all: [string, number, string][],
  killAt: number,
  result: ScaleoutRun,
): Promise<void> {
  const logs = new Map<string, { store: number; attempts: Attempt[]; possiblyDuplicate: boolean }>();
  const entries = [...messageOf.entries()];
  await eachConcurrently(entries.length, 16, async (i) => {
    const [rid, { store, id }] = entries[i]!;
    const m = await call(api, stores[store]!.key, 'GET', `/v1/messages/${id}`);
    logs.set(rid, { store, attempts: m.attemptLog, possiblyDuplicate: m.possiblyDuplicate === true });
  });
  // Workers are labelled A, B… by their first attempt; the dead one is the one with none after the kill.
  const labels = new Map<string, string>();
  const lastStart = new Map<string, number>();
  const sortedAttempts = [...logs.values()]
    .flatMap((l) => l.attempts.map((a) => ({ ...a, store: l.store, at: Date.parse(a.startedAt) })))
    .sort((a, b) => a.at - b.at);
  for (const a of sortedAttempts) {
    if (!a.worker) continue;
    if (!labels.has(a.worker)) labels.set(a.worker, String.fromCharCode(65 + labels.size));
    lastStart.set(a.worker, a.at);
  }
  const dead = [...lastStart].find(([, at]) => at < killAt + 500)?.[0];
  result.killed = dead ? labels.get(dead) : 'unknown';
  const deadNumbers = new Set<number>();
  // An attempt begins when its worker claims the message (storage/message-attempts.ts), so who
  // claimed a number's messages before the kill is who paced it.
  for (const a of sortedAttempts) {
    if (!a.worker || a.at >= killAt) continue;
    const n = result.numbers[a.store]!;
    const label = labels.get(a.worker)!;
    n.sentBy[label] = (n.sentBy[label] ?? 0) + 1;
    if (a.worker === dead) deadNumbers.add(a.store);
  }
  // A number is the worker's that claimed most of its messages before the kill.
  for (const n of result.numbers) {
    const [label] = Object.entries(n.sentBy).sort((a, b) => b[1] - a[1])[0] ?? ['none'];
    result.numbersPerWorker[label] = (result.numbersPerWorker[label] ?? 0) + 1;
  }
  for (const s of deadNumbers) {
    // Past 100 ms: a call the dead worker wrote just before the kill may still land.
    const next = all.filter((a) => a[2] === stores[s]!.phoneNumberId && a[1] > killAt + 100).map((a) => a[1]);
    result.numbers[s]!.resumedAfterMs = next.length ? Math.round(Math.min(...next) - killAt) : -1;
  }
  const seen = new Map<string, number>();
  for (const [rid] of all) seen.set(rid, (seen.get(rid) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([rid]) => rid);
  result.sentTwice = twice.length;
  result.sentTwiceMarked = twice.filter((rid) => logs.get(rid)?.possiblyDuplicate).length;
  result.inFlightAtKill = sortedAttempts.filter(
    (a) => a.worker === dead && (a.outcome === 'unknown' || a.outcome === 'in_flight'),
  ).length;
}

export async function scaleoutBench(): Promise<ScaleoutReport | null> {
  const pgUrl = process.env.STOREWIRE_BENCH_PG_URL;
  if (!pgUrl) return null;
  const twoWorkers = await scaleoutRun(pgUrl, 2, true);
  const oneWorker = await scaleoutRun(pgUrl, 1, false);
  return { twoWorkers, oneWorker };
}

export function scaleoutSummary(report: ScaleoutReport | null): string[] {
  if (!report) return ['scaleout: SKIPPED (PostgreSQL only: set STOREWIRE_BENCH_PG_URL)'];
  const two = report.twoWorkers;
  const lines = [
    `scaleout, ${STORES} numbers × ${MESSAGES} messages at ${LIMIT}/s, api + 2 workers on PostgreSQL (queued in ${two.queueingSeconds} s${two.queueingOverlapped ? ', OVERLAPPED' : ''}):`,
    `  numbers per worker before the kill: ${JSON.stringify(two.numbersPerWorker)} (target 4–6 each)`,
  ];
  for (const n of two.numbers)
    lines.push(
      `  ${n.phoneNumberId}: ${(n.shareOfLimit * 100).toFixed(1)}% of limit (target ≥ 95%), 130429 ×${n.throttled130429}, claimed by ${JSON.stringify(n.sentBy)}` +
        (n.resumedAfterMs === undefined ? '' : `; resumed ${n.resumedAfterMs} ms after the kill (target ≤ 5000)`),
    );
  lines.push(
    `  SIGKILL of worker ${two.killed} ${KILL_AFTER_MS / 1000} s in: sent twice ${two.sentTwice}, marked possiblyDuplicate ${two.sentTwiceMarked}, claimed by the dead worker and not ended at the kill (outcome unknown) ${two.inFlightAtKill}; all ${STORES * MESSAGES} arrived ${two.allArrivedSeconds ?? 'NOT'} s after the first; 130429 ×${two.throttled130429} (${two.throttledAt.join(' ')}), other refusals ${two.otherRefusals}`,
  );
  const one = report.oneWorker;
  lines.push(
    `  throughput over all numbers: 2 workers ${two.acceptedPerSecond}/s (${two.windowSeconds} s before the kill) vs 1 worker ${one.acceptedPerSecond}/s (${one.windowSeconds} s; 130429 ×${one.throttled130429}: ${one.throttledAt.join(' ')}); limit ${STORES * LIMIT}/s`,
  );
  return lines;
}

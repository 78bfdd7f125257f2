import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { demoStoreFrom, freePort, startProcess, type Started } from '../test/support/processes.js';

/**
 * The messaging half of `npm run bench` (issue 3, "Speed"). Every measurement runs a real
 * Storewire server (`bin/storewire.js start`, SQLite in a temp dir) and a fake WhatsApp Cloud API
 * (bench/fake-whatsapp-server.ts), each in its own process, and judges from the fake's side:
 *
 * 1. Throughput: the number is limited to 80 and to 1,000 messages/s (the fake answers 130429
 *    past the limit in any sliding second). The outbox is filled first — one utility template
 *    per shopper (so Meta's 6 s pair limit never applies), all due at one instant T0 — then
 *    the fake counts what it accepts per second. Reported: the rate over BENCH_MESSAGING_SECONDS
 *    (default 30) after a 3 s ramp, the slowest second, the busiest 1 s window, 130429 answers.
 * 2. Latency: `POST /v1/messages/send-template` (seed 002 shape) at 500 requests/s, paced, for
 *    10 s after 2 s of warm-up, number limited to 1,000/s. Each request carries its id as the
 *    template's only parameter; the fake records when each message arrived, and
 *    latency = arrival (fake's clock) − the moment the request was issued (bench's clock). Both
 *    are wall-clock ms with sub-ms precision; their offset is measured and reported.
 */

const STEADY_SECONDS = Number(process.env.BENCH_MESSAGING_SECONDS ?? 30);
const RAMP_SECONDS = 3;
/** Messages queued beyond the measured window, so the queue is never empty inside it. */
const TAIL_SECONDS = 5;
const LATENCY_RATE = 500;
const LATENCY_SECONDS = 10;
const LATENCY_WARMUP_SECONDS = 2;
const LATENCY_THROUGHPUT = 1000;
const PHONE_NUMBER_ID = '106540352242922';
const TEMPLATE = 'bench_order_update';
const TEMPLATE_DEFINITION = {
  channel: 'whatsapp',
  language: 'en',
  category: 'utility',
  body: { text: 'Your order update: {{1}}' },
  parameters: { '1': '{{ params.rid }}' },
};

export interface ThroughputResult {
  limitPerSecond: number;
  messagesQueued: number;
  /** how long filling the outbox took (messages were due at T0, after it) */
  queueingSeconds: number;
  /** the outbox was still being filled after T0 (the measurement then overlaps queueing) */
  queueingOverlapped: boolean;
  steadySeconds: number;
  acceptedPerSecond: number;
  shareOfLimit: number;
  slowestSecond: number;
  busiestOneSecondWindow: number;
  throttled130429: number;
  /** when they came, seconds after the first acceptance */
  throttledAtSeconds: number[];
  otherRefusals: number;
}

export interface LatencyResult {
  requestsPerSecond: number;
  seconds: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** requests whose message reached the fake within the run */
  arrived: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** the HTTP answer to send-template, as the client saw it */
  responseP50Ms: number;
  responseP99Ms: number;
  /** fake's clock − bench's clock, measured with the fastest of 20 round trips, and ± half that round trip */
  clockOffsetMs: number;
  clockUncertaintyMs: number;
}

export interface MessagingReport {
  throughput: ThroughputResult[];
  latency: LatencyResult;
}

const wallNow = () => performance.timeOrigin + performance.now();
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fake {
  control: Pool;
  url: string;
  stop(): Promise<void>;
}

export async function startFake(throughputPerSecond: number): Promise<Fake> {
  const started = await startProcess(
    [
      ...(process.env.BENCH_FAKE_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
      'bench/fake-whatsapp-server.ts',
    ],
    { THROUGHPUT: String(throughputPerSecond) },
    /control \S+\n/,
  );
  const [, url, controlUrl] = /fake whatsapp (\S+) control (\S+)/.exec(started.output())!;
  const control = new Pool(controlUrl!, { connections: 2 });
  return {
    control,
    url: url!,
    stop: async () => {
      await control.close();
      await started.stop();
    },
  };
}

async function getJson<T>(pool: Pool, path: string): Promise<T> {
  const res = await pool.request({ method: 'GET', path });
  return (await res.body.json()) as T;
}

interface Storewire {
  api: Pool;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/** A real server as a user starts it, on a fresh SQLite database in a temp dir. */
export async function startStorewire(): Promise<Storewire> {
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-msg-'));
  const port = await freePort();
  let server: Started | null = null;
  try {
    // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    server = await startProcess(
      [...nodeArgs, 'bin/storewire.js', 'start'],
      {
        PORT: String(port),
        STOREWIRE_DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
        LOG_LEVEL: 'warn',
        // An empty demo store: the bench counts its own messages only.
        STOREWIRE_SAMPLE_DATA: '0',
      },
      /API key/,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { apiKey } = demoStoreFrom(server!.output());
  const api = new Pool(`http://127.0.0.1:${port}`, { connections: 64, pipelining: 1 });
  return {
    api,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    stop: async () => {
      await api.close();
      await server!.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(
  sw: Storewire,
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const res = await sw.api.request({ method, path, headers: sw.headers, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : null };
}

async function mustCall(sw: Storewire, method: 'POST' | 'PUT', path: string, body: unknown): Promise<any> {
  const res = await call(sw, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs fn(0..count-1) with at most `concurrency` at once. */
export async function eachConcurrently(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const phoneOf = (i: number) => `+9198${String(i).padStart(8, '0')}`;

/** Connects the store's WhatsApp number to the fake, stores the template, creates `count` shoppers; returns their ids. */
export async function prepareStore(
  sw: Storewire,
  fakeUrl: string,
  throughputPerSecond: number,
  count: number,
): Promise<string[]> {
  await mustCall(sw, 'PUT', '/v1/channels/whatsapp', {
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: 'test-access-token',
    appSecret: 'test-app-secret',
    verifyToken: 'bench-verify-token',
    apiBaseUrl: fakeUrl,
    throughputPerSecond,
  });
  await mustCall(sw, 'PUT', `/v1/templates/${TEMPLATE}`, TEMPLATE_DEFINITION);
  const ids: string[] = new Array(count);
  const batch = 1000;
  await eachConcurrently(Math.ceil(count / batch), 2, async (b) => {
    const contacts = Array.from({ length: Math.min(batch, count - b * batch) }, (_, k) => ({
      customer_id: `bench-${b * batch + k}`,
      phone: phoneOf(b * batch + k),
    }));
    const answer = await mustCall(sw, 'POST', '/v1/contacts', { contacts });
    for (const { index, id } of answer.contacts as { index: number; id: string }[]) ids[b * batch + index] = id;
  });
  if (ids.some((id) => !id)) throw new Error('some bench contacts were not created');
  return ids;
}

export function queueOne(sw: Storewire, contactId: string, rid: string, notBefore: number): Promise<unknown> {
  return mustCall(sw, 'POST', '/v1/messages', {
    to: { contactId },
    template: TEMPLATE,
    params: { rid },
    idempotencyKey: rid,
    notBefore: new Date(notBefore).toISOString(),
  });
}

/** Throughput against a number limited to `limit` messages/s, judged by the fake. */
export async function throughput(limit: number): Promise<ThroughputResult> {
  const count = Math.ceil(limit * (RAMP_SECONDS + STEADY_SECONDS + TAIL_SECONDS));
  const probe = 500;
  const fake = await startFake(limit);
  const sw = await startStorewire().catch(async (e) => {
    await fake.stop();
    throw e;
  });
  try {
    const contacts = await prepareStore(sw, fake.url, limit, count + probe);
    // Fill the outbox, everything due at one instant T0 after the filling is done. T0 comes
    // from the queueing rate of a probe of 500 messages (due in an hour: they never go).
    const queueStart = Date.now();
    await eachConcurrently(probe, 32, (i) =>
      queueOne(sw, contacts[count + i]!, `probe-${i}`, queueStart + 3_600_000).then(() => {}),
    );
    const perMessageMs = (Date.now() - queueStart) / probe;
    const t0 = Date.now() + Math.ceil(count * perMessageMs * 1.15) + 2_000;
    await eachConcurrently(count, 32, (i) => queueOne(sw, contacts[i]!, `m-${i}`, t0).then(() => {}));
    const queuedAt = Date.now();
    if (queuedAt < t0) await sleep(t0 - queuedAt);
    await sleep((RAMP_SECONDS + STEADY_SECONDS) * 1000 + 1_500);
    const stats = await getJson<{
      accepted: number;
      throttled: number;
      refused: number;
      perSecond: number[];
      peakWindow: number;
      throttledAt: number[];
    }>(fake.control, '/stats');
    if (process.env.BENCH_DUMP)
      (await import('node:fs')).writeFileSync(
        process.env.BENCH_DUMP,
        JSON.stringify({ stats, arrivals: (await getJson<any>(fake.control, '/arrivals')).arrivals }),
      );
    const steady = stats.perSecond.slice(RAMP_SECONDS, RAMP_SECONDS + STEADY_SECONDS);
    while (steady.length < STEADY_SECONDS) steady.push(0);
    const rate = steady.reduce((a, b) => a + b, 0) / STEADY_SECONDS;
    return {
      limitPerSecond: limit,
      messagesQueued: count,
      queueingSeconds: round((queuedAt - queueStart) / 1000, 1),
      queueingOverlapped: queuedAt > t0,
      steadySeconds: STEADY_SECONDS,
      acceptedPerSecond: round(rate, 1),
      shareOfLimit: round(rate / limit, 4),
      slowestSecond: Math.min(...steady),
      busiestOneSecondWindow: stats.peakWindow,
      throttled130429: stats.throttled,
      throttledAtSeconds: stats.throttledAt.slice(0, 20).map((ms) => round(ms / 1000, 3)),
      otherRefusals: stats.refused - stats.throttled,
    };
  } finally {
    await sw.stop();
    await fake.stop();
  }
}

/** fake's clock − ours, from the fastest of `samples` round trips. */
async function clockOffset(fake: Fake, samples = 20): Promise<{ offset: number; uncertainty: number }> {
  let best = { offset: 0, uncertainty: Infinity };
  for (let i = 0; i < samples; i++) {
    const before = wallNow();
    const { now } = await getJson<{ now: number }>(fake.control, '/clock');
    const after = wallNow();
    if ((after - before) / 2 < best.uncertainty)
      best = { offset: now - (before + after) / 2, uncertainty: (after - before) / 2 };
  }
  return best;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** send-template → provider call at LATENCY_RATE requests/s. */
export async function latency(): Promise<LatencyResult> {
  const warmup = LATENCY_RATE * LATENCY_WARMUP_SECONDS;
  const total = warmup + LATENCY_RATE * LATENCY_SECONDS;
  const fake = await startFake(LATENCY_THROUGHPUT);
  const sw = await startStorewire().catch(async (e) => {
    await fake.stop();
    throw e;
  });
  try {
    await prepareStore(sw, fake.url, LATENCY_THROUGHPUT, total);
    await sleep(1_000);
    const clock = await clockOffset(fake);
    const sentAt = new Map<string, number>();
    const responseMs: number[] = [];
    let non2xx = 0;
    let errors = 0;
    const inFlight: Promise<void>[] = [];
    const send = (i: number) => {
      const rid = `lat-${i}`;
      const body = JSON.stringify({
        request: { method: 'send_template', id: rid, page_id: PHONE_NUMBER_ID, template_name: TEMPLATE },
        recipient: { id: phoneOf(i) },
        params: { rid },
      });
      const at = wallNow();
      sentAt.set(rid, at);
      return sw.api
        .request({ method: 'POST', path: '/v1/messages/send-template', headers: sw.headers, body })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode !== 200) non2xx += i >= warmup ? 1 : 0;
          else if (i >= warmup) responseMs.push(wallNow() - at);
        })
        .catch(() => {
          errors += i >= warmup ? 1 : 0;
        });
    };
    // Paced: request i is issued at start + i / rate (a timer tick late at most; its real issue time is what counts).
    const start = performance.now();
    let i = 0;
    while (i < total) {
      const due = start + (i * 1000) / LATENCY_RATE;
      const wait = due - performance.now();
      if (wait > 0.5) await sleep(Math.max(1, Math.floor(wait)));
      else inFlight.push(send(i++));
    }
    await Promise.all(inFlight);
    await sleep(2_000);
    const { arrivals } = await getJson<{ arrivals: [string, number][] }>(fake.control, '/arrivals');
    const latencies: number[] = [];
    for (const [rid, at] of arrivals) {
      const sent = sentAt.get(rid);
      if (sent === undefined || Number(rid.slice(4)) < warmup) continue;
      latencies.push(at - clock.offset - sent);
    }
    latencies.sort((a, b) => a - b);
    responseMs.sort((a, b) => a - b);
    return {
      requestsPerSecond: LATENCY_RATE,
      seconds: LATENCY_SECONDS,
      requests: total - warmup,
      non2xx,
      errors,
      arrived: latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p90Ms: round(percentile(latencies, 90)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? NaN),
      responseP50Ms: round(percentile(responseMs, 50)),
      responseP99Ms: round(percentile(responseMs, 99)),
      clockOffsetMs: round(clock.offset, 3),
      clockUncertaintyMs: round(clock.uncertainty, 3),
    };
  } finally {
    await sw.stop();
    await fake.stop();
  }
}

export async function messagingBench(): Promise<MessagingReport> {
  const throughputs: ThroughputResult[] = [];
  for (const limit of [80, 1000]) throughputs.push(await throughput(limit));
  return { throughput: throughputs, latency: await latency() };
}

export function messagingSummary(report: MessagingReport): string[] {
  const lines = report.throughput.map(
    (t) =>
      `messaging throughput, number limited to ${t.limitPerSecond}/s: ${t.acceptedPerSecond} accepted/s over ${t.steadySeconds} s = ${(t.shareOfLimit * 100).toFixed(1)}% of the limit ` +
      `(target ≥ 95%), slowest second ${t.slowestSecond}, busiest 1 s window ${t.busiestOneSecondWindow}, 130429 answers ${t.throttled130429} (target 0), other refusals ${t.otherRefusals}; ` +
      `${t.messagesQueued} messages queued in ${t.queueingSeconds} s${t.queueingOverlapped ? ' (OVERLAPPED the measurement)' : ''}`,
  );
  const l = report.latency;
  lines.push(
    `messaging latency, send-template → provider call at ${l.requestsPerSecond} req/s for ${l.seconds} s: p50 ${l.p50Ms} ms (target < 5), p90 ${l.p90Ms} ms, p99 ${l.p99Ms} ms (target < 30), max ${l.maxMs} ms; ` +
      `${l.arrived}/${l.requests} arrived, non-2xx ${l.non2xx}, errors ${l.errors}; HTTP answer p50 ${l.responseP50Ms} ms, p99 ${l.responseP99Ms} ms; clock offset ${l.clockOffsetMs} ± ${l.clockUncertaintyMs} ms`,
  );
  return lines;
}

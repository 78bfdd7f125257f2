import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardBench, dashboardSummary, type DashboardReport } from './dashboard.js';
import { benchBatch, benchEvent } from './events.js';
import { load, type LoadResult } from './load.js';
import { journeysBench, journeysSummary, type JourneysReport } from './journeys.js';
import { messagingBench, messagingSummary, type MessagingReport } from './messaging.js';
import { scaleoutBench, scaleoutSummary, type ScaleoutReport } from './scaleout.js';
import { segmentBench, segmentSummary, type SegmentReport } from './segment.js';
import { demoStoreFrom, freePort, peakRssMb, repoRoot, startProcess, type Started } from '../test/support/processes.js';

/**
 * npm run bench [-- events|segment|messaging|journeys|dashboard|scaleout] — each part, or all (the default), in one run on one machine.
 * Events: ingest throughput against its ceiling:
 *   1. bare Fastify answering POST /v1/events with the same bodies (the ceiling);
 *   2. Storewire on the embedded database: single-event POSTs at 50 connections, then
 *      500-event batches; peak server RSS over both;
 *   3. the same on PostgreSQL when STOREWIRE_BENCH_PG_URL is set.
 * BENCH_SECONDS (default 10) sets each measurement's length.
 * Segment: POST /v1/batch with 100-message Segment batches beside native batches of 100 (bench/segment.ts).
 * Messaging: see bench/messaging.ts (throughput against a number's limit, send-template latency).
 * Journeys: see bench/journeys.ts (a million waiting runs: memory, restart, due steps per second; event → first step).
 * Scale-out: see bench/scaleout.ts (api + two worker processes on PostgreSQL, 10 numbers; SIGKILL of one; vs one worker).
 * Dashboard: see bench/dashboard.ts (100,000 contacts, 1,000,000 events; 5 signed-in users through the pages' API calls).
 * Results: .bench/results.json.
 */
const parts = new Set(
  process.argv.slice(2).length
    ? process.argv.slice(2)
    : ['events', 'segment', 'messaging', 'journeys', 'dashboard', 'scaleout'],
);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const SINGLE_CONNECTIONS = 50;
const BATCH_SIZE = 500;
const BATCH_CONNECTIONS = 4;

interface Report {
  ceiling?: LoadResult;
  storewire: Record<
    string,
    { single: LoadResult; batch: LoadResult; batchEventsPerSecond: number; peakRssMb: number; eventsPerCommit: number }
  >;
  messaging?: MessagingReport;
  journeys?: JourneysReport;
  segment?: SegmentReport;
  dashboard?: DashboardReport;
  scaleout?: ScaleoutReport | null;
}

const single = (n: number) => JSON.stringify(benchEvent(n));

async function measure(url: string, headers: Record<string, string>, connections: number, body: (n: number) => string) {
  await load({ url, headers, connections, seconds: WARMUP_SECONDS, body });
  return load({ url, headers, connections, seconds: SECONDS, body });
}

async function ceiling(): Promise<LoadResult> {
  const port = await freePort();
  const server = await startProcess(
    ['--import', 'tsx', 'bench/ceiling-server.ts'],
    { PORT: String(port) },
    /listening/,
  );
  try {
    return await measure(`http://127.0.0.1:${port}/v1/events`, {}, SINGLE_CONNECTIONS, single);
  } finally {
    await server.stop();
  }
}

async function storewire(databaseUrl: string | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-'));
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    STOREWIRE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl ?? `sqlite:${join(dataDir, 'bench.db')}`,
    LOG_LEVEL: 'warn',
    // An empty demo store: the bench measures its own load, not the sample data's journeys and sends.
    STOREWIRE_SAMPLE_DATA: '0',
  };
  let server: Started | null = null;
  try {
    server = await startProcess(['bin/storewire.js', 'start'], env, /API key/);
    const { apiKey } = demoStoreFrom(server.output());
    const headers = { authorization: `Bearer ${apiKey}` };
    const url = `http://127.0.0.1:${port}/v1/events`;
    let singleResult!: LoadResult;
    let batchResult!: LoadResult;
    const peak = await peakRssMb(
      server.child.pid!,
      (async () => {
        singleResult = await measure(url, headers, SINGLE_CONNECTIONS, single);
        batchResult = await measure(url, headers, BATCH_CONNECTIONS, (n) => benchBatch(n, BATCH_SIZE));
      })(),
    );
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    return {
      single: singleResult,
      batch: batchResult,
      batchEventsPerSecond: Math.round(batchResult.requestsPerSecond * BATCH_SIZE),
      peakRssMb: peak,
      eventsPerCommit:
        Math.round(
          (read('storewire_group_commit_events_total') / Math.max(1, read('storewire_group_commits_total'))) * 10,
        ) / 10,
    };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const report: Report = { storewire: {} };
const lines = [`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`];
if (parts.has('events')) {
  const ceilingResult = await ceiling();
  report.ceiling = ceilingResult;
  report.storewire.sqlite = await storewire(null);
  if (process.env.STOREWIRE_BENCH_PG_URL)
    report.storewire.postgres = await storewire(process.env.STOREWIRE_BENCH_PG_URL);
  lines.push(
    `ceiling (bare Fastify, same body, 50 connections, ${SECONDS} s): ${Math.round(ceilingResult.requestsPerSecond)} req/s, p99 ${ceilingResult.p99Ms} ms`,
  );
  for (const [db, r] of Object.entries(report.storewire)) {
    const ratio = r.single.requestsPerSecond / ceilingResult.requestsPerSecond;
    lines.push(
      `storewire/${db} single-event POSTs (50 connections): ${Math.round(r.single.requestsPerSecond)} events/s = ${(ratio * 100).toFixed(0)}% of ceiling, p99 ${r.single.p99Ms} ms, non-2xx ${r.single.non2xx}, errors ${r.single.errors}`,
      `storewire/${db} batches of ${BATCH_SIZE} (${BATCH_CONNECTIONS} connections): ${r.batchEventsPerSecond} events/s, p99 ${r.batch.p99Ms} ms, non-2xx ${r.batch.non2xx}`,
      `storewire/${db} peak server RSS: ${r.peakRssMb} MB; group commit: ${r.eventsPerCommit} events per transaction`,
    );
  }
}
if (parts.has('segment')) {
  report.segment = await segmentBench();
  lines.push(...segmentSummary(report.segment));
}
if (parts.has('messaging')) {
  report.messaging = await messagingBench();
  lines.push(...messagingSummary(report.messaging));
}
if (parts.has('journeys')) {
  report.journeys = await journeysBench();
  lines.push(...journeysSummary(report.journeys));
}
if (parts.has('dashboard')) {
  report.dashboard = await dashboardBench();
  lines.push(...dashboardSummary(report.dashboard));
}
if (parts.has('scaleout')) {
  report.scaleout = await scaleoutBench();
  lines.push(...scaleoutSummary(report.scaleout));
}
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(join(repoRoot, '.bench'), { recursive: true });
writeFileSync(
  join(repoRoot, '.bench/results.json'),
  `${JSON.stringify({ at: new Date().toISOString(), ...report }, null, 2)}\n`,
);

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBatch, segmentBatch } from './events.js';
import { load, type LoadResult } from './load.js';
import { demoStoreFrom, freePort, peakRssMb, startProcess, type Started } from '../test/support/processes.js';

/**
 * The Segment part of `npm run bench` (issue 5, "Speed"): POST /v1/batch with 100-message
 * Segment batches, and beside it, on the same server and the same shoppers and products, native
 * POST /v1/events batches of 100, so the two rates compare. One Storewire server
 * (`bin/storewire.js start`) on the embedded database, or on PostgreSQL when
 * STOREWIRE_BENCH_PG_URL is set. Target: 40,000 Segment events/s on SQLite.
 * BENCH_SEGMENT_CONNECTIONS (default 4, as the native batch bench) sets the concurrent clients.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const BATCH_SIZE = 100;
const CONNECTIONS = Number(process.env.BENCH_SEGMENT_CONNECTIONS ?? 4);
export const SEGMENT_TARGET_EVENTS_PER_SECOND = 40_000;

export interface SegmentRun {
  native: LoadResult & { eventsPerSecond: number };
  segment: LoadResult & { eventsPerSecond: number };
  peakRssMb: number;
  eventsPerCommit: number;
}
export type SegmentReport = Record<string, SegmentRun>;

async function measure(url: string, headers: Record<string, string>, body: (n: number) => string) {
  // Warm-up and measurement draw from one counter, so no event id is sent twice.
  let next = 0;
  const numbered = () => body(next++);
  await load({ url, headers, connections: CONNECTIONS, seconds: WARMUP_SECONDS, body: numbered });
  const result = await load({ url, headers, connections: CONNECTIONS, seconds: SECONDS, body: numbered });
  return { ...result, eventsPerSecond: Math.round(result.requestsPerSecond * BATCH_SIZE) };
}

async function run(databaseUrl: string | null): Promise<SegmentRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-segment-'));
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
    // BENCH_NODE_OPTIONS (e.g. --cpu-prof --cpu-prof-dir=.bench/prof) profiles the server.
    const nodeOptions = process.env.BENCH_NODE_OPTIONS ? process.env.BENCH_NODE_OPTIONS.split(' ') : [];
    server = await startProcess([...nodeOptions, 'bin/storewire.js', 'start'], env, /API key/);
    const { apiKey, ingestToken } = demoStoreFrom(server.output());
    const base = `http://127.0.0.1:${port}`;
    let native!: SegmentRun['native'];
    let segment!: SegmentRun['segment'];
    const peak = await peakRssMb(
      server.child.pid!,
      (async () => {
        native = await measure(`${base}/v1/events`, { authorization: `Bearer ${apiKey}` }, (n) =>
          benchBatch(n, BATCH_SIZE),
        );
        segment = await measure(
          `${base}/v1/batch`,
          { authorization: `Basic ${Buffer.from(`${ingestToken}:`).toString('base64')}` },
          (n) => segmentBatch(n, BATCH_SIZE),
        );
      })(),
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
    return {
      native,
      segment,
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

export async function segmentBench(): Promise<SegmentReport> {
  const report: SegmentReport = { sqlite: await run(null) };
  if (process.env.STOREWIRE_BENCH_PG_URL) report.postgres = await run(process.env.STOREWIRE_BENCH_PG_URL);
  return report;
}

export function segmentSummary(report: SegmentReport): string[] {
  return Object.entries(report).flatMap(([db, r]) => [
    `segment/${db} /v1/batch, 100-message Segment batches (${CONNECTIONS} connections): ${r.segment.eventsPerSecond} events/s` +
      `${db === 'sqlite' ? ` (target ${SEGMENT_TARGET_EVENTS_PER_SECOND})` : ''}, p99 ${r.segment.p99Ms} ms, non-2xx ${r.segment.non2xx}, errors ${r.segment.errors}`,
    `segment/${db} beside it, native /v1/events batches of 100: ${r.native.eventsPerSecond} events/s, p99 ${r.native.p99Ms} ms, non-2xx ${r.native.non2xx}`,
    `segment/${db} peak server RSS: ${r.peakRssMb} MB; group commit: ${r.eventsPerCommit} events per transaction`,
  ]);
}

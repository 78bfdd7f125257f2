import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore } from '../src/engine/stores.js';
import { bulkLoadWithRollups } from '../src/storage/rollup-triggers.js';

/**
 * What the overview's rollup triggers (migration 0016) cost an event write, apart from the
 * machine's swings: the same 500-row inserts into `events` (20,000 shoppers, as bench/events.ts),
 * one transaction each, with the triggers and with them off (bulkLoadWithRollups turns them off
 * for its load; only the insert statement is timed, in both cases), alternating, ROUNDS times. SQLite runs in this
 * process, so its CPU time is the cost; PostgreSQL's work is in its server, so its wall time.
 *   node --import tsx bench/rollup-cost.ts      [STOREWIRE_BENCH_PG_URL=… for PostgreSQL too]
 */
const BATCH = 500;
const BATCHES = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 5);

async function measure(databaseUrl: string) {
  const app = await createApp({ ...loadConfig({}), databaseUrl }, { logger: pino({ level: 'silent' }) });
  try {
    const { store } = await createStore(app.storage, {
      name: 'Rollup cost',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
    });
    let n = 0;
    const rows = () =>
      Array.from({ length: BATCH }, () => {
        const i = n++;
        return {
          store_id: store.id,
          event_id: `rc-${i}`,
          contact_id: `ct_R${i % 20_000}`,
          name: i % 3 === 0 ? 'cart_update' : 'product_view',
          sub_name: null,
          kind: 'activity',
          source: 'native',
          occurred_at: Date.now() - (i % 86_400) * 1000,
          timestamp: new Date().toISOString(),
          received_at: Date.now(),
          data: '{"product_id":"p1"}',
        };
      });
    /** Times the insert statement alone, in both cases (not the transaction, nor the trigger swap). */
    const write = async (triggers: boolean) => {
      const timed = { wall: 0, cpu: 0 };
      for (let b = 0; b < BATCHES; b++) {
        const batch = rows();
        await app.storage.transaction(async (trx) => {
          const insert = async () => {
            const w = performance.now();
            const c = process.cpuUsage();
            await trx.insertInto('events').values(batch).execute();
            const u = process.cpuUsage(c);
            timed.wall += performance.now() - w;
            timed.cpu += (u.user + u.system) / 1000;
          };
          if (triggers) await insert();
          else await bulkLoadWithRollups(trx, insert);
        });
      }
      return timed;
    };
    const perEvent = (ms: number) => (ms * 1000) / (BATCH * BATCHES);
    const results: { with: number[]; without: number[] } = { with: [], without: [] };
    const sqlite = databaseUrl.startsWith('sqlite:');
    for (let r = 0; r < ROUNDS; r++) {
      const a = await write(true);
      const b = await write(false);
      results.with.push(perEvent(sqlite ? a.cpu : a.wall));
      results.without.push(perEvent(sqlite ? b.cpu : b.wall));
    }
    return results;
  } finally {
    await app.close();
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const show = (name: string, r: { with: number[]; without: number[] }, unit: string) =>
  `${name}: 500-event insert, ${unit} per event — with triggers ${r.with.map((v) => v.toFixed(1)).join(', ')} (median ${median(r.with).toFixed(1)} µs); without ${r.without.map((v) => v.toFixed(1)).join(', ')} (median ${median(r.without).toFixed(1)} µs); triggers add ${(median(r.with) - median(r.without)).toFixed(1)} µs`;

const dir = mkdtempSync(join(tmpdir(), 'storewire-rollup-cost-'));
try {
  process.stdout.write(`${show('sqlite', await measure(`sqlite:${join(dir, 'cost.db')}`), 'CPU µs')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pgUrl = process.env.STOREWIRE_BENCH_PG_URL;
if (pgUrl) {
  const name = `sw_bench_rollup_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  try {
    process.stdout.write(`${show('postgres', await measure(url.toString()), 'wall µs')}\n`);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

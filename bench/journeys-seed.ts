import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore, type StoreCredentials } from '../src/engine/stores.js';

/**
 * Databases for the journeys bench. The store, its sandbox, template and journey go in through
 * the real API (so they are exactly what a user would have); the million shoppers and their
 * runs go in with bulk SQL, in the state the worker leaves a run in while it waits: at the
 * journey's `wait` step, wait started, due when the wait ends.
 */

export const JOURNEY_ID = 'bench_reminder';
export const TEMPLATE = 'bench_cart_reminder';

/** The journey: a cart-abandonment-like reminder, a `wait` then a marketing `send`. */
export const JOURNEY = {
  name: 'Bench reminder',
  trigger: { event: 'bench_cart' },
  entry: { buffer: '0s', reentry: 'every_time' },
  steps: [
    { id: 'wait_1d', type: 'wait', duration: '1d' },
    { id: 'remind', type: 'send', channel: 'whatsapp', template: TEMPLATE },
  ],
};

const TEMPLATE_DEFINITION = {
  channel: 'whatsapp',
  language: 'en',
  category: 'marketing',
  body: { text: 'Hi {{1}}, your cart is waiting for you.' },
  parameters: { 1: "{{ contact.first_name | default: 'there' }}" },
};

/** For the latency part: an immediate send (no buffer, no wait) on an event. */
export const PING_JOURNEY = {
  name: 'Bench ping',
  trigger: { event: 'bench_ping' },
  entry: { buffer: '0s', reentry: 'every_time' },
  steps: [{ id: 'ping', type: 'send', channel: 'whatsapp', template: TEMPLATE }],
};

export interface Seeded {
  store: StoreCredentials;
}

/** Migrates the database at `file` and sets the store up through the API. */
export async function setUpStore(
  file: string,
  journeys: Record<string, object> = { [JOURNEY_ID]: JOURNEY },
): Promise<Seeded> {
  const config = { ...loadConfig({}), databaseUrl: `sqlite:${file}` };
  const app = await createApp(config, { logger: pino({ level: 'silent' }) });
  try {
    const store = await createStore(app.storage, {
      name: 'Bench Shop',
      defaultCountry: 'IN',
      timeZone: 'Asia/Kolkata',
    });
    const call = async (method: 'PUT', url: string, body?: unknown) => {
      const res = await app.server.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${store.apiKey}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    };
    await call('PUT', '/v1/channels/sandbox');
    await call('PUT', `/v1/templates/${TEMPLATE}`, TEMPLATE_DEFINITION);
    for (const [id, definition] of Object.entries(journeys))
      await call('PUT', `/v1/journeys/${id}`, { ...definition, enabled: true });
    return { store };
  } finally {
    await app.close();
  }
}

const pad = (n: number) => String(n).padStart(8, '0');
export const contactId = (n: number) => `ct_bench_${pad(n)}`;
export const runId = (n: number) => `run_bench_${pad(n)}`;
export const phoneOf = (n: number) => `+9199${pad(n)}`;

/**
 * Adds `count` shoppers (with marketing consent and a phone) and one run each, waiting at
 * `wait_1d`; run n is due at `dueAt(n)`. Returns how long it took.
 */
export function bulkInsertRuns(
  file: string,
  storeId: string,
  count: number,
  enteredAt: number,
  dueAt: (n: number) => number,
  first = 0,
): number {
  const started = performance.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Seeding is not what is measured: no fsync per chunk.
  db.pragma('synchronous = OFF');
  const contact = db.prepare(
    `insert into contacts (id, store_id, customer_id, email, phone, name, attributes, whatsapp_status, whatsapp_status_source, whatsapp_status_at, merged_into, created_at, updated_at)
     values (?, ?, ?, null, ?, ?, '{}', 'ACTIVE', 'bench', ?, null, ?, ?)`,
  );
  const identity = db.prepare(
    `insert into contact_identities (store_id, kind, value, contact_id, created_at) values (?, ?, ?, ?, ?)`,
  );
  const run = db.prepare(
    `insert into journey_runs (id, store_id, journey_id, version, contact_id, run_key, status, step_id, seq, due_at, lease_until, lease_owner, entered_at,
       trigger_event_id, trigger_at, order_id, data, waiting_for, wait_started_at, exit_reason, notes, updated_at, ended_at)
     values (?, ?, ?, 1, ?, '', 'active', 'wait_1d', 0, ?, null, null, ?, null, ?, null, ?, null, ?, null, '[]', ?, null)`,
  );
  const data = JSON.stringify({ event_id: null, name: 'bench_cart', sub_name: null, data: {}, order_id: null });
  const chunk = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const id = contactId(n);
      contact.run(id, storeId, `bench-${n}`, phoneOf(n), `Shopper ${n}`, enteredAt, enteredAt, enteredAt);
      identity.run(storeId, 'customer_id', `bench-${n}`, id, enteredAt);
      identity.run(storeId, 'phone', phoneOf(n), id, enteredAt);
      run.run(runId(n), storeId, JOURNEY_ID, id, dueAt(n), enteredAt, enteredAt, data, enteredAt, enteredAt);
    }
  });
  for (let n = first; n < first + count; n += 50_000) chunk(n, Math.min(first + count, n + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - started) / 1000;
}

/** Makes runs `from`..`to` (exclusive) due at `at` (the worker is stopped: nothing else writes). */
export function makeDue(file: string, from: number, to: number, at: number): void {
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const due = db.prepare(`update journey_runs set due_at = ? where id = ?`);
  db.transaction(() => {
    for (let n = from; n < to; n++) due.run(at, runId(n));
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

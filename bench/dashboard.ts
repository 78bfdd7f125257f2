import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import { freePort, peakRssMb, startProcess, type Started } from '../test/support/processes.js';
import {
  contactIdOf,
  FIRST,
  LAST,
  messageIdOf,
  orderIdOf,
  PASSWORD,
  phoneOf,
  SIZES,
  seedDashboard,
  TEMPLATES,
} from './dashboard-seed.js';

/**
 * The dashboard part of `npm run bench` (issue 13): a store of 100,000 contacts and 1,000,000
 * events (dashboard-seed.ts), served by `storewire start` in its own process; 5 signed-in users
 * at once go through the dashboard's pages in a loop, each page's API calls one after the other
 * with the session cookie, as the web app makes them. Latency is the server's own
 * (`Server-Timing: app;dur=`, from the request's arrival to the answer's send), per call, p95 the
 * target (200 ms). BENCH_DASHBOARD_SECONDS (default 20) sets the measured time; runs on SQLite and,
 * with STOREWIRE_BENCH_PG_URL, on PostgreSQL.
 */
const USERS = 5;
const SECONDS = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 20);
const WARMUP_SECONDS = 3;

export interface CallStats {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface DashboardRun {
  seedSeconds: number;
  pages: number;
  non2xx: number;
  peakRssMb: number;
  calls: Record<string, CallStats>;
  all: CallStats;
}

export type DashboardReport = Record<string, DashboardRun>;

const rand = (n: number) => Math.floor(Math.random() * n);
/** How many pages page() knows. */
const PAGES = 11;
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const stats = (values: number[]): CallStats => {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    calls: sorted.length,
    p50Ms: r(pct(sorted, 50)),
    p95Ms: r(pct(sorted, 95)),
    p99Ms: r(pct(sorted, 99)),
    maxMs: r(sorted.at(-1) ?? 0),
  };
};

/** A draft as the template editor sends it while someone types (validate, then preview). */
const DRAFT = {
  channel: 'whatsapp',
  language: 'en',
  category: 'utility',
  body: { text: 'Hi {{first_name}}, your order is packed.' },
  parameters: { first_name: "{{ contact.first_name | default: 'there' }}" },
};

/** A call: its name for the report, the path, and for a POST its body (sent with the CSRF token). */
type Call = [name: string, path: string, body?: unknown];

/**
 * The owner's settings pages' reads (web/src/pages/settings/): channels, store, team, journeys,
 * webhooks (the connectors page reads /v1/stores/{id}/connectors, a handful of rows like the channels).
 */
const SETTINGS_PAGES: Call[][] = [
  [['settings: channels', '/v1/channels']],
  [['settings: store', '/v1/store/settings']],
  [['settings: team', '/v1/store/members']],
  [['settings: journeys', '/v1/journey-settings']],
  [
    ['settings: webhooks', '/v1/webhooks/subscriptions'],
    ['settings: webhook deliveries', '/v1/webhooks/deliveries?limit=20'],
  ],
];

/** Each page as the web app loads it: the calls, in order, named for the report. */
function page(which: number): Call[] {
  const contact = rand(10) === 0 ? rand(SIZES.heavy) : rand(SIZES.contacts);
  switch (which % PAGES) {
    case 0:
      return [
        ['session', '/v1/session'],
        ['contacts list', '/v1/contacts'],
      ];
    case 1:
      return [
        [
          'contacts search by phone',
          `/v1/contacts?q=${encodeURIComponent(phoneOf(rand(SIZES.contacts)).slice(0, 9 + rand(5)))}`,
        ],
      ];
    case 2: {
      const word = rand(2) ? FIRST[rand(20)]! : LAST[rand(20)]!;
      return [
        ['contacts search by name', `/v1/contacts?q=${encodeURIComponent(word.slice(0, 3 + rand(word.length - 2)))}`],
      ];
    }
    case 3:
      return [
        ['contact', `/v1/contacts/${contactIdOf(contact)}`],
        ['contact timeline', `/v1/contacts/${contactIdOf(contact)}/timeline`],
        ['contact live cursor', `/v1/live?topic=contact:${contactIdOf(contact)}`],
      ];
    case 4:
      return [
        [
          'orders list',
          rand(2) ? '/v1/orders' : `/v1/orders?status=${['IN_PROGRESS', 'DELIVERED', 'CANCELLED'][rand(3)]}`,
        ],
        ['order', `/v1/orders/${orderIdOf(rand(SIZES.orders))}`],
      ];
    case 6:
      return [
        ['templates list', '/v1/templates'],
        ['template', `/v1/templates/${encodeURIComponent('Order Receipt Push')}`],
      ];
    case 7:
      // The editor: the contact picker, then the draft checked and previewed for that contact.
      return [
        ['preview contact picker', '/v1/contacts?limit=20'],
        ['contact', `/v1/contacts/${contactIdOf(contact)}`],
        ['template validate', '/v1/templates/packed_update/validate', DRAFT],
        [
          'template preview',
          '/v1/templates/packed_update/preview',
          { contactId: contactIdOf(contact), definition: DRAFT },
        ],
      ];
    case 9:
      return SETTINGS_PAGES[rand(SETTINGS_PAGES.length)]!;
    case 8:
      return [
        ['journeys list', '/v1/journeys'],
        ['journey', '/v1/journeys/cart_abandonment'],
        ['journey stats', '/v1/journeys/cart_abandonment/stats'],
        ['journey runs', '/v1/journeys/cart_abandonment/runs?limit=25'],
      ];
    case 5:
      return [
        ['overview', `/v1/overview?period=${['today', '7d', '30d'][rand(3)]}`],
        ['overview live cursor', '/v1/live?topic=store'],
      ];
    default:
      // The message log, and its template and journey filters' choices.
      return [
        ['templates list', '/v1/templates'],
        ['journeys list', '/v1/journeys'],
        [
          'messages list',
          [
            '/v1/messages',
            '/v1/messages?status=failed',
            `/v1/messages?template=${TEMPLATES[rand(5)]}`,
            '/v1/messages?journey=cart_abandonment',
            '/v1/messages?channel=whatsapp',
          ][rand(5)]!,
        ],
        ['message', `/v1/messages/${messageIdOf(rand(SIZES.messages))}`],
      ];
  }
}

async function runOn(
  name: string,
  databaseUrl: string,
  dialect: 'sqlite' | 'postgres',
  dataDir: string,
): Promise<DashboardRun> {
  const seeded = await seedDashboard(databaseUrl, dialect);
  const port = await freePort();
  let server: Started | null = null;
  try {
    server = await startProcess(
      ['bin/storewire.js', 'start'],
      {
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        STOREWIRE_DATA_DIR: dataDir,
        STOREWIRE_DEMO_STORE: '0',
        LOG_LEVEL: 'warn',
      },
      /healthz/,
      120_000,
    );
    const base = `http://127.0.0.1:${port}`;
    const http = new Pool(base, { connections: USERS * 2 });
    const signIn = await http.request({
      method: 'POST',
      path: '/v1/session',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: seeded.ownerEmail, password: PASSWORD }),
    });
    if (signIn.statusCode !== 200) throw new Error(`sign-in: ${signIn.statusCode} ${await signIn.body.text()}`);
    const { csrfToken } = (await signIn.body.json()) as { csrfToken: string };
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const headers = { cookie, 'x-store-id': seeded.storeId };
    const samples = new Map<string, number[]>();
    let non2xx = 0;
    let pages = 0;
    let measuring = false;
    const user = async (stopAt: number) => {
      for (let i = rand(PAGES); Date.now() < stopAt; i++) {
        for (const [call, path, body] of page(i)) {
          const res =
            body === undefined
              ? await http.request({ method: 'GET', path, headers })
              : await http.request({
                  method: 'POST',
                  path,
                  headers: { ...headers, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
                  body: JSON.stringify(body),
                });
          await res.body.dump();
          if (res.statusCode >= 300) non2xx++;
          const took = Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1] ?? Number.NaN);
          if (measuring) {
            const list = samples.get(call) ?? [];
            list.push(took);
            samples.set(call, list);
          }
        }
        if (measuring) pages++;
      }
    };
    await Promise.all(Array.from({ length: USERS }, () => user(Date.now() + WARMUP_SECONDS * 1000)));
    measuring = true;
    let peak = 0;
    peak = await peakRssMb(
      server.child.pid!,
      Promise.all(Array.from({ length: USERS }, () => user(Date.now() + SECONDS * 1000))),
    );
    await http.close();
    const calls = Object.fromEntries([...samples].map(([call, values]) => [call, stats(values)]));
    process.stdout.write(`dashboard/${name}: measured\n`);
    return {
      seedSeconds: seeded.seedSeconds,
      pages,
      non2xx,
      peakRssMb: peak,
      calls,
      all: stats([...samples.values()].flat()),
    };
  } finally {
    await server?.stop();
  }
}

export async function dashboardBench(): Promise<DashboardReport> {
  const report: DashboardReport = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-bench-dashboard-'));
  try {
    report.sqlite = await runOn('sqlite', `sqlite:${join(dataDir, 'dashboard.db')}`, 'sqlite', dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const pgUrl = process.env.STOREWIRE_BENCH_PG_URL;
  if (pgUrl) {
    const name = `sw_bench_dashboard_${process.pid}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    const pgDir = mkdtempSync(join(tmpdir(), 'storewire-bench-dashboard-'));
    try {
      report.postgres = await runOn('postgres', url.toString(), 'postgres', pgDir);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(pgDir, { recursive: true, force: true });
    }
  }
  return report;
}

export function dashboardSummary(report: DashboardReport): string[] {
  const lines: string[] = [];
  for (const [db, r] of Object.entries(report)) {
    lines.push(
      `dashboard/${db}: ${SIZES.contacts.toLocaleString('en')} contacts, ${SIZES.events.toLocaleString('en')} events, ${SIZES.orders.toLocaleString('en')} orders, ${SIZES.messages.toLocaleString('en')} messages seeded by bulk SQL in ${r.seedSeconds} s; ${USERS} users, ${SECONDS} s: ${r.pages} pages, non-2xx ${r.non2xx}, peak server RSS ${r.peakRssMb} MB`,
      `dashboard/${db}: every call (server time): p50 ${r.all.p50Ms} ms, p95 ${r.all.p95Ms} ms, p99 ${r.all.p99Ms} ms, max ${r.all.maxMs} ms — target p95 < 200 ms: ${Object.values(r.calls).every((c) => c.p95Ms < 200) ? 'met by every call' : 'NOT MET'}`,
    );
    for (const [call, c] of Object.entries(r.calls))
      lines.push(
        `dashboard/${db}:   ${call.padEnd(26)} ${String(c.calls).padStart(6)} calls  p50 ${c.p50Ms} ms  p95 ${c.p95Ms} ms  p99 ${c.p99Ms} ms  max ${c.maxMs} ms`,
      );
  }
  return lines;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from './support/databases.js';
import { fixture, seedEvent } from './support/fixtures.js';

/**
 * The real CLI as a user runs it: `node bin/storewire.js ...` in its own process, talking to a
 * real database, and `start` serving real HTTP on loopback.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'storewire.js');

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'storewire-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a CLI run: nothing inherited that could point it elsewhere. */
function cliEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'PORT',
    'HOST',
    'STOREWIRE_DATA_DIR',
    'STOREWIRE_DEMO_STORE',
    'STOREWIRE_SQLITE_SYNCHRONOUS',
    'LOG_LEVEL',
  ])
    delete env[key];
  return { ...env, DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, STOREWIRE_DATA_DIR: dir, ...extra };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  /** SIGTERM, then how the process ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();
afterEach(() => {
  // A failed test must not leave a server behind.
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
});

/** `storewire start`, resolved once its banner (which ends with the health URL) is printed. */
function startServer(env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const handle: Running = {
    child,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start printed no banner in time:\n${stdout}\n${stderr}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (/Health: \S+\/healthz/.test(stdout)) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`start exited (${code ?? signal}) before serving:\n${stdout}\n${stderr}`));
    });
  });
}

interface HttpAnswer {
  status: number;
  body: any;
}

/** One HTTP request on its own connection (no keep-alive), so restarts on one port stay clean. */
function http(method: string, url: string, options: { key?: string; body?: unknown } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (payload) headers['content-type'] = 'application/json';
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const productView = (eventId: string, customerId: string) =>
  seedEvent('product_view', { event_id: eventId, customer: { customer_id: customerId, name: 'CLI Shopper' } });

const contactsOf = async (base: string, key: string, customerId: string) => {
  const answer = await http('GET', `${base}/v1/contacts?customer_id=${encodeURIComponent(customerId)}`, { key });
  return answer;
};

const NO_STACK = /\n\s+at .+:\d+/;
/** Every case spawns Node processes that load the app from source: generous on a busy machine. */
const SLOW = 120_000;

describe('storewire stores create', { timeout: SLOW }, () => {
  it('--json prints exactly one line of JSON: id, apiKey, ingestUrl; the key and URL work against `start`', async () => {
    const dir = tempDir();
    const port = await freePort();
    const env = cliEnv(dir, { PORT: String(port) });
    const created = await run(
      ['stores', 'create', '--name', 'Shop A', '--country', 'IN', '--time-zone', 'Asia/Kolkata', '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.endsWith('\n')).toBe(true);
    expect(created.stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(created.stdout) as { id: string; apiKey: string; ingestUrl: string };
    expect(Object.keys(printed).sort()).toEqual(['apiKey', 'id', 'ingestUrl']);
    expect(printed.id).toMatch(/^st_[0-9A-Z]{26}$/);
    expect(printed.apiKey).toMatch(/^sw_key_[\w-]+$/);
    expect(printed.ingestUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/v1/ingest/sw_ing_[\\w-]+/events$`));

    const server = await startServer(env);
    const base = `http://127.0.0.1:${port}`;
    expect(await http('GET', `${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'sqlite' } });

    const withKey = await http('POST', `${base}/v1/events`, {
      key: printed.apiKey,
      body: productView('cli-1', 'shop-a-shopper'),
    });
    expect(withKey.status).toBe(202);
    expect(withKey.body).toMatchObject({ accepted: 1, rejected: [] });
    const atUrl = await http('POST', printed.ingestUrl, { body: productView('cli-2', 'shop-a-shopper') });
    expect(atUrl.status).toBe(202);
    expect(atUrl.body).toMatchObject({ accepted: 1, rejected: [] });

    const found = await contactsOf(base, printed.apiKey, 'shop-a-shopper');
    expect(found.status).toBe(200);
    expect(found.body.contacts).toHaveLength(1);
    const recent = await http('GET', `${base}/v1/customers/shop-a-shopper/recent-events?event_count=10`, {
      key: printed.apiKey,
    });
    expect(recent.status).toBe(200);
    expect(recent.body.organization_id).toBe(printed.id);
    expect(recent.body.recent_events).toHaveLength(2);

    expect(
      (await http('GET', `${base}/v1/contacts?customer_id=shop-a-shopper`, { key: `${printed.apiKey}x` })).status,
    ).toBe(401);
    // The new store has the sandbox connected: seed 002's send-template to page "sandbox" works.
    await http('POST', `${base}/v1/contacts`, {
      key: printed.apiKey,
      body: { customer_id: 'shop-a-shopper', phone: '+919811140001' },
    });
    const receipt = fixture('seeds/002_order_receipt.json');
    const sentTemplate = await http('POST', `${base}/v1/messages/send-template`, {
      key: printed.apiKey,
      body: { ...receipt, request: { ...receipt.request, page_id: 'sandbox' }, recipient: { id: '+919811140001' } },
    });
    expect(sentTemplate.status, JSON.stringify(sentTemplate.body)).toBe(200);
    expect(sentTemplate.body.message_id).toMatch(/^msg_/);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    // Stopped means stopped: the port no longer answers.
    await expect(http('GET', `${base}/healthz`)).rejects.toThrow();
  });

  it('without --json says what it made and shows the key once', async () => {
    const dir = tempDir();
    const made = await run(['stores', 'create', '--name', 'Shop B'], cliEnv(dir));
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Created store "Shop B" \(st_[0-9A-Z]{26}\)\n/);
    expect(made.stdout).toMatch(/API key: +sw_key_[\w-]+\n/);
    expect(made.stdout).toMatch(/Ingest URL: +http:\/\/127\.0\.0\.1:8787\/v1\/ingest\/sw_ing_[\w-]+\/events\n/);
  });
});

// Each case is its own short process; they need no server, so they run side by side.
describe.concurrent('storewire refuses bad input with exit 2 and a message, never a stack trace', {
  timeout: SLOW,
}, () => {
  it('stores create without --name: usage on stderr', async ({ expect }) => {
    const dir = tempDir();
    const result = await run(['stores', 'create', '--json'], cliEnv(dir));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--name is required');
    expect(result.stderr).toContain('storewire stores create --name <name>');
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it.for([
    [['--country', 'XX'], /"XX" is not a known country code/],
    [['--time-zone', 'Mars/Base'], /"Mars\/Base" is not an IANA time zone/],
    [['--name', '   '], /needs a name/],
  ] as const)('stores create %j: a clear message, and no database written', async ([args, message], { expect }) => {
    const dir = tempDir();
    const result = await run(['stores', 'create', '--name', 'Shop C', ...args, '--json'], cliEnv(dir));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it.for([
    [['stores', 'create', '--name', 'Shop D', '--bogus'], /Unknown option '--bogus'/],
    [['stores', 'create', 'Shop D'], /Unexpected argument 'Shop D'/],
    [['stores'], /storewire stores create/],
  ] as const)('%j: a usage error, with the usage on stderr', async ([args, message], { expect }) => {
    const result = await run(args, cliEnv(tempDir()));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('storewire stores create --name <name>');
    expect(result.stderr).not.toMatch(NO_STACK);
  });

  it('an unknown command is named, with the usage', async ({ expect }) => {
    const result = await run(['frobnicate'], cliEnv(tempDir()));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('storewire start');
  });

  it.for([
    [['start', '--help'], 'storewire start [--role api|worker|all]'],
    [['start', '-h'], 'storewire start [--role api|worker|all]'],
    [['demo', '--help'], 'storewire demo [--speed N]'],
    [['migrate', '--help'], 'storewire migrate'],
    [['stores', '--help'], 'storewire stores create --name <name>'],
    [['stores', 'create', '--help'], 'storewire stores create --name <name>'],
    [['stores', 'demo', '--help'], 'storewire stores demo [--json]'],
    [['stores', 'connect-shopify', '--help'], 'storewire stores connect-shopify --store <id>'],
    [['help', 'demo'], 'storewire demo [--speed N]'],
  ] as const)('%j prints the usage on stdout and exits 0, touching no database', async ([args, usage], { expect }) => {
    const dir = tempDir();
    const result = await run(args, cliEnv(dir));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(usage);
    expect(result.stdout).toContain('DATABASE_URL');
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });

  it('start on a port that is taken says which, and how to pick another (PORT); no stack trace', async ({ expect }) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await run(['start'], cliEnv(tempDir(), { PORT: String(port) }));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toMatch(/pick another port with PORT, e\.g\. PORT=\d+ npm start/);
      expect(result.stderr).not.toMatch(NO_STACK);
      expect(result.stdout).not.toContain('listening');
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('no command: the usage on stderr (while `help` prints it on stdout and exits 0)', async ({ expect }) => {
    const [none, help] = await Promise.all([run([], cliEnv(tempDir())), run(['help'], cliEnv(tempDir()))]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('storewire migrate');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('storewire migrate');
  });
});

describe('storewire migrate', { timeout: SLOW }, () => {
  it('says which migrations it applied, then that the schema is up to date', async () => {
    const dir = tempDir();
    const first = await run(['migrate'], cliEnv(dir));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied [\w-]+(, [\w-]+)*\n$/);
    expect(existsSync(join(dir, 'x.db'))).toBe(true);
    const second = await run(['migrate'], cliEnv(dir));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('schema is up to date\n');
  });
});

describe('storewire start and its demo store', { timeout: SLOW }, () => {
  let dir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let base: string;
  let first: { id: string; apiKey: string; ingestUrl: string };

  const banner = (stdout: string) => {
    const store = /Demo store "Demo Store" \((st_[0-9A-Z]{26}), country IN, Asia\/Kolkata\)/.exec(stdout);
    const key = /API key: +(sw_key_[\w-]+)/.exec(stdout);
    const url = /Ingest URL: +(http:\/\/\S+)/.exec(stdout);
    expect(store && key && url, stdout).toBeTruthy();
    return { id: store![1]!, apiKey: key![1]!, ingestUrl: url![1]! };
  };

  beforeAll(async () => {
    dir = tempDir();
    port = await freePort();
    env = cliEnv(dir, { PORT: String(port) });
    base = `http://127.0.0.1:${port}`;
  });

  it('prints the demo store, its API key and ingest URL; `stores demo` shows the same, from the database', async () => {
    const server = await startServer(env);
    first = banner(server.stdout());
    expect(server.stdout()).toContain(`Storewire is listening on ${base}`);
    expect(first.ingestUrl).toMatch(new RegExp(`^${base}/v1/ingest/sw_ing_[\\w-]+/events$`));
    // Kept in the database, not in a file of the folder that another DATABASE_URL would overwrite.
    expect(existsSync(join(dir, 'demo-store.json'))).toBe(false);
    const shown = await run(['stores', 'demo', '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual(first);

    expect(await http('GET', `${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'sqlite' } });
    const sent = await http('POST', `${base}/v1/events`, {
      key: first.apiKey,
      body: productView('demo-1', 'demo-shopper'),
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ accepted: 1 });
    expect((await http('POST', first.ingestUrl, { body: productView('demo-2', 'demo-shopper') })).body).toMatchObject({
      accepted: 1,
    });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('a second start prints the same key and URL, which still work', async () => {
    const server = await startServer(env);
    expect(banner(server.stdout())).toEqual(first);
    const found = await contactsOf(base, first.apiKey, 'demo-shopper');
    expect(found.status).toBe(200);
    expect(found.body.contacts).toHaveLength(1);
    expect((await http('POST', first.ingestUrl, { body: productView('demo-3', 'demo-shopper') })).status).toBe(202);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('another DATABASE_URL in the same folder has a demo store of its own, and leaves the first one its key', async () => {
    const otherEnv = { ...env, DATABASE_URL: `sqlite:${join(dir, 'other.db')}` };
    const other = await startServer(otherEnv);
    const second = banner(other.stdout());
    expect(second.id).not.toBe(first.id);
    expect(second.apiKey).not.toBe(first.apiKey);
    expect(await other.stop()).toEqual({ code: 0, signal: null });
    // `stores demo` on the first database, run after the other start, still answers with the first key.
    expect(JSON.parse((await run(['stores', 'demo', '--json'], env)).stdout)).toEqual(first);

    const server = await startServer(env);
    expect(banner(server.stdout())).toEqual(first);
    const found = await contactsOf(base, first.apiKey, 'demo-shopper');
    expect(found.status).toBe(200);
    expect(found.body.contacts).toHaveLength(1);
    expect((await contactsOf(base, second.apiKey, 'demo-shopper')).status).toBe(401);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('never takes over a store of the user that happens to be named "Demo Store"', async () => {
    const own = tempDir();
    const ownEnv = cliEnv(own, { PORT: String(port) });
    const created = await run(['stores', 'create', '--name', 'Demo Store', '--json'], ownEnv);
    expect(created.code).toBe(0);
    const mine = JSON.parse(created.stdout) as { id: string; apiKey: string };
    const server = await startServer(ownEnv);
    const demo = banner(server.stdout());
    expect(demo.id).not.toBe(mine.id);
    expect(
      (await http('POST', `${base}/v1/events`, { key: mine.apiKey, body: productView('mine-1', 'my-shopper') })).status,
    ).toBe(202);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

const postgres = databaseTargets().find((target) => target.dialect === 'postgres');

describe.skipIf(!postgres)('storewire on PostgreSQL', { timeout: SLOW }, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await postgres!.create();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('migrate, then stores create --json, on a fresh database; the key works against start', async () => {
    const dir = tempDir();
    const port = await freePort();
    const env = cliEnv(dir, { DATABASE_URL: database.url, PORT: String(port) });

    const migrated = await run(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/^applied [\w-]+(, [\w-]+)*\n$/);
    expect((await run(['migrate'], env)).stdout).toBe('schema is up to date\n');

    const created = await run(
      ['stores', 'create', '--name', 'PG Shop', '--country', 'UA', '--time-zone', 'Europe/Kyiv', '--json'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trimEnd().split('\n')).toHaveLength(1);
    const printed = JSON.parse(created.stdout);
    expect(Object.keys(printed).sort()).toEqual(['apiKey', 'id', 'ingestUrl']);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);

    const server = await startServer(env);
    const base = `http://127.0.0.1:${port}`;
    expect(server.stdout()).toContain('Storewire is listening on');
    expect(await http('GET', `${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok', database: 'postgres' } });
    const sent = await http('POST', printed.ingestUrl, { body: productView('pg-1', 'pg-shopper') });
    expect(sent.status).toBe(202);
    const found = await contactsOf(base, printed.apiKey, 'pg-shopper');
    expect(found.status).toBe(200);
    expect(found.body.contacts).toHaveLength(1);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('a DATABASE_URL naming a database that does not exist: migrate and start create it', async () => {
    const admin = new URL(process.env.STOREWIRE_TEST_PG_URL!);
    const names = [0, 1].map(() => `sw_missing_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
    const urlOf = (name: string) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
    try {
      const dir = tempDir();
      const migrated = await run(['migrate'], cliEnv(dir, { DATABASE_URL: urlOf(names[0]!) }));
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toMatch(new RegExp(`^created the database postgres://\\S+/${names[0]}\\napplied `));

      const port = await freePort();
      const server = await startServer(cliEnv(dir, { DATABASE_URL: urlOf(names[1]!), PORT: String(port) }));
      expect(server.stdout()).toContain(`/${names[1]})`);
      expect((await http('GET', `http://127.0.0.1:${port}/healthz`)).body).toEqual({
        status: 'ok',
        database: 'postgres',
      });
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    } finally {
      await dropDatabases(names);
    }
  });

  it('a user who may not create databases is told in one line how to create it', async () => {
    const role = `sw_nocreate_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const name = `sw_missing_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await adminQuery(`create role ${role} login nocreatedb`);
    try {
      const url = new URL(process.env.STOREWIRE_TEST_PG_URL!);
      url.username = role;
      url.pathname = `/${name}`;
      const result = await run(['migrate'], cliEnv(tempDir(), { DATABASE_URL: url.toString() }));
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(`database "${name}" does not exist`);
      expect(result.stderr).toContain(`user "${role}" may not create databases`);
      expect(result.stderr).toContain(`createdb -h ${url.hostname}`);
      expect(result.stderr).not.toMatch(NO_STACK);
    } finally {
      await adminQuery(`drop role if exists ${role}`);
    }
  });
});

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.STOREWIRE_TEST_PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function dropDatabases(names: string[]): Promise<void> {
  for (const name of names) await adminQuery(`drop database if exists ${name} with (force)`);
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, PG_URL, type TestDatabase } from './support/databases.js';
import { fixture } from './support/fixtures.js';
import { demoStoreFrom, freePort, repoRoot, startProcess, type Started } from './support/processes.js';

/**
 * `storewire start --role`: an api process and a worker process on one PostgreSQL database, as
 * a user would run them on two machines. Real processes, real HTTP, real time (the worker polls
 * every 250 ms), so the waits are short deadlines, not sleeps for hours.
 */

const BIN = join(repoRoot, 'bin', 'storewire.js');
const SLOW = 120_000;

/** The environment of one process: nothing inherited that could point it elsewhere. */
function env(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) base[key] = value;
  for (const key of [
    'DATABASE_URL',
    'PORT',
    'HOST',
    'STOREWIRE_DATA_DIR',
    'STOREWIRE_DEMO_STORE',
    'STOREWIRE_ROLE',
    'LOG_LEVEL',
  ])
    delete base[key];
  // An empty demo store: the cases count the runs and messages of their own order.
  return { ...base, LOG_LEVEL: 'info', STOREWIRE_SAMPLE_DATA: '0', ...extra };
}

function run(
  args: string[],
  extra: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: env(extra),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function http(method: string, url: string, key: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Polls `check` until it returns a value, or fails after `ms`. */
async function within<T>(ms: number, what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('storewire start refuses an unknown role with exit 2', { timeout: SLOW }, () => {
  it('--role', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storewire-role-'));
    try {
      const result = await run(['start', '--role', 'workers'], {
        DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
        STOREWIRE_DATA_DIR: dir,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unknown role "workers": --role must be api, worker or all');
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('STOREWIRE_ROLE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'storewire-role-'));
    try {
      const result = await run(['start'], {
        DATABASE_URL: `sqlite:${join(dir, 'x.db')}`,
        STOREWIRE_DATA_DIR: dir,
        STOREWIRE_ROLE: 'API',
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('unknown role "API": STOREWIRE_ROLE must be api, worker or all');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the usage text names the roles and STOREWIRE_ROLE', async () => {
    const result = await run(['help'], {});
    expect(result.stdout).toContain('storewire start [--role api|worker|all]');
    expect(result.stdout).toContain('STOREWIRE_ROLE');
  });
});

describe.skipIf(!PG_URL)('an api process and a worker process on one PostgreSQL database', { timeout: SLOW }, () => {
  let database: TestDatabase;
  const dirs: string[] = [];
  const started: Started[] = [];
  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const process of started) await process.stop();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'storewire-role-'));
    dirs.push(dir);
    return dir;
  };

  it('the api takes the order but runs no journey; the worker runs it and the api shows the message sent', async () => {
    const apiDir = tempDir();
    const apiPort = await freePort();
    const api = await startProcess(
      [BIN, 'start', '--role', 'api'],
      env({ DATABASE_URL: database.url, PORT: String(apiPort), STOREWIRE_DATA_DIR: apiDir }),
      /Health: \S+\/healthz/,
      60_000,
    );
    started.push(api);
    expect(api.output()).toContain('Role api: no background work here');
    const base = `http://127.0.0.1:${apiPort}`;
    const { apiKey } = demoStoreFrom(api.output());

    expect((await http('POST', `${base}/v1/journeys/order_receipt/enable`, apiKey, {})).status).toBe(200);
    // Seed 003's orderCreated, with the phone written internationally (the demo store is in India).
    const order = fixture('seeds/003_order_created.json');
    order.params.find((p: { name: string }) => p.name === 'phone').value = '+380501234567';
    const accepted = await http('POST', `${base}/v1/generate-event`, apiKey, order);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect(accepted.json).toMatchObject({ status: 'accepted', orderId: '12345679' });

    // The receipt is due at once, but nothing here runs it: after two of a worker's idle polls, still waiting.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const waiting = await http('GET', `${base}/v1/journeys/order_receipt/runs`, apiKey);
    expect(waiting.json.runs).toHaveLength(1);
    expect(waiting.json.runs[0]).toMatchObject({ status: 'active', stepId: 'receipt' });
    expect((await http('GET', `${base}/v1/messages`, apiKey)).json.messages).toEqual([]);

    const workerPort = await freePort();
    const worker = await startProcess(
      [BIN, 'start'],
      env({
        DATABASE_URL: database.url,
        PORT: String(workerPort),
        STOREWIRE_DATA_DIR: tempDir(),
        STOREWIRE_ROLE: 'worker',
      }),
      /Storewire worker is running/,
      60_000,
    );
    started.push(worker);
    expect(worker.output()).toContain('It does not listen for HTTP');

    const startedAt = Date.now();
    const sent = await within(5_000, 'the worker sends the receipt', async () => {
      const { json } = await http('GET', `${base}/v1/messages`, apiKey);
      return json.messages.find((m: { status: string }) => ['sent', 'delivered', 'read'].includes(m.status));
    }).catch(async (error: Error) => {
      const runs = (await http('GET', `${base}/v1/journeys/order_receipt/runs`, apiKey)).json;
      throw new Error(`${error.message}\nruns: ${JSON.stringify(runs)}\nworker: ${worker.output()}`);
    });
    const latencyMs = Date.now() - startedAt;
    expect(sent).toMatchObject({
      templateName: 'order_receipt',
      source: 'journey',
      channel: 'sandbox',
      campaign: 'journey:order_receipt:receipt',
      recipient: '+380501234567',
    });
    const done = await http('GET', `${base}/v1/journeys/order_receipt/runs`, apiKey);
    expect(done.json.runs[0]).toMatchObject({ status: 'completed' });
    console.log(`worker process: receipt sent ${latencyMs} ms after its banner`);

    expect(await listening(workerPort)).toBe(false);
    await worker.stop();
    expect(worker.child.exitCode).toBe(0);
    expect(worker.output()).toContain('shutting down');
    await api.stop();
    expect(api.child.exitCode).toBe(0);
  });
});

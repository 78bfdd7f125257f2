import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoStoreOf, freePort, repoRoot, startProcess, type Started } from './support/processes.js';

/**
 * `storewire demo` as a user runs it after the README's tour: a folder with `npm start`'s
 * database and demo store, cart abandonment enabled over HTTP, then `storewire demo` in a
 * second process — here while the server keeps running on the same SQLite file, as it would.
 */

const BIN = join(repoRoot, 'bin', 'storewire.js');
const SLOW = 120_000;
const ENABLE_IN_README = 'curl -s -X POST $SW/v1/journeys/cart_abandonment/enable -H "Authorization: Bearer $SW_KEY"';

const dirs: string[] = [];
const servers: Started[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder like a fresh checkout's: the database under it, on `port`. */
function folder(port: number): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'storewire-demo-'));
  dirs.push(dir);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of ['DATABASE_URL', 'HOST', 'STOREWIRE_DEMO_STORE', 'STOREWIRE_ROLE', 'LOG_LEVEL']) delete env[key];
  // An empty demo store (no sample data): the story's run and message are the only ones to count.
  return {
    dir,
    env: { ...env, PORT: String(port), STOREWIRE_DATA_DIR: join(dir, 'data'), STOREWIRE_SAMPLE_DATA: '0' },
  };
}

function demo(
  env: Record<string, string>,
  cwd: string,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function call(method: string, url: string, key: string): Promise<any> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${key}` } });
  expect(res.status, url).toBe(200);
  return res.json();
}

/** The demo store's key, as `storewire stores demo` shows it for that folder's database. */
const demoKey = (dir: string, env: Record<string, string>) => demoStoreOf(env, dir).apiKey;

describe('storewire demo', { timeout: SLOW }, () => {
  it("without cart abandonment enabled: exit 1, and the curl that enables it (the README's, and with this store's key)", async () => {
    const port = await freePort();
    const { dir, env } = folder(port);
    const result = await demo(env, dir);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('cart_abandonment journey, which is not enabled for the demo store "Demo Store"');
    expect(result.stderr).toContain(`  ${ENABLE_IN_README}\n`);
    expect(result.stderr).toContain(
      `  curl -s -X POST http://127.0.0.1:${port}/v1/journeys/cart_abandonment/enable -H "Authorization: Bearer ${demoKey(dir, env)}"\n`,
    );
    expect(result.stdout).toBe('');
    // The hint is the README's own command.
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(ENABLE_IN_README);
  });

  it('a --speed that is not a number from 1 up: exit 2 with the usage', async () => {
    const { dir, env } = folder(await freePort());
    const result = await demo(env, dir, ['--speed', 'fast']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--speed must be a number from 1 to 1000000 (got "fast")');
    expect(result.stderr).toContain('storewire demo [--speed N]');
  });

  it('plays the cart abandonment on the fast clock beside a running server: wait, reminder, delivered, read, order, exit; nothing left running', async () => {
    const port = await freePort();
    const { dir, env } = folder(port);
    const server = await startProcess([BIN, 'start'], env, /Health: \S+\/healthz/, 60_000, dir);
    servers.push(server);
    const base = `http://127.0.0.1:${port}`;
    const key = demoKey(dir, env);
    expect(
      (
        await fetch(`${base}/v1/journeys/cart_abandonment/enable`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}` },
        })
      ).status,
    ).toBe(200);

    const started = Date.now();
    const result = await demo(env, dir);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(
      /^Storewire demo: cart_abandonment on "Demo Store" \(st_\w+\), on a clock 3600× faster than real time$/m,
    );
    expect(out).toMatch(/^\+00:00:00 shopper +puts "Denim Shirt - Blue" \(INR 600\) in the cart, and leaves$/m);
    expect(out).toMatch(
      /^\+00:00:00 cart_abandonment the shopper enters \(run run_\w+\); the 15m buffer window holds it until \+00:15:00/m,
    );
    expect(out).toMatch(/^\+00:15:00 cart_abandonment waits 1h \(step wait_1h\) until \+01:15:00$/m);
    expect(out).toMatch(
      /^\+01:15:00 cart_abandonment step reminder_1 sends cart_reminder_1 to \+91\d{10} \(sandbox\):\n {27}"Hi Priya, you left Denim Shirt - Blue in your cart\. It is still waiting for you: https:\/\/shop\.example\/cart\/demo-shopper-\w+"$/m,
    );
    expect(out).toMatch(/^\+01:15:00 cart_abandonment waits 23h \(step wait_24h\) until \+24:15:00$/m);
    expect(out).toMatch(/^\+01:15:00 sandbox +cart_reminder_1 sent \(wamid\.SANDBOX[\w-]+\)$/m);
    expect(out).toMatch(/^\+01:15:20 sandbox +cart_reminder_1 delivered$/m);
    expect(out).toMatch(/^\+01:19:00 sandbox +cart_reminder_1 read$/m);
    const orderId = /^\+01:45:00 shopper +comes back and places order (DEMO-\w+) \(INR 600\)$/m.exec(out)?.[1];
    expect(orderId, out).toBeDefined();
    expect(out).toMatch(/^ +… +nothing happens until \+24:15:00: skipping ahead$/m);
    expect(out).toContain(
      `+24:15:00 cart_abandonment exits when step wait_24h is due: the shopper placed order ${orderId}; no further message\n`,
    );
    expect(out).not.toContain('reminder_2');
    expect(out).toMatch(
      new RegExp(
        `^Summary: 1 reminder sent \\(read\\), order ${orderId} placed, the journey exited \\(order_placed:${orderId}\\), no further reminder; 24\\.\\d h of store time in [\\d.]+ s\\.$`,
        'm',
      ),
    );
    console.log(
      `storewire demo: ${seconds.toFixed(1)} s as a process (${/in ([\d.]+) s\.$/m.exec(out)?.[1]} s of story)`,
    );

    // What the running server shows afterwards: the run over, the reminder read, nothing active.
    const runs = (await call('GET', `${base}/v1/journeys/cart_abandonment/runs`, key)).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'exited', exitReason: `order_placed:${orderId}` });
    const messages = (await call('GET', `${base}/v1/messages`, key)).messages;
    expect(messages.map((m: { templateName: string; status: string }) => `${m.templateName}:${m.status}`)).toEqual([
      'cart_reminder_1:read',
    ]);
    for (const journey of ['browse_abandonment', 'order_receipt', 'cod_to_prepaid']) {
      expect((await call('GET', `${base}/v1/journeys/${journey}/runs?status=active`, key)).runs).toEqual([]);
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, startProcess, type Started } from './support/processes.js';

/** `storewire users …` and the sign-in link of `npm start`, as a newcomer and an operator use them. */

const BIN = join(repoRoot, 'bin', 'storewire.js');
const dir = mkdtempSync(join(tmpdir(), 'storewire-users-'));
const servers: Started[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env))
    if (value !== undefined && !['DATABASE_URL', 'PORT', 'PUBLIC_URL', 'STOREWIRE_DATA_DIR'].includes(key))
      base[key] = value;
  return { ...base, DATABASE_URL: `sqlite:${join(dir, 'x.db')}`, STOREWIRE_DATA_DIR: dir, ...extra };
}

function run(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env: env(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

async function signIn(base: string, email: string, password: string) {
  const res = await fetch(`${base}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: res.status,
    cookie: res.headers.get('set-cookie')?.split(';')[0] ?? null,
    body: (await res.json()) as any,
  };
}

describe('team accounts on the command line', { timeout: 120_000 }, () => {
  let base = '';
  let storeId = '';

  it('`start` prints a single-use sign-in link for the demo store owner that opens the dashboard signed in', async () => {
    const port = await freePort();
    const server = await startProcess(
      [BIN, 'start'],
      env({ PORT: String(port), LOG_LEVEL: 'debug' }),
      /healthz/,
      90_000,
    );
    servers.push(server);
    base = `http://127.0.0.1:${port}`;
    const link = /Dashboard: open (\S+)/.exec(server.output())?.[1];
    expect(link, server.output()).toMatch(new RegExp(`^${base}/sign-in/[A-Za-z0-9_-]{43}$`));
    storeId = /Demo store "Demo Store" \((st_\w+)/.exec(server.output())![1]!;

    const opened = await fetch(link!, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/?store=${storeId}`);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const session: any = await (await fetch(`${base}/v1/session`, { headers: { cookie } })).json();
    expect(session.user.email).toBe('owner@demo-store.example');
    expect(session.stores).toEqual([{ id: storeId, name: 'Demo Store', role: 'owner' }]);
    const again = await fetch(link!, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('/sign-in?error=link_expired');
  });

  it('users create prints a generated password once, or takes one on stdin; the account signs in with it', async () => {
    const generated = await run([
      'users',
      'create',
      '--email',
      'Agent.One@Shop.example',
      '--store',
      storeId,
      '--role',
      'agent',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/^Created user agent\.one@shop\.example \(usr_\w+\), agent of st_\w+\.\n/);
    const password = /Password: (\S+)/.exec(generated.stdout)![1]!;
    expect(password).toHaveLength(24);
    const signedIn = await signIn(base, 'agent.one@shop.example', password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.stores).toEqual([{ id: storeId, name: 'Demo Store', role: 'agent' }]);

    const typed = await run(
      [
        'users',
        'create',
        '--email',
        'marketer@shop.example',
        '--store',
        storeId,
        '--role',
        'marketer',
        '--password-stdin',
      ],
      'a typed password 123\n',
    );
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).not.toContain('Password:');
    expect((await signIn(base, 'marketer@shop.example', 'a typed password 123')).status).toBe(200);

    const listed = await run(['users', 'list', '--store', storeId]);
    expect(listed.stdout).toMatch(/agent\s+agent\.one@shop\.example/);
    expect(listed.stdout).toMatch(/marketer\s+marketer@shop\.example/);
    expect(listed.stdout).toMatch(/owner\s+owner@demo-store\.example/);
  });

  it('reset-password sets a new password and signs the user out everywhere', async () => {
    const before = await signIn(base, 'marketer@shop.example', 'a typed password 123');
    const reset = await run(['users', 'reset-password', '--email', 'marketer@shop.example']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/New password set for marketer@shop\.example; [1-9]\d* session\(s\) signed out\./);
    const password = /Password: (\S+)/.exec(reset.stdout)![1]!;
    const old = await fetch(`${base}/v1/session`, { headers: { cookie: before.cookie! } });
    expect(old.status).toBe(401);
    expect((await signIn(base, 'marketer@shop.example', 'a typed password 123')).status).toBe(401);
    expect((await signIn(base, 'marketer@shop.example', password)).status).toBe(200);
  });

  it('refuses a bad role, a short password and an unknown store with a clear message', async () => {
    const role = await run(['users', 'create', '--email', 'x@shop.example', '--store', storeId, '--role', 'admin']);
    expect([role.code, role.stderr.trim()]).toEqual([
      2,
      'storewire: the role must be one of owner, marketer, agent (got "admin")',
    ]);
    const short = await run(
      ['users', 'create', '--email', 'x@shop.example', '--store', storeId, '--role', 'agent', '--password-stdin'],
      'short\n',
    );
    expect([short.code, short.stderr.trim()]).toEqual([2, 'storewire: a password needs at least 10 characters']);
    const store = await run(['users', 'create', '--email', 'x@shop.example', '--store', 'st_nope', '--role', 'agent']);
    expect([store.code, store.stderr.trim()]).toEqual([2, 'storewire: no store st_nope']);
    const missing = await run(['users', 'create', '--email', 'x@shop.example']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--store, --role required');
  });

  it('never writes a password to the log, even at LOG_LEVEL=debug', async () => {
    await signIn(base, 'agent.one@shop.example', 'wrong-password-in-log-check');
    expect(servers[0]!.output()).toContain('/v1/session');
    expect(servers[0]!.output()).not.toContain('wrong-password-in-log-check');
    expect(servers[0]!.output()).not.toContain('a typed password 123');
  });
});

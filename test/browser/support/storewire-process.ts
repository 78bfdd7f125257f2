import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget, TestDatabase } from '../../support/databases.js';
import { freePort, repoRoot, type Started, startProcess } from '../../support/processes.js';

const BIN = join(repoRoot, 'bin', 'storewire.js');

export interface StoreKey {
  id: string;
  apiKey: string;
}

/** A real `storewire start` on a fresh database, as a user runs it, and its command line. */
export interface RunningStorewire {
  baseUrl: string;
  demo: StoreKey;
  env: Record<string, string>;
  /** The server's output so far (for failures). */
  output(): string;
  /** Runs `storewire <args>` against the same database, with `stdin` as its input. */
  cli(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** The environment of a child: nothing inherited that could point it at another database. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of ['DATABASE_URL', 'PORT', 'HOST', 'PUBLIC_URL', 'STOREWIRE_DATA_DIR', 'STOREWIRE_ROLE', 'LOG_LEVEL'])
    delete env[key];
  return { ...env, ...extra };
}

export async function startStorewire(target: DatabaseTarget): Promise<RunningStorewire> {
  const database: TestDatabase = await target.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'storewire-browser-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = childEnv({
    PORT: String(port),
    DATABASE_URL: database.url,
    STOREWIRE_DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'warn',
    // The suites seed the demo store themselves (seed-store.ts) and count what they made.
    STOREWIRE_SAMPLE_DATA: '0',
  });
  let server: Started;
  try {
    server = await startProcess([BIN, 'start'], env, /API key/, 60_000);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
    throw error;
  }

  const cli = (args: string[], stdin?: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });

  // The demo store's key, as a newcomer reads it again: `storewire stores demo --json`.
  const shown = await cli(['stores', 'demo', '--json']);
  if (shown.code !== 0) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
    throw new Error(`stores demo failed: ${shown.stderr}`);
  }
  const demo = JSON.parse(shown.stdout) as StoreKey;

  return {
    baseUrl,
    demo,
    env,
    output: server.output,
    cli,
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

/** `storewire stores create --json`: a second store, with its key. */
export async function createStore(sw: RunningStorewire, name: string): Promise<StoreKey> {
  const result = await sw.cli(['stores', 'create', '--name', name, '--json']);
  if (result.code !== 0) throw new Error(`stores create failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as StoreKey;
}

/**
 * `storewire users create`: a team member of a store with a role, the password read from stdin.
 * Run again with another store, the same account joins that store too.
 */
export async function createUser(
  sw: RunningStorewire,
  user: { email: string; store: string; role: 'owner' | 'marketer' | 'agent'; password: string; name?: string },
): Promise<void> {
  const args = [
    'users',
    'create',
    '--email',
    user.email,
    '--store',
    user.store,
    '--role',
    user.role,
    '--password-stdin',
  ];
  if (user.name) args.push('--name', user.name);
  const result = await sw.cli(args, user.password);
  if (result.code !== 0) throw new Error(`users create failed (${result.code}): ${result.stderr}${result.stdout}`);
}

/** Child processes for tests and the bench: a real server, a free port, its memory. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts a child process and waits until it prints `ready` (a regex). */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 30_000,
  cwd = repoRoot,
): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
  return {
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Samples a process's resident memory while `during` runs; returns the peak in MB. */
export async function peakRssMb(pid: number, during: Promise<unknown>): Promise<number> {
  let peak = 0;
  const sample = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      /* the process may have exited */
    }
  };
  const timer = setInterval(sample, 100);
  try {
    await during;
  } finally {
    clearInterval(timer);
    sample();
  }
  return Math.round(peak);
}

/** The demo store `storewire start` printed in its banner: id, API key and ingest token. */
export function demoStoreFrom(output: string): { id: string; apiKey: string; ingestToken: string } {
  const id = /Demo store "[^"]*" \((st_\w+)/.exec(output)?.[1];
  const apiKey = /API key:\s+(\S+)/.exec(output)?.[1];
  const ingestToken = /\/v1\/ingest\/([^/\s]+)\/events/.exec(output)?.[1];
  if (!id || !apiKey || !ingestToken) throw new Error(`no demo store in the output:\n${output}`);
  return { id, apiKey, ingestToken };
}

/** `storewire stores demo --json` with this environment: the database's demo store, as a user would ask for it. */
export function demoStoreOf(
  env: Record<string, string>,
  cwd = repoRoot,
): { id: string; apiKey: string; ingestUrl: string } {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../bin/storewire.js', import.meta.url)), 'stores', 'demo', '--json'],
    {
      cwd,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

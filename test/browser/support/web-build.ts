import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from '../../support/processes.js';

let built: Promise<unknown> | null = null;

const LOCK = join(repoRoot, 'web', '.dist-building');
// Test files run in worker processes of one vitest run: its process id names the run.
const MARKER = join(repoRoot, 'web', 'dist', `.built-for-run-${process.ppid}`);

/** Waits for the lock a build holds (a directory: made atomically), so two files never build at once. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run is not waited for forever.
      if (waited > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds web/ into web/dist/ (what `npm install` does) once per test run, so the browser tests
 * always drive the app as it is in the tree, never a stale build. Browser test files run in
 * parallel: the first builds while the others wait (two builds emptying one folder break
 * each other), and they then use its build.
 */
export function buildDashboard(): Promise<unknown> {
  built ??= withBuildLock(async () => {
    if (existsSync(MARKER)) return;
    await build({ configFile: join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(MARKER, '');
  });
  return built;
}

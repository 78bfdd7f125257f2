import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from '../../support/processes.js';

let built: Promise<unknown> | null = null;

/**
 * Builds web/ into web/dist/ (what `npm install` does) once per test file, so the browser tests
 * always drive the app as it is in the tree, never a stale build.
 */
export function buildDashboard(): Promise<unknown> {
  built ??= build({ configFile: join(repoRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
  return built;
}

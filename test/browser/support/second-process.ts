import { join } from 'node:path';
import { freePort, repoRoot, startProcess } from '../../support/processes.js';
import type { RunningStorewire } from './storewire-process.js';

/**
 * Another `storewire start` on the same database as `sw` (as behind a load balancer): what it
 * writes, the pages served by `sw` must show.
 */
export async function startSecondProcess(sw: RunningStorewire): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server = await startProcess(
    [join(repoRoot, 'bin', 'storewire.js'), 'start'],
    { ...sw.env, PORT: String(port), PUBLIC_URL: baseUrl },
    /API key/,
    60_000,
  );
  return { baseUrl, stop: server.stop };
}

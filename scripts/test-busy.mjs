#!/usr/bin/env node
/**
 * npm run test:busy [-- vitest arguments]: the whole suite (or the files named) beside a CPU hog
 * on every core — one `for(;;);` child per core, killed at the end — so a test that leans on
 * real timers or counts ticks fails here rather than on a busy CI machine. Workers' waits run
 * on the injected clock (src/work/); a test that passes alone and fails here is a bug to fix.
 * Set STOREWIRE_TEST_PG_URL as for `npm test` to cover PostgreSQL too; HOGS=n changes the count.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const count = Number(process.env.HOGS ?? availableParallelism());
const hogs = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));
const stopHogs = () => {
  for (const hog of hogs) if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
};
process.on('exit', stopHogs);

const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
process.stderr.write(`test:busy: ${count} CPU hog${count === 1 ? '' : 's'} running beside vitest\n`);
const tests = spawn(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    tests.kill(signal);
    stopHogs();
    process.exit(130);
  });
}
tests.on('exit', (code, signal) => {
  stopHogs();
  process.exit(code ?? (signal ? 1 : 0));
});

import { createApp } from '../app.js';
import { ConfigError, type Config } from '../config.js';
import { demoOwnerSignInLink } from './demo-owner.js';
import { fillDemoStore, type SampleData, sampleDataLines } from './demo-sample-data.js';
import { demoStoreLines, ensureDemoStore } from './demo-store.js';
import type { Role } from './role.js';

/**
 * storewire start: migrate, then serve HTTP (roles api and all; with the demo store), run the
 * background work (roles worker and all), or both, until told to stop.
 */
export async function start(config: Config, role: Role = 'all'): Promise<void> {
  const app = await createApp(config, { startWorkers: role !== 'api' });

  // Installed before listening, so a stop sent as soon as the banner shows is always graceful.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // A request that never ends (a stuck client reading an export) must not keep the process
    // alive: after the deadline, exit anyway — every acknowledged event is already committed.
    const deadline = setTimeout(() => {
      app.logger.warn('shutdown took over 10 s; exiting with requests still open');
      process.exit(0);
    }, 10_000);
    deadline.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (role === 'worker') {
    // No HTTP here, so no demo store either: its keys are for API users, and an api process
    // started beside this one makes sure of it.
    process.stdout.write(
      [
        `Storewire worker is running (role worker: journeys, message dispatcher, store webhooks, sandbox)  (database: ${app.storage.describe})`,
        'It does not listen for HTTP: run `storewire start --role api` for the API. Stop with Ctrl-C or SIGTERM.',
        '',
      ].join('\n'),
    );
    return;
  }

  let address: string;
  try {
    address = await app.server.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close();
    throw listenProblem(error, config);
  }
  const base = address.replace('0.0.0.0', '127.0.0.1');
  const lines = [`Storewire is listening on ${base}  (database: ${app.storage.describe})`];
  if (role === 'api')
    lines.push(
      'Role api: no background work here — journeys and messages are run by `storewire start --role worker` processes.',
    );
  // PORT=0 picks a free port: the default public URL (http://127.0.0.1:0) is known only now.
  const publicUrl = config.publicUrl === 'http://127.0.0.1:0' ? base : config.publicUrl;
  if (config.demoStore) {
    const demo = await ensureDemoStore(app.storage, { legacyDataDir: config.dataDir, now: app.clock.now() });
    // Only the start that made the demo store fills it: never again on a restart, never another store.
    let sample: SampleData | null = null;
    if (demo.created && config.sampleData) {
      try {
        sample = await fillDemoStore(app, demo.store);
      } catch (error) {
        // The server works without it: say so, and serve.
        app.logger.warn({ err: error }, 'the demo store was made, but its sample data could not be');
      }
    }
    const dashboard = await demoOwnerSignInLink(app.storage, demo.store.id, publicUrl);
    lines.push(
      '',
      ...demoStoreLines(demo, base),
      '  (the same at every start on this database: `storewire stores demo` shows them)',
      ...(sample ? sampleDataLines(sample) : []),
      '',
      `Dashboard: open ${dashboard.url}`,
      `  signs you in as the demo store's owner (${dashboard.email}); single use, valid 15 minutes`,
    );
  }
  lines.push('', `API reference: ${base}/openapi.json   Health: ${base}/healthz`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A port or address the server cannot listen on, in one line that says what to do instead. */
function listenProblem(error: unknown, config: Config): Error {
  const code = (error as { code?: string }).code;
  const other = config.port === 8787 ? 8788 : 8787;
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `port ${config.port} on ${config.host} is already in use (another Storewire, or another program): stop it, or pick another port with PORT, e.g. PORT=${other} npm start`,
    );
  if (code === 'EACCES')
    return new ConfigError(
      `port ${config.port} needs privileges this user does not have: pick a port above 1023 with PORT, e.g. PORT=${other} npm start`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new ConfigError(
      `HOST ${config.host} is not an address of this machine: use 127.0.0.1 (the default) or 0.0.0.0 for every interface`,
    );
  return error instanceof Error ? error : new Error(String(error));
}

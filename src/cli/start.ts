import { relative } from 'node:path';
import { createApp } from '../app.js';
import type { Config } from '../config.js';
import { ingestPath } from '../engine/stores.js';
import { demoOwnerSignInLink } from './demo-owner.js';
import { ensureDemoStore } from './demo-store.js';
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
    // started beside this one makes sure of it (two processes must not both rotate its keys).
    process.stdout.write(
      [
        `Storewire worker is running (role worker: journeys, message dispatcher, store webhooks, sandbox)  (database: ${app.storage.describe})`,
        'It does not listen for HTTP: run `storewire start --role api` for the API. Stop with Ctrl-C or SIGTERM.',
        '',
      ].join('\n'),
    );
    return;
  }

  const address = await app.server.listen({ port: config.port, host: config.host });
  const base = address.replace('0.0.0.0', '127.0.0.1');
  const lines = [`Storewire is listening on ${base}  (database: ${app.storage.describe})`];
  if (role === 'api')
    lines.push(
      'Role api: no background work here — journeys and messages are run by `storewire start --role worker` processes.',
    );
  // PORT=0 picks a free port: the default public URL (http://127.0.0.1:0) is known only now.
  const publicUrl = config.publicUrl === 'http://127.0.0.1:0' ? base : config.publicUrl;
  if (config.demoStore) {
    const demo = await ensureDemoStore(app.storage, config.dataDir);
    const dashboard = await demoOwnerSignInLink(app.storage, demo.store.id, publicUrl);
    lines.push(
      '',
      `Demo store "${demo.store.name}" (${demo.store.id}, country ${demo.store.defaultCountry}, ${demo.store.timeZone})`,
      `  API key:    ${demo.apiKey}`,
      `  Ingest URL: ${base}${ingestPath(demo.ingestToken)}`,
      `  (kept in ${relative(process.cwd(), demo.file) || demo.file})`,
      '',
      `Dashboard: open ${dashboard.url}`,
      `  signs you in as the demo store's owner (${dashboard.email}); single use, valid 15 minutes`,
    );
  }
  lines.push('', `API reference: ${base}/openapi.json   Health: ${base}/healthz`, '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

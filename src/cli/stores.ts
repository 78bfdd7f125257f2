import { parseArgs } from 'node:util';
import { localBaseUrl, type Config } from '../config.js';
import { createStore, ingestPath, validateStoreInput } from '../engine/stores.js';
import { openStorage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { CONNECT_USAGE, connectCommand, isConnectAction } from './connectors.js';
import { demoStoreLines, ensureDemoStore } from './demo-store.js';

export const STORES_USAGE = `storewire stores create --name <name> [--country <CC>] [--time-zone <IANA zone>] [--json]
storewire stores demo [--json]

  create        a new store, with the offline sandbox connected; its API key and ingest URL are
                shown this once (they are stored hashed)
  --country     default country for phone numbers without a country code (default US)
  --time-zone   the store's time zone, e.g. Asia/Kolkata (default UTC)
  demo          the demo store of this database (made if there is none), its API key and ingest
                URL: the same as \`storewire start\` shows, at every start
  --json        print {"id", "apiKey", "ingestUrl"} and nothing else

${CONNECT_USAGE}`;

/** storewire stores create: a new store; its API key and ingest URL are shown this once. */
export async function storesCommand(config: Config, argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (isConnectAction(action)) return connectCommand(config, action, rest);
  if (action === 'demo') return demoStoreCommand(config, rest);
  if (action !== 'create') {
    process.stderr.write(`${STORES_USAGE}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        country: { type: 'string' },
        'time-zone': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    // Unknown options, stray arguments, an option without its value: a usage error, not a crash.
    process.stderr.write(`${(error as Error).message}\n\n${STORES_USAGE}\n`);
    return 2;
  }
  if (!values.name) {
    process.stderr.write(`--name is required\n\n${STORES_USAGE}\n`);
    return 2;
  }
  const input = { name: values.name, defaultCountry: values.country, timeZone: values['time-zone'] };
  // Refuse a bad country or time zone before touching (or creating, or migrating) the database.
  validateStoreInput(input);
  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(storage);
    const created = await createStore(storage, input);
    const ingestUrl = `${localBaseUrl(config)}${ingestPath(created.ingestToken)}`;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ id: created.store.id, apiKey: created.apiKey, ingestUrl })}\n`);
    } else {
      process.stdout.write(
        [
          `Created store "${created.store.name}" (${created.store.id})`,
          `  API key:    ${created.apiKey}`,
          `  Ingest URL: ${ingestUrl}`,
          'Keep them now: they are stored hashed and cannot be shown again.',
          '',
        ].join('\n'),
      );
    }
    return 0;
  } finally {
    await storage.close();
  }
}

/** storewire stores demo: the demo store's credentials, from the database (the same at every start). */
async function demoStoreCommand(config: Config, argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${STORES_USAGE}\n`);
    return 2;
  }
  const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
  try {
    await migrateToLatest(storage);
    const demo = await ensureDemoStore(storage, { legacyDataDir: config.dataDir });
    const base = localBaseUrl(config);
    if (values.json) {
      const ingestUrl = `${base}${ingestPath(demo.ingestToken)}`;
      process.stdout.write(`${JSON.stringify({ id: demo.store.id, apiKey: demo.apiKey, ingestUrl })}\n`);
    } else {
      process.stdout.write(`${demoStoreLines(demo, base).join('\n')}\n`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}

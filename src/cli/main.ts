import { AppError } from '../errors.js';
import { ConfigError, loadConfig } from '../config.js';
import { openStorage } from '../storage/database.js';
import { migrateToLatest } from '../storage/migrate.js';
import { CHANNELS_USAGE, channelsCommand } from './channels.js';
import { CONNECT_USAGE } from './connectors.js';
import { parseRole } from './role.js';
import { STORES_USAGE, storesCommand } from './stores.js';

const USAGE = `Storewire — store events in, WhatsApp and Messenger messages out.

Usage:
  storewire start [--role api|worker|all]
                               serve the API and run journeys and sends (migrates first; makes
                               sure a demo store exists); --role api serves HTTP only, --role
                               worker runs the background work only (default all)
  storewire demo [--speed N]   watch cart abandonment play out on the demo store, N times faster
                               than real time (default 3600); needs cart_abandonment enabled
  storewire migrate            bring the database schema up to date
  ${STORES_USAGE.split('\n')[0]}
  ${CONNECT_USAGE.split('\n')[0]}
  ${CONNECT_USAGE.split('\n')[1]}
  ${CHANNELS_USAGE.split('\n')[0]}

Environment:
  DATABASE_URL   sqlite:<path> (default sqlite:./data/storewire.db) or postgres://user@host/db
  PORT           HTTP port (default 8787); HOST (default 127.0.0.1)
  LOG_LEVEL      pino level (default info)
  STOREWIRE_ROLE the role of \`start\` when --role is not given: api, worker or all (default all)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const role = parseRole(rest);
      // Loaded only here: the HTTP server is most of the start-up time of every other command.
      const { start } = await import('./start.js');
      await start(config, role);
      return -1; // keeps running
    }
    case 'demo': {
      const { demoCommand } = await import('./demo.js');
      return demoCommand(config, rest);
    }
    case 'migrate': {
      const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
      try {
        const applied = await migrateToLatest(storage);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
      } finally {
        await storage.close();
      }
      return 0;
    }
    case 'stores':
      return storesCommand(config, rest);
    case 'channels':
      return channelsCommand(config, rest);
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`storewire: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`storewire: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

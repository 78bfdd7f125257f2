import { AppError } from '../errors.js';
import { ConfigError, loadConfig } from '../config.js';
import { openStorage } from '../storage/database.js';
import { DatabaseSetupError } from '../storage/postgres.js';
import { migrateToLatest } from '../storage/migrate.js';
import { parseStartArgs } from './role.js';
import { storesCommand } from './stores.js';
import { channelsCommand } from './channels.js';
import { usersCommand } from './users.js';
import { commandHelp, USAGE, wantsHelp } from './usage.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write((rest[0] && commandHelp(rest[0])) || USAGE);
    return 0;
  }
  const help = commandHelp(command);
  if (help !== null && wantsHelp(rest)) {
    process.stdout.write(help);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const { role, sampleData } = parseStartArgs(rest);
      // Loaded only here: the HTTP server is most of the start-up time of every other command.
      const { start } = await import('./start.js');
      await start({ ...config, sampleData: sampleData ?? config.sampleData }, role);
      return -1; // keeps running
    }
    case 'demo': {
      const { demoCommand } = await import('./demo.js');
      return demoCommand(config, rest);
    }
    case 'migrate': {
      const storage = openStorage(config.databaseUrl, { sqliteSynchronous: config.sqliteSynchronous });
      try {
        if (await storage.ensureDatabase()) process.stdout.write(`created the database ${storage.describe}\n`);
        const applied = await migrateToLatest(storage);
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
      } finally {
        await storage.close();
      }
      return 0;
    }
    case 'stores':
      return storesCommand(config, rest);
    case 'users':
      return usersCommand(config, rest);
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
    if (error instanceof ConfigError || error instanceof AppError || error instanceof DatabaseSetupError) {
      process.stderr.write(`storewire: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`storewire: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

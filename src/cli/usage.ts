import { CHANNELS_USAGE } from './channels.js';
import { CONNECT_USAGE } from './connectors.js';
import { START_USAGE } from './role.js';
import { STORES_USAGE } from './stores.js';
import { USERS_USAGE } from './users.js';

/** What every command's --help prints: its usage, then the environment every command reads. */

export const DEMO_USAGE = `storewire demo [--speed N]

  Plays seed 001's cart abandonment on the demo store, in this process, on a clock N times
  faster than real time (default 3600: an hour in a second; a wait that would take over two
  seconds at that speed is skipped): a shopper fills a cart and leaves, the journey waits and
  reminds them through the sandbox, they buy, the journey stops. Needs cart_abandonment
  enabled for the demo store (the README shows how).`;

export const MIGRATE_USAGE = `storewire migrate

  Brings the database schema up to date (start does it too). On PostgreSQL, a database that
  does not exist yet is created first when the user may create databases.`;

export const ENVIRONMENT = `Environment:
  DATABASE_URL   sqlite:<path> (default sqlite:./data/storewire.db) or postgres://user@host/db
  PORT           HTTP port (default 8787); HOST (default 127.0.0.1)
  PUBLIC_URL     the base of links Storewire makes (sign-in links, tracking pages);
                 default http://127.0.0.1:<PORT>
  TRUST_PROXY    behind a reverse proxy: true, a hop count, or proxy addresses / CIDRs
  LOG_LEVEL      pino level (default info)
  STOREWIRE_ROLE the role of \`start\` when --role is not given: api, worker or all (default all)
  STOREWIRE_DEMO_STORE=0   \`start\` makes no demo store
  STOREWIRE_SAMPLE_DATA=0  the demo store \`start\` makes stays empty (no sample shoppers,
                           orders or messages); the same as \`start --no-sample-data\`
`;

const firstLines = (usage: string) => usage.split('\n\n')[0]!.split('\n');

export const USAGE = `Storewire — store events in, WhatsApp and Messenger messages out.

Usage:
  storewire start [--role api|worker|all] [--no-sample-data]
                               serve the API and run journeys and sends (migrates first; makes
                               sure a demo store exists, with sample data when it makes it);
                               --role api serves HTTP only, --role worker runs the background
                               work only (default all)
  storewire demo [--speed N]   watch cart abandonment play out on the demo store, N times faster
                               than real time (default 3600); needs cart_abandonment enabled
  storewire migrate            bring the database schema up to date
${[...firstLines(STORES_USAGE), ...firstLines(CONNECT_USAGE), ...firstLines(CHANNELS_USAGE), ...firstLines(USERS_USAGE)].map((line) => `  ${line}`).join('\n')}

  storewire <command> --help   the command's options

${ENVIRONMENT}`;

const COMMANDS: Record<string, string> = {
  start: START_USAGE,
  demo: DEMO_USAGE,
  migrate: MIGRATE_USAGE,
  stores: STORES_USAGE,
  channels: CHANNELS_USAGE,
  users: USERS_USAGE,
};

/** The --help text of a command, or null for a command there is none of. */
export function commandHelp(command: string): string | null {
  const usage = COMMANDS[command];
  return usage === undefined ? null : `${usage}\n\n${ENVIRONMENT}`;
}

export const wantsHelp = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');

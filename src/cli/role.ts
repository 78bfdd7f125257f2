import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';

/**
 * What a `storewire start` process does. Several may share one PostgreSQL database: `api` ones
 * answer HTTP, `worker` ones run the journeys, the outbox and the store webhooks (claims are
 * leased, so two workers never run one step); `all` is both, for one machine.
 */
export type Role = 'api' | 'worker' | 'all';

export const ROLES: readonly Role[] = ['api', 'worker', 'all'];

export const START_USAGE = `storewire start [--role api|worker|all] [--no-sample-data]

  --role   api: serve HTTP only, no background work
           worker: run journeys, the message dispatcher, store webhooks and the sandbox; no HTTP
           all: both (default); also STOREWIRE_ROLE=<role>
  --no-sample-data
           the demo store, when this start makes it (a new database), stays empty instead of
           getting sample shoppers, orders and messages; also STOREWIRE_SAMPLE_DATA=0`;

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** `start`'s arguments: the role, and --no-sample-data (false when given, else not said). */
export function parseStartArgs(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): { role: Role; sampleData: boolean | undefined } {
  const values = startArgs(argv);
  return { role: parseRole(argv, env), sampleData: values['no-sample-data'] ? false : undefined };
}

function startArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { role: { type: 'string' }, 'no-sample-data': { type: 'boolean' } },
    }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${START_USAGE}`);
  }
}

/** The role from `start`'s arguments, else STOREWIRE_ROLE, else all. Anything else is a usage error. */
export function parseRole(argv: string[], env: NodeJS.ProcessEnv = process.env): Role {
  const values = startArgs(argv);
  if (values.role !== undefined) {
    if (!isRole(values.role)) throw new ConfigError(`unknown role "${values.role}": --role must be api, worker or all`);
    return values.role;
  }
  const fromEnv = env.STOREWIRE_ROLE;
  if (fromEnv === undefined || fromEnv === '') return 'all';
  if (!isRole(fromEnv)) throw new ConfigError(`unknown role "${fromEnv}": STOREWIRE_ROLE must be api, worker or all`);
  return fromEnv;
}

import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';

/**
 * What a `storewire start` process does. Several may share one PostgreSQL database: `api` ones
 * answer HTTP, `worker` ones run the journeys, the outbox and the store webhooks (claims are
 * leased, so two workers never run one step); `all` is both, for one machine.
 */
export type Role = 'api' | 'worker' | 'all';

export const ROLES: readonly Role[] = ['api', 'worker', 'all'];

export const START_USAGE = `storewire start [--role api|worker|all]

  --role   api: serve HTTP only, no background work
           worker: run journeys, the message dispatcher, store webhooks and the sandbox; no HTTP
           all: both (default); also STOREWIRE_ROLE=<role>`;

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** The role from `start`'s arguments, else STOREWIRE_ROLE, else all. Anything else is a usage error. */
export function parseRole(argv: string[], env: NodeJS.ProcessEnv = process.env): Role {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { role: { type: 'string' } } }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${START_USAGE}`);
  }
  if (values.role !== undefined) {
    if (!isRole(values.role)) throw new ConfigError(`unknown role "${values.role}": --role must be api, worker or all`);
    return values.role;
  }
  const fromEnv = env.STOREWIRE_ROLE;
  if (fromEnv === undefined || fromEnv === '') return 'all';
  if (!isRole(fromEnv)) throw new ConfigError(`unknown role "${fromEnv}": STOREWIRE_ROLE must be api, worker or all`);
  return fromEnv;
}

import { resolve } from 'node:path';

export interface Config {
  /** sqlite:<path> or postgres://... */
  databaseUrl: string;
  port: number;
  host: string;
  logLevel: string;
  /** Where the embedded database and the demo store's credentials live. */
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  /** Whether `start` makes sure a demo store exists. */
  demoStore: boolean;
}

export class ConfigError extends Error {}

/** Where a client on this machine reaches the server (HOST 0.0.0.0 listens on every interface). */
export function localBaseUrl(config: Pick<Config, 'host' | 'port'>): string {
  return `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
}

/** Reads and checks the environment once; everything else receives a Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.STOREWIRE_DATA_DIR ?? './data');
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number (got "${env.PORT}")`);
  const synchronous = (env.STOREWIRE_SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new ConfigError('STOREWIRE_SQLITE_SYNCHRONOUS must be FULL or NORMAL');
  }
  const databaseUrl = env.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'storewire.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres:// (got "${databaseUrl}")`);
  }
  return {
    databaseUrl,
    port,
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    dataDir,
    sqliteSynchronous: synchronous,
    demoStore: (env.STOREWIRE_DEMO_STORE ?? '1') !== '0',
  };
}

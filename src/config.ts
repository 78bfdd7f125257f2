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
  /**
   * Whether `start`, when it makes the demo store (once per database), fills it with sample
   * shoppers, orders and messages (cli/demo-sample-data.ts): STOREWIRE_SAMPLE_DATA=0 or
   * `start --no-sample-data` leaves it empty.
   */
  sampleData: boolean;
  /**
   * The base of every absolute link Storewire makes (sign-in links, order-tracking pages), without
   * a trailing slash: PUBLIC_URL, default http://127.0.0.1:<PORT>. An https URL makes the session
   * cookie Secure.
   */
  publicUrl: string;
  /**
   * Which proxies in front of Storewire to believe about the client's address (X-Forwarded-For)
   * and protocol: TRUST_PROXY=true (any), a hop count, or a comma-separated list of addresses or
   * CIDR ranges; off by default. The sign-in attempt limit counts per client address.
   */
  trustProxy: boolean | number | string[];
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
    publicUrl: parsePublicUrl(env.PUBLIC_URL, port),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    port,
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    dataDir,
    sqliteSynchronous: synchronous,
    demoStore: (env.STOREWIRE_DEMO_STORE ?? '1') !== '0',
    sampleData: (env.STOREWIRE_SAMPLE_DATA ?? '1') !== '0',
  };
}

function parsePublicUrl(value: string | undefined, port: number): string {
  if (value === undefined || value.trim() === '') return `http://127.0.0.1:${port}`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http:// or https:// URL (got "${value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`PUBLIC_URL must be an absolute http:// or https:// URL (got "${value}")`);
  if (url.search || url.hash) throw new ConfigError(`PUBLIC_URL cannot have a query or a fragment (got "${value}")`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^[0-9]+$/.test(text)) return Number(text);
  const list = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (list.some((part) => !/^[0-9a-fA-F.:]+(\/[0-9]{1,3})?$/.test(part)))
    throw new ConfigError(
      `TRUST_PROXY must be true, a hop count, or a comma-separated list of addresses / CIDR ranges (got "${value}")`,
    );
  return list;
}

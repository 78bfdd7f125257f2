import pg from 'pg';
import { PostgresDialect } from 'kysely';

const INT8_OID = 20;

/**
 * PostgreSQL through a pg pool. Times and money are bigint columns holding values well inside
 * 2^53, so they are read back as JavaScript numbers rather than pg's default strings.
 */
export function openPostgres(connectionString: string, poolSize: number): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { dialect: new PostgresDialect({ pool }), pool };
}

/** Why PostgreSQL could not be used, in one line that says what to do (no stack trace is shown for it). */
export class DatabaseSetupError extends Error {}

/**
 * Makes sure the database a postgres:// URL names exists: when the server answers that it does
 * not (3D000), connects to the server's maintenance database with the same user and creates it.
 * Returns whether it created it. Failures a newcomer meets (server down, login refused, no right
 * to create databases) become a DatabaseSetupError saying what to do.
 */
export async function createDatabaseIfMissing(connectionString: string): Promise<boolean> {
  const url = new URL(connectionString);
  const user = decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres';
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  const where = `${url.hostname || 'localhost'}:${url.port || '5432'}`;
  const probe = new pg.Client({ connectionString });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw setupError(error, where, user);
  } finally {
    await probe.end().catch(() => {});
  }
  const maintenance = new URL(connectionString);
  maintenance.pathname = name === 'postgres' ? '/template1' : '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await admin.connect();
    await admin.query(`create database "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (error) {
    // Another process made it at the same moment: it exists now, which is all that was wanted.
    if ((error as { code?: string }).code === '42P04') return false;
    const how = `create it (createdb -h ${url.hostname || 'localhost'} -p ${url.port || '5432'} -U ${user} ${name}) and start again`;
    if ((error as { code?: string }).code === '42501')
      throw new DatabaseSetupError(
        `database "${name}" does not exist on ${where}, and user "${user}" may not create databases: ${how}`,
      );
    throw new DatabaseSetupError(
      `database "${name}" does not exist on ${where} and could not be created (${(error as Error).message}): ${how}`,
    );
  } finally {
    await admin.end().catch(() => {});
  }
}

function setupError(error: unknown, where: string, user: string): DatabaseSetupError {
  const e = error as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED')
    return new DatabaseSetupError(`cannot reach PostgreSQL at ${where} (connection refused): is it running there?`);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
    return new DatabaseSetupError(`cannot reach PostgreSQL at ${where}: the host name does not resolve`);
  if (e.code === '28P01' || e.code === '28000')
    return new DatabaseSetupError(`PostgreSQL at ${where} refused user "${user}": ${e.message}`);
  return new DatabaseSetupError(`cannot connect to PostgreSQL at ${where}: ${e.message ?? String(error)}`);
}

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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';

/** A database a test suite owns: created empty for it, removed afterwards. */
export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  url: string;
  drop(): Promise<void>;
}

export const PG_URL = process.env.STOREWIRE_TEST_PG_URL;
const REQUIRE_PG = process.env.CI === 'true' || process.env.CI === '1' || process.env.STOREWIRE_REQUIRE_PG === '1';

let warned = false;
function pgMissing(): void {
  if (REQUIRE_PG) {
    throw new Error('STOREWIRE_TEST_PG_URL is not set, but CI must run every test on PostgreSQL too');
  }
  if (!warned) {
    warned = true;
    console.warn(
      '\n⚠ STOREWIRE_TEST_PG_URL is not set: the PostgreSQL half of the contract tests is SKIPPED.\n  Set it (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run it.\n',
    );
  }
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'storewire-test-'));
  return {
    dialect: 'sqlite',
    url: `sqlite:${join(dir, 'test.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL database next to the one STOREWIRE_TEST_PG_URL names. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  if (!PG_URL) throw new Error('STOREWIRE_TEST_PG_URL is not set');
  const name = `sw_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface DatabaseTarget {
  dialect: 'sqlite' | 'postgres';
  create(): Promise<TestDatabase>;
}

/** Every database the contract suites run on. */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ dialect: 'sqlite', create: createSqliteDatabase }];
  if (PG_URL) targets.push({ dialect: 'postgres', create: createPostgresDatabase });
  else pgMissing();
  return targets;
}

/**
 * Runs the same cases once per database: describeEachDatabase('orders', (target) => {...}).
 * Without STOREWIRE_TEST_PG_URL the PostgreSQL run shows as skipped (and CI fails instead).
 */
export function describeEachDatabase(title: string, body: (target: DatabaseTarget) => void): void {
  for (const target of databaseTargets()) describe(`${title} [${target.dialect}]`, () => body(target));
  if (!PG_URL)
    describe.skip(`${title} [postgres]`, () => body({ dialect: 'postgres', create: createPostgresDatabase }));
}

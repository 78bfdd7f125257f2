import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PG_URL } from './support/databases.js';
import { freePort, repoRoot, startProcess, type Started } from './support/processes.js';

/**
 * The README's curl tour, run as a newcomer would: a fresh folder, `storewire start`, then each
 * shell block of "A tour with curl" in order. Under each command the README shows the answer
 * as comments; every "key":value pair written there in full must be in the real answer.
 */
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tour = readme.slice(readme.indexOf('## A tour with curl'), readme.indexOf('## More'));
const blocks = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** "key":value pairs in the README's expected output, skipping any with an ellipsis. */
function expectedPairs(block: string): string[] {
  const comments = block
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .join('\n');
  const pairs = comments.match(/"[A-Za-z_]+":(?:"[^"…]*"|-?\d+(?:\.\d+)?|true|false|null)(?=[,}\]\s])/g) ?? [];
  return pairs;
}

/** The comment lines under a command that prints text, as patterns: "…" stands for what varies. */
function expectedLines(block: string): RegExp[] {
  return block
    .split('\n')
    .filter((line) => line.startsWith('# ') && line.trim() !== '#')
    .map(
      (line) =>
        new RegExp(
          `^${line
            .slice(2)
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replaceAll('…', '.*')}$`,
          'm',
        ),
    );
}

/**
 * Where the tour runs: the default embedded database in the fresh folder, and a PostgreSQL
 * database that does not exist yet (Storewire creates it), as the README's "To run on PostgreSQL".
 */
const targets: { name: string; databaseUrl: () => string | null; cleanup: (url: string | null) => Promise<void> }[] = [
  { name: 'SQLite (the default)', databaseUrl: () => null, cleanup: async () => {} },
];
const adminUrl = PG_URL;
if (adminUrl) {
  targets.push({
    name: 'a PostgreSQL database that does not exist yet',
    databaseUrl: () => {
      const url = new URL(adminUrl);
      url.pathname = `/sw_readme_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      return url.toString();
    },
    cleanup: async (url) => {
      if (!url) return;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
      } finally {
        await client.end();
      }
    },
  });
}

describe.each(targets)('README tour on $name', (target) => {
  let dir: string;
  let server: Started;
  let env: NodeJS.ProcessEnv;
  let databaseUrl: string | null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storewire-readme-'));
    const port = await freePort();
    databaseUrl = target.databaseUrl();
    env = { ...process.env, PORT: String(port) };
    delete env.DATABASE_URL;
    delete env.STOREWIRE_DATA_DIR;
    if (databaseUrl) {
      env.DATABASE_URL = databaseUrl;
      expect(await databaseExists(databaseUrl)).toBe(false);
    }
    server = await startProcess(
      [join(repoRoot, 'bin/storewire.js'), 'start'],
      { PORT: String(port), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      /API key/,
      60_000,
      dir,
    );
    env.SW_PORT = String(port);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await target.cleanup(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a tour', () => {
    expect(blocks.length).toBeGreaterThan(8);
  });

  it('answers every command as the README says', () => {
    let script = '';
    for (const [index, block] of blocks.entries()) {
      // `npm run storewire -- …` runs the CLI of this checkout; the tour runs in a fresh folder.
      const commands = block
        .replace('http://127.0.0.1:8787', `http://127.0.0.1:${env.SW_PORT}`)
        .replace(/npm run (-s )?storewire --/g, `node ${join(repoRoot, 'bin/storewire.js')}`);
      script += `${commands}\necho\necho "@@block ${index}"\n`;
    }
    const output = execFileSync('bash', ['-c', `set -e\n${script}`], { cwd: dir, env, encoding: 'utf8' });
    const answers = output.split(/@@block \d+\n?/);
    for (const [index, block] of blocks.entries()) {
      const answer = answers[index]!.replace(/\s+/g, '');
      for (const pair of expectedPairs(block)) {
        expect(answer, `block ${index}: ${block.split('\n')[0]}\nanswer: ${answers[index]}`).toContain(
          pair.replace(/\s+/g, ''),
        );
      }
      // Output that is not JSON (storewire demo's timeline): each line shown, with … for what varies.
      if (!block.startsWith('curl')) {
        for (const line of expectedLines(block))
          expect(answers[index], `block ${index}: ${block.split('\n')[0]}`).toMatch(line);
      }
    }
  }, 180_000); // the tour starts CLI processes (stores demo, demo) besides its curls: slow on a busy machine
});

async function databaseExists(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [new URL(url).pathname.slice(1)]);
    return found.rowCount === 1;
  } finally {
    await client.end();
  }
}

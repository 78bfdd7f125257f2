import { readFileSync } from 'node:fs';
import pino from 'pino';
import { expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

/**
 * docs/dashboard.md "What the API does, and where on the dashboard" names every route of
 * /openapi.json (issue 14): a route added later fails here until someone says where a person
 * does it — or that only a machine calls it.
 */
it('docs/dashboard.md says, for every route of /openapi.json, where on the dashboard it is done', async () => {
  const app = await createApp(
    { ...loadConfig({}), databaseUrl: 'sqlite::memory:' },
    { logger: pino({ level: 'silent' }) },
  );
  let routes: string[];
  try {
    const doc = app.server.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
  } finally {
    await app.close();
  }
  const text = readFileSync(new URL('../docs/dashboard.md', import.meta.url), 'utf8');
  const section = text.split('## What the API does, and where on the dashboard')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (.+) \|$/gm))
    rows.set(`${match[1]} ${match[2]}`, match[3]!.trim());
  expect(routes.length).toBeGreaterThan(50);
  expect(
    routes.filter((route) => !rows.has(route)),
    'routes docs/dashboard.md does not place',
  ).toEqual([]);
  expect(
    [...rows.keys()].filter((row) => !routes.includes(row)),
    'rows for routes that do not exist',
  ).toEqual([]);
  for (const [route, where] of rows) expect(where.length, route).toBeGreaterThan(3);
});

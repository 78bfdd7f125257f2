import { rolesFor } from '../../src/http/access.js';
import { ROLES } from '../../src/domain/roles.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import pino from 'pino';

/**
 * The Markdown table of docs/dashboard.md's "Roles" section, made from the routes the server
 * serves and the access rules: a test keeps the two the same.
 * `npx tsx test/support/route-access-table.ts` prints it.
 */
export async function routeAccessTable(): Promise<string> {
  const app = await createApp(
    { ...loadConfig({}), databaseUrl: 'sqlite::memory:' },
    { logger: pino({ level: 'silent' }) },
  );
  try {
    const doc = app.server.swagger() as { paths: Record<string, Record<string, { security?: object[] }>> };
    const rows: string[] = ['| method | path | owner | marketer | agent |', '|---|---|---|---|---|'];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const security = (operation.security ?? []).flatMap((s) => Object.keys(s));
        if (!security.includes('storeKey')) continue;
        const roles = rolesFor(method.toUpperCase(), path.replace(/\{([^}]+)\}/g, ':$1'));
        rows.push(
          `| ${method.toUpperCase()} | \`${path}\` | ${ROLES.map((role) => (roles.includes(role) ? 'yes' : '—')).join(' | ')} |`,
        );
      }
    }
    return rows.join('\n');
  } finally {
    await app.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await routeAccessTable());

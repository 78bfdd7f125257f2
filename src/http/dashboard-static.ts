import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** `web/dist/`, built by `npm install` (the prepare script) or `npm run build:web`. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Paths the dashboard never answers: the API, the server's own pages and files. An unknown path
 * under them is the API's JSON 404, not the app.
 */
const SERVER_PATHS = [/^\/v1(\/|$)/, /^\/t\//, /^\/sign-in\/./, /^\/assets\//];
const SERVER_FILES = new Set(['/openapi.json', '/healthz', '/metrics', '/fetch-user-events']);

/**
 * The page is the app's own code and nothing else: no inline script, no other origin but product
 * images (they come from the store's CDN), never framed (clickjacking), no referrer to elsewhere.
 */
const HTML_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  // The page names the current hashed bundles: always ask whether it changed (ETag-less, it is small).
  'cache-control': 'no-cache',
};

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Serves the dashboard (web/): hashed bundles under /assets/ with a year's cache (a new build
 * has new names), and the app's page for every other path, so a client route such as
 * /stores/st_1/contacts/ct_1 opens on reload. Registered last in the server; it takes no
 * request a route of the API takes.
 */
export async function dashboardStatic(app: FastifyInstance, dir = DASHBOARD_DIR): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: join(dir, 'assets'),
      prefix: '/assets/',
      index: false,
      redirect: false,
      preCompressed: true,
      maxAge: YEAR_MS,
      immutable: true,
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    });
  }

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (SERVER_FILES.has(path) || SERVER_PATHS.some((pattern) => pattern.test(path))) return reply.callNotFound();
    if (!built) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built. Run `npm run build:web` (npm install does it), then reload.');
    }
    const rootFile = rootFileOf(dir, path);
    if (rootFile) return reply.sendFile(rootFile, dir, { maxAge: 24 * 3600 * 1000, immutable: false });
    reply.headers(HTML_HEADERS).type('text/html; charset=utf-8');
    return reply.send(await readFile(indexFile, 'utf8'));
  };
  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, page);
}

/** A file at the top of dist/ (favicon.svg), not the page itself: served as it is. */
function rootFileOf(dir: string, path: string): string | null {
  const name = path.slice(1);
  if (!/^[\w.-]+\.[a-z0-9]+$/i.test(name) || name === 'index.html') return null;
  const file = join(dir, name);
  try {
    return statSync(file).isFile() ? name : null;
  } catch {
    return null;
  }
}

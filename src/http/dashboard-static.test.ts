import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardStatic } from './dashboard-static.js';
import { installErrorHandling } from './error-handler.js';

/** The dashboard's files as the server sends them: a built dist/ in a temporary folder. */
describe('dashboard static serving', () => {
  let dir: string;
  let app: FastifyInstance;
  const script = 'export const answer = 42;\n'.repeat(100);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storewire-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Storewire</title><div id="app"></div>');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), script);
    writeFileSync(join(dir, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
    app = Fastify();
    installErrorHandling(app);
    app.get('/v1/contacts', async () => ({ contacts: [] }));
    app.get('/healthz', async () => ({ ok: true }));
    await dashboardStatic(app, dir);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / and any client route with the app page, uncached, with security headers', async () => {
    for (const url of ['/', '/sign-in', '/sign-in?error=link_expired', '/stores/st_1/contacts/ct_1?q=x']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div id="app">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('serves hashed assets with a year-long immutable cache, compressed when the browser takes it', async () => {
    const plain = await app.inject({ url: '/assets/index-AbC123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(script);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toMatch(/javascript/);
    const gzipped = await app.inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(script.length / 10);
  });

  it('serves files at the top of dist/ with a short cache', async () => {
    const res = await app.inject({ url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/svg/);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('leaves the API and server paths to the API: unknown ones are its JSON 404', async () => {
    expect((await app.inject({ url: '/v1/contacts' })).json()).toEqual({ contacts: [] });
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true });
    for (const url of ['/v1/nothing-here', '/v1', '/t/unknown-token', '/assets/gone-123.js', '/sign-in/some-token']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('NOT_FOUND');
    }
    const post = await app.inject({ method: 'POST', url: '/stores/st_1/contacts' });
    expect(post.statusCode).toBe(404);
  });

  it('says how to build the dashboard when web/dist is missing', async () => {
    const bare = Fastify();
    installErrorHandling(bare);
    await dashboardStatic(bare, join(dir, 'not-built'));
    const res = await bare.inject({ url: '/stores/st_1/contacts' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:web');
    await bare.close();
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes.js';

/**
 * The gate on the dashboard's first load: the JavaScript a browser must fetch before the first
 * page shows (the entry and what it imports statically) stays under 250 KB gzip-compressed, and
 * every page's own code is left out of it (it loads when the page is opened).
 */
const LIMIT_BYTES = 250 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The entry and everything it imports statically, as the browser fetches them before the first page shows. */
function firstLoad(manifest: Manifest): ManifestChunk[] {
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the manifest has no entry');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  visit(entry[0]);
  return [...seen].map((key) => manifest[key]!);
}

describe('dashboard bundle', () => {
  let outDir: string;
  let manifest: Manifest;
  let html: string;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'storewire-web-build-'));
    await build({
      configFile: join(repoRoot, 'web', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
    html = readFileSync(join(outDir, 'index.html'), 'utf8');
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('first load is under 250 KB of gzip-compressed JavaScript', () => {
    const chunks = firstLoad(manifest);
    const sizes = chunks.map((chunk) => ({
      file: chunk.file,
      gzip: gzipSync(readFileSync(join(outDir, chunk.file)), { level: 9 }).length,
    }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(`dashboard first load: ${(total / 1024).toFixed(1)} KB gzip in ${sizes.length} file(s)`);
    expect(total).toBeGreaterThan(0);
    expect(total, JSON.stringify(sizes)).toBeLessThan(LIMIT_BYTES);
    // What the page itself asks for is exactly that set: no page's code is preloaded.
    const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]).sort();
    expect(referenced).toEqual(sizes.map((s) => s.file).sort());
  });

  it('loads each page’s code only when the page is opened', () => {
    const first = new Set(firstLoad(manifest).map((chunk) => chunk.file));
    const pages = Object.values(manifest).filter((chunk) => chunk.src?.startsWith('src/pages/'));
    expect(pages.map((p) => p.src).sort()).toEqual(
      expect.arrayContaining([
        'src/pages/contacts/contact-list-page.tsx',
        'src/pages/contacts/contact-page.tsx',
        'src/pages/messages/message-list-page.tsx',
        'src/pages/messages/message-page.tsx',
        'src/pages/orders/order-list-page.tsx',
        'src/pages/orders/order-page.tsx',
      ]),
    );
    for (const page of pages) {
      expect(page.isDynamicEntry, page.src).toBe(true);
      expect(first.has(page.file), page.src).toBe(false);
    }
  });

  it('fetches nothing from another origin (works offline)', () => {
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    for (const chunk of Object.values(manifest)) {
      const code = readFileSync(join(outDir, chunk.file), 'utf8');
      expect(code, chunk.file).not.toMatch(/import\s*\(?\s*["']https?:/);
    }
  });
});

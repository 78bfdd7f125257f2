import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress.js';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard's build: `web/dist/` with hashed files under `assets/` (served with a long
 * cache) and a manifest the size gate reads. Nothing is fetched from a CDN: every byte the page
 * needs is in dist/. In development `npm run dev:web` proxies the API to a running
 * `storewire start` (STOREWIRE_API, default http://127.0.0.1:8787).
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [preact({ devToolsEnabled: false }), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/t/', '/sign-in/', '/openapi.json', '/healthz'].map((path) => [
        path,
        process.env.STOREWIRE_API ?? 'http://127.0.0.1:8787',
      ]),
    ),
  },
});

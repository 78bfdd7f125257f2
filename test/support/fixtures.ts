import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A fixture as parsed JSON, e.g. fixture('seeds/001_product_view.json'). A fresh copy each call. */
export function fixture<T = any>(path: string): T {
  return JSON.parse(readFileSync(root + path, 'utf8')) as T;
}

/** A seed 001 event with its own event id (the seed's four examples share one). */
export function seedEvent(
  name: 'add_to_cart' | 'remove_from_cart' | 'product_view' | 'collection_view',
  overrides: Record<string, unknown> = {},
) {
  return { ...fixture(`seeds/001_${name}.json`), ...overrides };
}

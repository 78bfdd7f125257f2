import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxAccount } from '../channels/sandbox/account.js';
import { ingestPath, insertNewStore, rotateStoreSecrets, type StoreCredentials } from '../engine/stores.js';
import { getChannelAccount, putChannelAccount } from '../storage/channel-accounts.js';
import type { Db, Storage } from '../storage/database.js';
import { getDemoCredentials, saveDemoCredentials } from '../storage/demo-credentials.js';
import { findDemoStore, findStoreByApiKey, findStoreByIngestToken } from '../storage/stores.js';

export const DEMO_STORE_NAME = 'Demo Store';

/** Serializes processes making sure of the demo store at once (a PostgreSQL advisory lock). */
const DEMO_STORE_LOCK = 'storewire:demo-store';

/**
 * Makes sure the database has the demo store and returns its credentials. They are kept in the
 * database itself (demo_credentials), so they are the same at every start and for every folder
 * and process using this database, and another DATABASE_URL has its own. A demo store made
 * before they were kept there takes the key of the folder's old `demo-store.json` when that is
 * its key, else gets new ones, once.
 */
export async function ensureDemoStore(
  storage: Storage,
  options: { legacyDataDir?: string; now?: number } = {},
): Promise<StoreCredentials & { created: boolean }> {
  const now = options.now ?? Date.now();
  const legacy = options.legacyDataDir ? await readLegacyFile(join(options.legacyDataDir, 'demo-store.json')) : null;
  return storage.transaction(async (trx) => {
    await storage.lockStore(trx, DEMO_STORE_LOCK);
    const existing = await findDemoStore(trx);
    if (!existing) {
      const created = await insertNewStore(
        trx,
        { name: DEMO_STORE_NAME, defaultCountry: 'IN', timeZone: 'Asia/Kolkata' },
        now,
        { demo: true },
      );
      await save(trx, created, now);
      return { ...created, created: true };
    }
    // A demo store of an older Storewire may lack its sandbox; it sends through it until a number is connected.
    if (!(await getChannelAccount(trx, existing.id, 'sandbox')))
      await putChannelAccount(trx, sandboxAccount(existing.id), now);
    const saved = await getDemoCredentials(trx, existing.id);
    for (const candidate of [saved, legacy]) {
      if (candidate && (await stillValid(trx, existing.id, candidate))) {
        const credentials = { store: existing, apiKey: candidate.apiKey, ingestToken: candidate.ingestToken };
        if (candidate !== saved) await save(trx, credentials, now);
        return { ...credentials, created: false };
      }
    }
    const rotated = await rotateStoreSecrets(trx, existing);
    await save(trx, rotated, now);
    return { ...rotated, created: false };
  });
}

/** The demo store as `start` and `stores demo` print it. */
export function demoStoreLines(demo: StoreCredentials, base: string): string[] {
  return [
    `Demo store "${demo.store.name}" (${demo.store.id}, country ${demo.store.defaultCountry}, ${demo.store.timeZone})`,
    `  API key:    ${demo.apiKey}`,
    `  Ingest URL: ${base}${ingestPath(demo.ingestToken)}`,
  ];
}

const save = (trx: Db, c: StoreCredentials, now: number) =>
  saveDemoCredentials(trx, { storeId: c.store.id, apiKey: c.apiKey, ingestToken: c.ingestToken }, now);

/** Whether the key and token are the store's current ones (they may have been rotated since). */
async function stillValid(trx: Db, storeId: string, c: { apiKey: string; ingestToken: string }): Promise<boolean> {
  if ((await findStoreByApiKey(trx, c.apiKey))?.id !== storeId) return false;
  return (await findStoreByIngestToken(trx, c.ingestToken))?.id === storeId;
}

/** `<dataDir>/demo-store.json`, where earlier versions kept the demo store's credentials. */
async function readLegacyFile(file: string): Promise<{ apiKey: string; ingestToken: string } | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { apiKey?: unknown; ingestToken?: unknown };
    return typeof parsed.apiKey === 'string' && typeof parsed.ingestToken === 'string'
      ? { apiKey: parsed.apiKey, ingestToken: parsed.ingestToken }
      : null;
  } catch {
    return null;
  }
}

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createStore, rotateStoreSecrets, type StoreCredentials } from '../engine/stores.js';
import type { Storage } from '../storage/database.js';
import { sandboxAccount } from '../channels/sandbox/account.js';
import { getChannelAccount, putChannelAccount } from '../storage/channel-accounts.js';
import { findDemoStore, findStoreByApiKey } from '../storage/stores.js';

export const DEMO_STORE_NAME = 'Demo Store';

interface SavedCredentials {
  id: string;
  apiKey: string;
  ingestToken: string;
}

/**
 * Makes sure the demo store exists and its credentials can be shown. Secrets are stored hashed,
 * so they are kept in clear only in <dataDir>/demo-store.json; if that file is gone, the demo
 * store gets new ones.
 */
export async function ensureDemoStore(
  storage: Storage,
  dataDir: string,
): Promise<StoreCredentials & { created: boolean; file: string }> {
  const file = join(dataDir, 'demo-store.json');
  const saved = await readSaved(file);
  if (saved) {
    const store = await findStoreByApiKey(storage.db, saved.apiKey);
    if (store && store.id === saved.id)
      return { store, apiKey: saved.apiKey, ingestToken: saved.ingestToken, created: false, file };
  }
  const existing = await findDemoStore(storage.db);
  const credentials = existing
    ? await rotateStoreSecrets(storage, existing)
    : await createStore(
        storage,
        { name: DEMO_STORE_NAME, defaultCountry: 'IN', timeZone: 'Asia/Kolkata' },
        Date.now(),
        { demo: true },
      );
  // The demo store sends through the offline sandbox until a real number is connected.
  if (!(await getChannelAccount(storage.db, credentials.store.id, 'sandbox'))) {
    await putChannelAccount(storage.db, sandboxAccount(credentials.store.id), Date.now());
  }
  await mkdir(dataDir, { recursive: true });
  const content: SavedCredentials = {
    id: credentials.store.id,
    apiKey: credentials.apiKey,
    ingestToken: credentials.ingestToken,
  };
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return { ...credentials, created: !existing, file };
}

async function readSaved(file: string): Promise<SavedCredentials | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<SavedCredentials>;
    return parsed.id && parsed.apiKey && parsed.ingestToken ? (parsed as SavedCredentials) : null;
  } catch {
    return null;
  }
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDemoStore } from '../src/cli/demo-store.js';
import { createStore } from '../src/engine/stores.js';
import { getChannelAccount } from '../src/storage/channel-accounts.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { findStoreByApiKey, findStoreByIngestToken } from '../src/storage/stores.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';

/**
 * The demo store's credentials belong to the database: the same at every call, whatever the
 * folder; one demo store even when processes make sure of it at once; and a demo store from an
 * earlier version keeps the key its folder's demo-store.json held.
 */
describeEachDatabase('the demo store of a database', (target) => {
  let database: TestDatabase;
  let storage: Storage;
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'storewire-demo-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    database = await target.create();
    storage = openStorage(database.url, { sqliteSynchronous: 'NORMAL' });
    await migrateToLatest(storage);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('made once, with its sandbox; every later call, from any folder, answers the same working key', async () => {
    const calls = await Promise.all([ensureDemoStore(storage), ensureDemoStore(storage), ensureDemoStore(storage)]);
    expect(calls.filter((c) => c.created)).toHaveLength(1);
    const [first] = calls;
    for (const c of calls)
      expect([c.store.id, c.apiKey, c.ingestToken]).toEqual([first!.store.id, first!.apiKey, first!.ingestToken]);
    const later = await ensureDemoStore(storage, { legacyDataDir: folder() });
    expect([later.created, later.apiKey, later.ingestToken]).toEqual([false, first!.apiKey, first!.ingestToken]);
    expect((await findStoreByApiKey(storage.db, later.apiKey))?.id).toBe(first!.store.id);
    expect((await findStoreByIngestToken(storage.db, later.ingestToken))?.id).toBe(first!.store.id);
    expect(await getChannelAccount(storage.db, first!.store.id, 'sandbox')).toMatchObject({ status: 'active' });
  });
});

describeEachDatabase('a demo store from before its credentials were kept in the database', (target) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  /** A database as an earlier version left it: the demo store there, its secrets only in the folder's file. */
  const earlier = async () => {
    const database = await target.create();
    const storage = openStorage(database.url, { sqliteSynchronous: 'NORMAL' });
    const dir = mkdtempSync(join(tmpdir(), 'storewire-demo-legacy-'));
    cleanups.push(async () => {
      await storage.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    await migrateToLatest(storage);
    const old = await createStore(
      storage,
      { name: 'Demo Store', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' },
      Date.now(),
      { demo: true },
    );
    const other = await createStore(storage, { name: 'Not The Demo' });
    const writeFile = (c: typeof old) =>
      writeFileSync(
        join(dir, 'demo-store.json'),
        JSON.stringify({ id: c.store.id, apiKey: c.apiKey, ingestToken: c.ingestToken }),
      );
    return { storage, dir, old, other, writeFile };
  };

  it("keeps the key of the folder's old demo-store.json when it is the demo store's; then the database holds it", async () => {
    const { storage, dir, old, writeFile } = await earlier();
    writeFile(old);
    const adopted = await ensureDemoStore(storage, { legacyDataDir: dir });
    expect([adopted.store.id, adopted.apiKey, adopted.ingestToken, adopted.created]).toEqual([
      old.store.id,
      old.apiKey,
      old.ingestToken,
      false,
    ]);
    rmSync(join(dir, 'demo-store.json'));
    expect((await ensureDemoStore(storage, { legacyDataDir: dir })).apiKey).toBe(old.apiKey);
  });

  it("never takes another store's key from the file: the demo store gets new ones, the other store keeps its own", async () => {
    const { storage, dir, old, other, writeFile } = await earlier();
    writeFile(other);
    const demo = await ensureDemoStore(storage, { legacyDataDir: dir });
    expect(demo.store.id).toBe(old.store.id);
    expect([demo.apiKey === other.apiKey, demo.apiKey === old.apiKey]).toEqual([false, false]);
    expect((await findStoreByApiKey(storage.db, demo.apiKey))?.id).toBe(old.store.id);
    expect((await findStoreByApiKey(storage.db, other.apiKey))?.id).toBe(other.store.id);
    expect((await ensureDemoStore(storage, { legacyDataDir: dir })).apiKey).toBe(demo.apiKey);
  });
});

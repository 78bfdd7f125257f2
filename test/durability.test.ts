import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/database.js';
import { databaseTargets, type TestDatabase } from './support/databases.js';
import { demoStoreFrom, freePort, startProcess, type Started } from './support/processes.js';

/**
 * "An acknowledged event survives a crash": a real server process takes a stream of
 * single-event POSTs, is killed with SIGKILL in the middle, and restarted; every event that
 * got a 2xx must be in the database, and the server must come back and keep taking events.
 */
describe.each(databaseTargets())('durability [$dialect]', (target) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every acknowledged event through a SIGKILL', { timeout: 90_000 }, async () => {
    const database: TestDatabase = await target.create();
    cleanups.push(() => database.drop());
    const dataDir = mkdtempSync(join(tmpdir(), 'storewire-crash-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const env = { PORT: String(port), DATABASE_URL: database.url, STOREWIRE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const boot = () => startProcess(['bin/storewire.js', 'start'], env, /API key/);

    let server: Started = await boot();
    cleanups.push(() => server.stop());
    const { apiKey, id: storeId } = demoStoreFrom(server.output());

    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const post = async (eventId: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          event_id: eventId,
          event_name: 'product_view',
          timestamp: new Date().toISOString(),
          customer: { customer_id: `crash-${sent % 97}`, phone: `+9198${String(10_000_000 + (sent % 97)).slice(-8)}` },
          event_data: { product_id: sent % 13, title: 'Denim Shirt', price: 600, currency: 'INR' },
        }),
      });
      if (response.status >= 200 && response.status < 300) acknowledged.push(eventId);
      else throw new Error(`unexpected ${response.status}`);
    };
    const worker = async () => {
      while (!stop) {
        const eventId = `crash-event-${sent++}`;
        try {
          await post(eventId);
        } catch {
          // The connection died with the server: the event may or may not be stored; only
          // acknowledged ones are promised.
        }
      }
    };
    const workers = Array.from({ length: 32 }, worker);
    while (acknowledged.length < 1500) await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    stop = true;
    await Promise.all(workers);
    const promised = [...acknowledged];
    expect(promised.length).toBeGreaterThanOrEqual(1500);

    server = await boot();
    const storage = openStorage(database.url);
    try {
      const stored = new Set<string>();
      const rows = await storage.db.selectFrom('events').select('event_id').where('store_id', '=', storeId).execute();
      for (const row of rows) stored.add(row.event_id);
      const lost = promised.filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      expect(rows.length).toBe(stored.size);
    } finally {
      await storage.close();
    }
    const after = await fetch(`http://127.0.0.1:${port}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        event_id: 'after-restart',
        event_name: 'product_view',
        timestamp: new Date().toISOString(),
        customer: { customer_id: 'crash-1' },
        event_data: { product_id: 1 },
      }),
    });
    expect(after.status).toBe(202);
  });
});

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Migrator } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type App, createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore, type StoreCredentials } from '../src/engine/stores.js';
import { openStorage } from '../src/storage/database.js';
import { migrations } from '../src/storage/migrations/index.js';
import { describeEachDatabase, type TestDatabase } from './support/databases.js';
import { signWebhook } from './support/fake-meta/index.js';
import { inboundWebhook } from './support/fake-meta/whatsapp-webhooks.js';
import { repoRoot } from './support/processes.js';

type Json = any;

/**
 * A database from before provider ids were unique (migration 0006), holding two stores that
 * both connected one WhatsApp number and one Shopify shop: migrating keeps the earliest, marks
 * the later `conflict` (shown, never used) and says so in the log; the operator frees the id
 * with `storewire channels release`, and the other store may then connect it.
 */
describeEachDatabase('migration 0007: provider ids already held twice', (target) => {
  const NUMBER = '106540352242922';
  let database: TestDatabase;
  let app: App;
  let first: StoreCredentials;
  let later: StoreCredentials;
  const log: string[] = [];

  beforeAll(async () => {
    database = await target.create();
    const storage = openStorage(database.url, { sqliteSynchronous: 'NORMAL' });
    const migrator = new Migrator({
      db: storage.db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: 'storewire_migrations',
      migrationLockTableName: 'storewire_migrations_lock',
    });
    const before = await migrator.migrateTo('0006-messages-due-sender');
    expect(before.error).toBeUndefined();
    first = await createStore(storage, { name: 'First', defaultCountry: 'IN' }, 1_000);
    later = await createStore(storage, { name: 'Later', defaultCountry: 'IN' }, 2_000);
    const account = (store: StoreCredentials, secret: string, at: number) => ({
      store_id: store.store.id,
      channel: 'whatsapp',
      external_id: NUMBER,
      config: '{}',
      secrets: JSON.stringify({ accessToken: 't', appSecret: secret, verifyToken: `v-${secret}` }),
      status: 'active',
      status_reason: null,
      created_at: at,
      updated_at: at,
    });
    await storage.db
      .insertInto('channel_accounts')
      .values([account(later, 'secret-of-later', 2_000), account(first, 'secret-of-first', 1_000)] as never)
      .execute();
    const shop = (store: StoreCredentials, at: number) => ({
      store_id: store.store.id,
      connector: 'shopify',
      lookup_key: 'twice.myshopify.com',
      config: JSON.stringify({ shopDomain: 'twice.myshopify.com' }),
      secrets: JSON.stringify({ appSecret: 'x' }),
      created_at: at,
      updated_at: at,
    });
    await storage.db
      .insertInto('store_connectors')
      .values([shop(first, 1_000), shop(later, 2_000)] as never)
      .execute();
    await storage.close();

    const sink = new Writable({
      write(chunk, _encoding, done) {
        log.push(String(chunk));
        done();
      },
    });
    const config = { ...loadConfig({}), databaseUrl: database.url, sqliteSynchronous: 'NORMAL' as const };
    app = await createApp(config, { logger: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const call = (as: StoreCredentials, method: 'GET' | 'PUT', url: string, body?: unknown) =>
    app.server.inject({
      method,
      url,
      headers: { authorization: `Bearer ${as.apiKey}`, 'content-type': 'application/json' },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
  const whatsapp = async (as: StoreCredentials) =>
    (await call(as, 'GET', '/v1/channels')).json().channels.find((c: Json) => c.channel === 'whatsapp');

  it('keeps the earliest account, marks the later conflict, and logs what it did', async () => {
    expect(await whatsapp(first)).toMatchObject({ phoneNumberId: NUMBER, status: 'active' });
    const conflicted = await whatsapp(later);
    expect(conflicted).toMatchObject({ phoneNumberId: NUMBER, status: 'conflict' });
    expect(conflicted.statusReason).toMatch(/held by another store/);
    expect(JSON.stringify(conflicted)).not.toContain(first.store.id);

    const connectors = (await call(later, 'GET', `/v1/stores/${later.store.id}/connectors`)).json().connectors;
    expect(connectors).toEqual([expect.objectContaining({ connector: 'shopify', status: 'conflict' })]);
    expect((await call(first, 'GET', `/v1/stores/${first.store.id}/connectors`)).json().connectors).toEqual([
      expect.objectContaining({ connector: 'shopify', status: 'active' }),
    ]);

    const notes = log.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 40,
          msg: expect.stringContaining(`whatsapp ${NUMBER} of store ${later.store.id}`),
        }),
        expect.objectContaining({
          level: 40,
          msg: expect.stringContaining(`shopify connector (shop twice.myshopify.com) of store ${later.store.id}`),
        }),
      ]),
    );
  });

  it("sends the number's webhooks to the earliest store only; the conflicted one cannot send or re-take it", async () => {
    const delivery = (secret: string) => {
      const { rawBody, headers } = signWebhook(
        inboundWebhook('text', { phoneNumberId: NUMBER, from: '919800000001', id: `wamid.${secret}` }),
        secret,
      );
      return app.server.inject({ method: 'POST', url: '/v1/webhooks/whatsapp', payload: rawBody, headers });
    };
    expect((await delivery('secret-of-later')).statusCode).toBe(401);
    expect((await delivery('secret-of-first')).json()).toEqual({ received: 1, ignored: 0 });

    const retake = await call(later, 'PUT', '/v1/channels/whatsapp', {
      phoneNumberId: NUMBER,
      accessToken: 't',
      appSecret: 'secret-of-later',
      verifyToken: 'v',
    });
    expect(retake.statusCode).toBe(409);
    expect(retake.json().error.code).toBe('PROVIDER_ID_TAKEN');

    const contact = await call(later, 'PUT', '/v1/templates/hello', {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hello' },
    });
    expect(contact.statusCode).toBe(200);
    const shopper = await app.server.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: { authorization: `Bearer ${later.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ customer_id: 'c1', phone: '+919800000002' }),
    });
    const send = await app.server.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { authorization: `Bearer ${later.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ to: { contactId: shopper.json().contacts[0].id }, template: 'hello' }),
    });
    expect(send.statusCode).toBe(409);
    expect(send.json().error.code).toBe('CHANNEL_NOT_CONFIGURED');
    expect(send.json().error.message).toMatch(/conflict/);
  });

  it('storewire channels release frees the number from whoever holds it; then the other store connects it', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(repoRoot, 'bin', 'storewire.js'), ...args], {
          cwd: repoRoot,
          env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          stdout += c;
        });
        child.stderr.setEncoding('utf8').on('data', (c: string) => {
          stderr += c;
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const bad = await run(['channels', 'release', '--channel', 'telegram', '--id', NUMBER]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--channel must be whatsapp, messenger or shopify');

    const released = await run(['channels', 'release', '--channel', 'whatsapp', '--id', NUMBER, '--json']);
    expect(released.code, released.stderr).toBe(0);
    expect(JSON.parse(released.stdout)).toEqual({
      channel: 'whatsapp',
      id: NUMBER,
      released: true,
      storeId: first.store.id,
    });
    expect(await whatsapp(first)).toBeUndefined();
    const nothing = await run(['channels', 'release', '--channel', 'whatsapp', '--id', '000']);
    expect(nothing.stdout).toContain('nothing to release');

    const retake = await call(later, 'PUT', '/v1/channels/whatsapp', {
      phoneNumberId: NUMBER,
      accessToken: 't',
      appSecret: 'secret-of-later',
      verifyToken: 'v',
    });
    expect(retake.statusCode, retake.body).toBe(200);
    expect(await whatsapp(later)).toMatchObject({ status: 'active' });

    const shop = await run(['channels', 'release', '--channel', 'shopify', '--id', 'https://TWICE.myshopify.com/']);
    expect(shop.stdout).toContain(`Released shopify twice.myshopify.com from store ${first.store.id}`);
  });
});

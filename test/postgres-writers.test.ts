import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStore, type StoreCredentials } from '../src/engine/stores.js';
import { ManualClock } from './support/clock.js';
import { createPostgresDatabase, databaseTargets, type TestDatabase } from './support/databases.js';
import { seedEvent } from './support/fixtures.js';

/**
 * On PostgreSQL several API processes may write one store at once (docs/architecture.md,
 * "Identity"). Two app instances on the same database, each with its own pool and its own
 * group commit, take interleaved traffic about the same shoppers; the result must be as if
 * one process had taken it all.
 */
const [postgres] = databaseTargets().filter((t) => t.dialect === 'postgres');
(postgres ? describe : describe.skip)('two API processes on one PostgreSQL database', () => {
  const target = postgres ?? { dialect: 'postgres' as const, create: createPostgresDatabase };
  const clock = new ManualClock();
  let database: TestDatabase;
  let a: App;
  let b: App;
  let shop: StoreCredentials;

  beforeAll(async () => {
    database = await target.create();
    const open = () =>
      createApp({ ...loadConfig({}), databaseUrl: database.url }, { clock, logger: pino({ level: 'silent' }) });
    a = await open();
    b = await open();
    shop = await createStore(a.storage, { name: 'Shared Shop', defaultCountry: 'IN', timeZone: 'Asia/Kolkata' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const call = (app: App, method: 'GET' | 'POST', url: string, body?: unknown) =>
    app.server.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${shop.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const post = (app: App, body: unknown) => call(app, 'POST', '/v1/events', body);

  /** The one contact GET /v1/contacts finds for a query (asked of app B, written mostly by A). */
  const contactFor = async (query: string) => {
    const res = await call(b, 'GET', `/v1/contacts?${query}`);
    expect(res.statusCode).toBe(200);
    const found = res.json().contacts as { id: string }[];
    expect(found, query).toHaveLength(1);
    const full = await call(a, 'GET', `/v1/contacts/${found[0]!.id}`);
    expect(full.statusCode).toBe(200);
    return full.json();
  };

  const eventRows = (ids: string[]) =>
    a.storage.db
      .selectFrom('events')
      .select(['event_id', 'contact_id'])
      .where('store_id', '=', shop.store.id)
      .where('event_id', 'in', ids)
      .execute();

  const liveContactsNaming = async (prefix: string) =>
    a.storage.db
      .selectFrom('contacts')
      .select(['id', 'merged_into'])
      .where('store_id', '=', shop.store.id)
      .where('customer_id', 'like', `${prefix}%`)
      .where('merged_into', 'is', null)
      .execute();

  const at = (minute: number) => new Date(Date.parse('2026-11-20T08:00:00Z') + minute * 60_000).toISOString();
  const phoneOf = (tag: number, s: number) => `98${tag}${String(1_000_000 + s).slice(-7)}`;

  it('two processes meeting the same new shoppers make one contact each, holding every identifier', async () => {
    const shoppers = 30;
    const requests: Promise<{ statusCode: number; json(): any }>[] = [];
    const sent: { eventId: string; shopper: number; minute: number }[] = [];
    for (let s = 0; s < shoppers; s++) {
      for (let round = 0; round < 2; round++) {
        const minute = s * 10 + round * 2;
        sent.push(
          { eventId: `w-a-${s}-${round}`, shopper: s, minute },
          { eventId: `w-b-${s}-${round}`, shopper: s, minute: minute + 1 },
        );
        requests.push(
          post(
            a,
            seedEvent('product_view', {
              event_id: `w-a-${s}-${round}`,
              timestamp: at(minute),
              customer: { customer_id: `w-shopper-${s}`, email: `w.shopper${s}@example.com` },
            }),
          ),
          post(
            b,
            seedEvent('product_view', {
              event_id: `w-b-${s}-${round}`,
              timestamp: at(minute + 1),
              customer: { email: `W.Shopper${s}@Example.com`, phone: phoneOf(1, s) },
            }),
          ),
        );
      }
    }
    const answers = await Promise.all(requests);
    for (const res of answers) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    }

    expect(await liveContactsNaming('w-shopper-')).toHaveLength(shoppers);
    const rows = await eventRows(sent.map((e) => e.eventId));
    expect(rows.map((r) => r.event_id).sort()).toEqual(sent.map((e) => e.eventId).sort());
    for (let s = 0; s < shoppers; s++) {
      const contact = await contactFor(`customer_id=w-shopper-${s}`);
      expect((await contactFor(`email=w.shopper${s}%40example.com`)).id).toBe(contact.id);
      expect((await contactFor(`phone=${phoneOf(1, s)}`)).id).toBe(contact.id);
      expect(contact).toMatchObject({
        customerId: `w-shopper-${s}`,
        email: `w.shopper${s}@example.com`,
        phone: `+91${phoneOf(1, s)}`,
      });
      expect(contact.identities).toHaveLength(3);
      expect(contact.identities).toEqual(
        expect.arrayContaining([
          { kind: 'customer_id', value: `w-shopper-${s}` },
          { kind: 'email', value: `w.shopper${s}@example.com` },
          { kind: 'phone', value: `+91${phoneOf(1, s)}` },
        ]),
      );
      const mine = sent.filter((e) => e.shopper === s);
      expect(contact.lastSeenAt).toBe(at(Math.max(...mine.map((e) => e.minute))));
      for (const row of rows.filter((r) => mine.some((e) => e.eventId === r.event_id)))
        expect(row.contact_id).toBe(contact.id);
    }
  });

  it('two processes merging the same two contacts at once: one merge, nothing left on the absorbed contact', async () => {
    const shoppers = 20;
    // Before: each shopper is two contacts, the customer id's (older) and the phone's.
    const older = await Promise.all(
      Array.from({ length: shoppers }, (_, s) =>
        post(
          a,
          seedEvent('product_view', {
            event_id: `m-cid-${s}`,
            timestamp: at(0),
            customer: { customer_id: `m-shopper-${s}` },
          }),
        ),
      ),
    );
    clock.advance(60_000);
    const newer = await Promise.all(
      Array.from({ length: shoppers }, (_, s) =>
        post(
          b,
          seedEvent('product_view', { event_id: `m-phone-${s}`, timestamp: at(1), customer: { phone: phoneOf(2, s) } }),
        ),
      ),
    );
    for (const res of [...older, ...newer]) expect(res.json()).toMatchObject({ accepted: 1 });
    const before = await Promise.all(
      Array.from({ length: shoppers }, async (_, s) => ({
        cid: (await contactFor(`customer_id=m-shopper-${s}`)).id as string,
        phone: (await contactFor(`phone=${phoneOf(2, s)}`)).id as string,
      })),
    );
    for (const pair of before) expect(pair.cid).not.toBe(pair.phone);

    // Now both processes, at once, get events that join the two (and more that name only one).
    clock.advance(60_000);
    const joiners: Promise<{ statusCode: number; json(): any }>[] = [];
    for (let s = 0; s < shoppers; s++) {
      const cid = `m-shopper-${s}`;
      const phone = phoneOf(2, s);
      joiners.push(
        post(
          a,
          seedEvent('product_view', {
            event_id: `m-a-join-${s}`,
            timestamp: at(10),
            customer: { customer_id: cid, phone },
          }),
        ),
        post(
          b,
          seedEvent('product_view', {
            event_id: `m-b-join-${s}`,
            timestamp: at(12),
            customer: { customer_id: cid, phone: `+91 ${phone}`, email: `m.shopper${s}@example.com` },
          }),
        ),
        post(a, seedEvent('product_view', { event_id: `m-a-phone-${s}`, timestamp: at(11), customer: { phone } })),
        post(
          b,
          seedEvent('product_view', { event_id: `m-b-cid-${s}`, timestamp: at(9), customer: { customer_id: cid } }),
        ),
      );
    }
    const answers = await Promise.all(joiners);
    for (const res of answers) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
    }

    expect(await liveContactsNaming('m-shopper-')).toHaveLength(shoppers);
    for (let s = 0; s < shoppers; s++) {
      const [aJoin, bJoin] = [answers[s * 4]!.json(), answers[s * 4 + 1]!.json()];
      const merges = [aJoin, bJoin].filter((j) =>
        j.warnings.some((w: { code: string }) => w.code === 'CONTACTS_MERGED'),
      );
      expect(merges, `shopper ${s}: exactly one of the two joining events merges`).toHaveLength(1);

      const { cid, phone } = before[s]!;
      const survivor = await contactFor(`customer_id=m-shopper-${s}`);
      expect(survivor.id).toBe(cid);
      for (const id of [cid, phone]) {
        const res = await call(b, 'GET', `/v1/contacts/${id}`);
        expect(res.statusCode).toBe(200);
        expect(res.json().id).toBe(cid);
      }
      expect((await contactFor(`phone=${phoneOf(2, s)}`)).id).toBe(cid);
      expect((await contactFor(`email=m.shopper${s}%40example.com`)).id).toBe(cid);
      expect(survivor.identities).toHaveLength(3);
      expect(survivor.lastSeenAt).toBe(at(12));
      const ids = [`m-cid-${s}`, `m-phone-${s}`, `m-a-join-${s}`, `m-b-join-${s}`, `m-a-phone-${s}`, `m-b-cid-${s}`];
      const rows = await eventRows(ids);
      expect(rows.map((r) => r.event_id).sort()).toEqual([...ids].sort());
      for (const row of rows) expect(row.contact_id, `event ${row.event_id}`).toBe(cid);
    }
  });

  it('the same events sent to both processes at once are stored once, and counted accepted by exactly one', async () => {
    const events = Array.from({ length: 40 }, (_, k) =>
      seedEvent('product_view', {
        event_id: `same-${k}`,
        timestamp: at(k),
        customer: { customer_id: `same-shopper-${k % 8}`, email: `same${k % 8}@example.com` },
      }),
    );
    const pairs = await Promise.all(events.map((event) => Promise.all([post(a, event), post(b, event)])));
    for (const [k, [fromA, fromB]] of pairs.entries()) {
      expect(fromA.statusCode).toBe(202);
      expect(fromB.statusCode).toBe(202);
      const counts = [fromA.json(), fromB.json()].map((j) => [j.accepted, j.duplicates]);
      expect(counts.sort(), `event same-${k}`).toEqual([
        [0, 1],
        [1, 0],
      ]);
    }
    const rows = await eventRows(events.map((e) => e.event_id));
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(await liveContactsNaming('same-shopper-')).toHaveLength(8);
    for (let s = 0; s < 8; s++) {
      const contact = await contactFor(`customer_id=same-shopper-${s}`);
      expect((await contactFor(`email=same${s}%40example.com`)).id).toBe(contact.id);
      for (const row of rows.filter((r) => Number(r.event_id.slice('same-'.length)) % 8 === s))
        expect(row.contact_id).toBe(contact.id);
    }
  });
});

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

/**
 * Group commit as a user sees it: many requests at once share transactions, yet each one is
 * judged as if it were alone, and one that fails in the database fails nobody else.
 */
describeEachDatabase('concurrent requests', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  /** Every row of the store's state, to tell "nothing changed" exactly. */
  const storeState = async () => {
    const db = h.app.storage.db;
    const id = h.shop.store.id;
    const [contacts, identities, events, carts, products] = await Promise.all([
      db.selectFrom('contacts').selectAll().where('store_id', '=', id).orderBy('id').execute(),
      db
        .selectFrom('contact_identities')
        .selectAll()
        .where('store_id', '=', id)
        .orderBy('kind')
        .orderBy('value')
        .execute(),
      db.selectFrom('events').selectAll().where('store_id', '=', id).orderBy('event_id').execute(),
      db.selectFrom('carts').selectAll().where('store_id', '=', id).orderBy('contact_id').execute(),
      db.selectFrom('products').selectAll().where('store_id', '=', id).orderBy('product_id').execute(),
    ]);
    return { contacts, identities, events, carts, products };
  };

  const liveContactIds = async () =>
    (
      await h.app.storage.db
        .selectFrom('contacts')
        .select('id')
        .where('store_id', '=', h.shop.store.id)
        .where('merged_into', 'is', null)
        .execute()
    ).map((r) => r.id);

  const findContact = async (query: string) => {
    const res = await h.get(`/v1/contacts?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json().contacts as {
      id: string;
      customerId: string;
      email: string;
      phone: string;
      lastSeenAt: string;
    }[];
  };

  it('200 requests at once share a few transactions and make exactly one contact per shopper', async () => {
    const shoppers = 20;
    const perShopper = 10;
    // The same shopper is named with differently written, but equal, identifiers.
    const phoneForms = (n: string) => [`+91${n}`, n, `+91 ${n.slice(0, 5)} ${n.slice(5)}`];
    const base = Date.parse('2026-11-20T08:00:00Z');
    const events = Array.from({ length: shoppers * perShopper }, (_, k) => {
      const s = k % shoppers;
      const digits = `97111${String(10_000 + s).slice(-5)}`;
      return seedEvent(k % 2 === 0 ? 'product_view' : 'collection_view', {
        event_id: `gc-${k}`,
        // Shopper s's newest event is k = s + shoppers * (perShopper - 1), sent among the last.
        timestamp: new Date(base + k * 60_000).toISOString(),
        customer: {
          customer_id: `gc-shopper-${s}`,
          email: k % 3 === 0 ? `GC.Shopper${s}@Example.com` : `gc.shopper${s}@example.com`,
          phone: phoneForms(digits)[k % 3],
          name: `Shopper ${s}`,
        },
      });
    });

    const commitsBefore = h.app.engine.commitStats.commits;
    const answers = await Promise.all(events.map((event) => h.post('/v1/events', event)));
    const commits = h.app.engine.commitStats.commits - commitsBefore;
    for (const res of answers) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [], warnings: [] });
    }
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThanOrEqual(20);

    const live = await liveContactIds();
    expect(live).toHaveLength(shoppers);
    for (let s = 0; s < shoppers; s++) {
      const digits = `97111${String(10_000 + s).slice(-5)}`;
      const [byCustomer, ...more] = await findContact(`customer_id=gc-shopper-${s}`);
      expect(more).toEqual([]);
      expect(byCustomer).toMatchObject({
        customerId: `gc-shopper-${s}`,
        email: `gc.shopper${s}@example.com`,
        phone: `+91${digits}`,
      });
      expect((await findContact(`email=gc.shopper${s}%40example.com`)).map((c) => c.id)).toEqual([byCustomer!.id]);
      expect((await findContact(`phone=${digits}`)).map((c) => c.id)).toEqual([byCustomer!.id]);
      // The newest event wins last_seen whichever transaction it was written in.
      expect(byCustomer!.lastSeenAt).toBe(new Date(base + (s + shoppers * (perShopper - 1)) * 60_000).toISOString());
      expect(live).toContain(byCustomer!.id);
    }

    const state = await storeState();
    expect(state.identities).toHaveLength(shoppers * 3);
    expect(state.events.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    // Every stored event sits on its shopper's live contact.
    const contactOf = new Map(
      state.identities.filter((i) => i.kind === 'customer_id').map((i) => [i.value, i.contact_id]),
    );
    for (const event of events) {
      const stored = state.events.find((e) => e.event_id === event.event_id)!;
      expect(stored.contact_id).toBe(contactOf.get(event.customer.customer_id));
    }

    // Replaying all of it at once: every request a duplicate, not a row changed.
    clock.advance(3_600_000);
    const replay = await Promise.all(events.map((event) => h.post('/v1/events', event)));
    for (const res of replay) {
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [], warnings: [] });
    }
    expect(await storeState()).toEqual(state);
  });

  /** The contacts a CONTACTS_MERGED warning names: [merged away..., survivor]. */
  const mergedIds = (answer: { warnings: { code: string; message: string }[] }) => {
    const warning = answer.warnings.find((w) => w.code === 'CONTACTS_MERGED');
    expect(warning, 'the third request joins two contacts').toBeDefined();
    const ids = warning!.message.match(/ct_[0-9A-Z]+/g) ?? [];
    expect(ids.length).toBe(2);
    return { from: ids[0]!, into: ids[1]! };
  };

  it('a merge of two contacts made by requests committed together reads as if each had its own transaction', async () => {
    const requests = (tag: string, digits: string) => [
      seedEvent('product_view', { event_id: `${tag}-a`, customer: { customer_id: `${tag}-shopper` } }),
      seedEvent('product_view', { event_id: `${tag}-b`, customer: { phone: digits } }),
      seedEvent('product_view', {
        event_id: `${tag}-c`,
        customer: { customer_id: `${tag}-shopper`, phone: `+91${digits}` },
      }),
    ];

    // One request after another: the phone's contact is merged into the customer id's, and
    // its id keeps answering with the survivor.
    const oneByOne = [];
    for (const body of requests('serial', '9711166301')) oneByOne.push(await h.post('/v1/events', body));
    const serial = mergedIds(oneByOne[2]!.json());
    const serialAway = await h.get(`/v1/contacts/${serial.from}`);
    expect(serialAway.statusCode).toBe(200);
    expect(serialAway.json()).toMatchObject({ id: serial.into, customerId: 'serial-shopper', phone: '+919711166301' });

    // The same three requests at once share a transaction; the answer must be the same.
    const together = await Promise.all(requests('together', '9711166302').map((body) => h.post('/v1/events', body)));
    for (const res of together) expect(res.statusCode).toBe(202);
    expect(together.map((r) => r.json().accepted)).toEqual([1, 1, 1]);
    const [live] = await findContact('customer_id=together-shopper');
    expect((await findContact('phone=9711166302')).map((c) => c.id)).toEqual([live!.id]);
    const { from, into } = mergedIds(together[2]!.json());
    expect(into).toBe(live!.id);
    const away = await h.get(`/v1/contacts/${from}`);
    expect(away.statusCode, `GET /v1/contacts/${from} (named as merged away) answers ${away.body}`).toBe(200);
    expect(away.json()).toMatchObject({ id: live!.id, customerId: 'together-shopper', phone: '+919711166302' });
  });

  it('an event that fails in the database fails alone: its request keeps its other events, other requests are untouched', async () => {
    const db = h.app.storage.db;
    if (h.app.storage.dialect === 'sqlite') {
      await sql`CREATE TRIGGER poison_event BEFORE INSERT ON events WHEN NEW.event_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poison'); END`.execute(
        db,
      );
    } else {
      await sql`CREATE FUNCTION poison_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.event_id = 'poison' THEN RAISE EXCEPTION 'poison'; END IF;
          RETURN NEW;
        END $$`.execute(db);
      await sql`CREATE TRIGGER poison_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION poison_event()`.execute(
        db,
      );
    }
    try {
      const good = Array.from({ length: 50 }, (_, k) =>
        seedEvent('product_view', {
          event_id: `good-${k}`,
          customer: { customer_id: `good-shopper-${k % 10}`, email: `good${k % 10}@example.com` },
        }),
      );
      // The poison request also carries a harmless event, which is still stored.
      const poisonBody = [
        seedEvent('product_view', { event_id: 'poison-companion', customer: { customer_id: 'companion-shopper' } }),
        seedEvent('product_view', {
          event_id: 'poison',
          customer: { customer_id: 'poison-shopper', email: 'poison@example.com' },
        }),
      ];
      const bodies: unknown[] = [...good.slice(0, 25), poisonBody, ...good.slice(25)];
      const answers = await Promise.all(bodies.map((body) => h.post('/v1/events', body)));

      const poisoned = answers[25]!;
      expect(poisoned.statusCode).toBe(202);
      expect(poisoned.json()).toMatchObject({
        accepted: 1,
        duplicates: 0,
        rejected: [{ index: 1, error: { code: 'INTERNAL_ERROR' } }],
      });
      // The database's own message goes to the log, not to the client.
      expect(poisoned.json().rejected[0].error.message).not.toContain('poison');
      // Alone, the poison event is a 500 in the error shape.
      const alone = await h.post('/v1/events', poisonBody[1]);
      expect(alone.statusCode).toBe(500);
      expect(alone.json()).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
      const goodAnswers = answers.filter((_, i) => i !== 25);
      for (const res of goodAnswers) {
        expect(res.statusCode).toBe(202);
        expect(res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [], warnings: [] });
      }

      const stored = await db
        .selectFrom('events')
        .select(['event_id', 'contact_id'])
        .where('store_id', '=', h.shop.store.id)
        .where('event_id', 'in', [...good.map((e) => e.event_id), 'poison', 'poison-companion'])
        .execute();
      expect(stored.map((e) => e.event_id).sort()).toEqual([...good.map((e) => e.event_id), 'poison-companion'].sort());
      for (let s = 0; s < 10; s++) expect(await findContact(`customer_id=good-shopper-${s}`)).toHaveLength(1);
      expect(await findContact('customer_id=poison-shopper')).toEqual([]);
      expect(await findContact('email=poison%40example.com')).toEqual([]);
      expect(await findContact('customer_id=companion-shopper')).toHaveLength(1);
      const leftovers = await db
        .selectFrom('contact_identities')
        .select('value')
        .where('store_id', '=', h.shop.store.id)
        .where('value', 'in', ['poison-shopper', 'poison@example.com'])
        .execute();
      expect(leftovers).toEqual([]);
    } finally {
      await sql`DROP TRIGGER IF EXISTS poison_event${sql.raw(h.app.storage.dialect === 'postgres' ? ' ON events' : '')}`.execute(
        db,
      );
      if (h.app.storage.dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS poison_event()`.execute(db);
    }

    // Without the trigger the same request goes through: the companion was kept (a duplicate
    // now) and the failure left nothing of the poison event behind.
    const retry = await h.post('/v1/events', [
      seedEvent('product_view', { event_id: 'poison-companion', customer: { customer_id: 'companion-shopper' } }),
      seedEvent('product_view', {
        event_id: 'poison',
        customer: { customer_id: 'poison-shopper', email: 'poison@example.com' },
      }),
    ]);
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual({ accepted: 1, duplicates: 1, rejected: [], warnings: [] });
    expect(await findContact('email=poison%40example.com')).toHaveLength(1);
  });
});

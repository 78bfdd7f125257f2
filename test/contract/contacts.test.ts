import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

type Json = any;
const HOUR = 3_600_000;
const EXPORT_HEADER =
  'id,customer_id,email,phone,name,whatsapp_status,whatsapp_status_source,whatsapp_status_at,created_at,last_seen_at,attributes';

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field === '' && row.length === 0, 'the export ends with CRLF').toBe(true);
  return rows;
}

describeEachDatabase('contacts: identity, merges, sync, lookup and export', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  const sync = (body: unknown, as?: StoreCredentials) => h.post('/v1/contacts', body, as);
  const syncedId = async (body: unknown, as?: StoreCredentials): Promise<string> => {
    const res = await sync(body, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().contacts[0].id;
  };
  const lookup = async (query: string, as?: StoreCredentials): Promise<Json | null> => {
    const res = await h.get(`/v1/contacts?${query}`, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().contacts[0] ?? null;
  };
  const detail = async (id: string): Promise<Json> => {
    const res = await h.get(`/v1/contacts/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const send = async (...events: object[]) => {
    const res = await h.post('/v1/events', events);
    expect(res.statusCode, res.body).toBe(202);
    return res.json();
  };
  const view = (eventId: string, customer: object, timestamp = '2024-10-08T06:30:00+00:00') =>
    seedEvent('product_view', { event_id: eventId, customer, timestamp });
  const cart = (eventId: string, customer: object, timestamp: string, cartLink: string) => {
    const event = seedEvent('add_to_cart', { event_id: eventId, customer, timestamp, sub_event_name: 'add_to_cart' });
    return { ...event, event_data: { ...event.event_data, cart_link: cartLink } };
  };
  const orderFor = (email: string, orderId: string) => ({
    eventTypeKey: 'orderCreated',
    keyValue: email,
    params: [
      { name: 'email', value: email },
      { name: 'externalOrderId', value: orderId },
      { name: 'totalCost', value: '500' },
      { name: 'status', value: 'INITIALIZED' },
      { name: 'date', value: '2024-10-08 12:00:00' },
      { name: 'currency', value: 'INR' },
    ],
  });
  const exportCsv = async (as?: StoreCredentials) => {
    const res = await h.get('/v1/contacts/export', as);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    return { raw: res.body, rows: parseCsv(res.body) };
  };

  it('reads a national phone with the store country, emails without case, customer ids with case', async () => {
    const byNational = await syncedId({ phone: '9711166382' });
    expect(await syncedId({ phone: '+91 97111 66382' })).toBe(byNational);
    expect(await syncedId({ phone: '+919711166382' })).toBe(byNational);
    await send(view('id-phone-1', { phone: '+91 97111 66382' }));
    const phoneContact = await detail(byNational);
    expect(phoneContact.phone).toBe('+919711166382');
    // Three syncs (system events) and the one activity event all landed on the same contact.
    expect(phoneContact.recentEvents.map((e: Json) => [e.kind, e.name])).toEqual([
      ['system', 'contact_synced'],
      ['system', 'contact_synced'],
      ['system', 'contact_synced'],
      ['activity', 'product_view'],
    ]);

    const byEmail = await syncedId({ email: 'Mixed.Case@Example.COM' });
    expect(await syncedId({ email: 'mixed.case@example.com' })).toBe(byEmail);
    expect((await lookup('email=MIXED.CASE@EXAMPLE.com'))?.id).toBe(byEmail);
    expect((await detail(byEmail)).email).toBe('mixed.case@example.com');

    const upper = await syncedId({ customer_id: 'Case-ID-1' });
    const lower = await syncedId({ customer_id: 'case-id-1' });
    expect(lower).not.toBe(upper);
    expect((await lookup('customer_id=Case-ID-1'))?.id).toBe(upper);
    expect(await lookup('customer_id=CASE-ID-1')).toBeNull();

    const us = await h.newStore({ name: 'US Shop', defaultCountry: 'US', timeZone: 'America/New_York' });
    const usId = await syncedId({ phone: '2025550123' }, us);
    const found = await lookup(`phone=${encodeURIComponent('+12025550123')}`, us);
    expect(found).toMatchObject({ id: usId, phone: '+12025550123' });
    expect(await lookup(`phone=${encodeURIComponent('+12025550123')}`)).toBeNull();
  });

  it('merges two contacts an event shows to be one person: the older survives with everything', async () => {
    clock.advance(HOUR);
    await send(
      view('mg-a-view', { customer_id: 'merge-a' }, '2024-10-01T10:00:00+00:00'),
      cart('mg-a-cart', { customer_id: 'merge-a' }, '2024-10-01T10:05:00+00:00', 'https://s/cart/a'),
    );
    const a = (await lookup('customer_id=merge-a'))!;
    clock.advance(HOUR);
    const order = await h.post('/v1/generate-event', orderFor('merge-b@example.com', 'merge-order-b'));
    expect(order.statusCode, order.body).toBe(200);
    await send(
      view('mg-b-view', { email: 'merge-b@example.com' }, '2024-10-02T10:00:00+00:00'),
      cart('mg-b-cart', { email: 'merge-b@example.com' }, '2024-10-02T10:05:00+00:00', 'https://s/cart/b'),
    );
    const b = (await lookup('email=merge-b@example.com'))!;
    expect(b.id).not.toBe(a.id);
    expect((await detail(b.id)).orders.map((o: Json) => o.orderId)).toEqual(['merge-order-b']);

    clock.advance(HOUR);
    const both = await send(
      view('mg-both', { customer_id: 'merge-a', email: 'Merge-B@example.com' }, '2024-10-03T10:00:00+00:00'),
    );
    expect(both.accepted).toBe(1);
    expect(both.warnings).toEqual([{ index: 0, code: 'CONTACTS_MERGED', message: expect.stringContaining(b.id) }]);

    const survivor = await detail(a.id);
    expect(survivor).toMatchObject({ id: a.id, customerId: 'merge-a', email: 'merge-b@example.com' });
    expect((await detail(b.id)).id).toBe(a.id);
    expect((await lookup('email=merge-b@example.com'))?.id).toBe(a.id);
    expect(survivor.identities).toEqual(
      expect.arrayContaining([
        { kind: 'customer_id', value: 'merge-a' },
        { kind: 'email', value: 'merge-b@example.com' },
      ]),
    );
    expect(survivor.identities).toHaveLength(2);
    const eventIds = survivor.recentEvents.map((e: Json) => e.eventId);
    expect(eventIds).toEqual(
      expect.arrayContaining(['mg-a-view', 'mg-a-cart', 'mg-b-view', 'mg-b-cart', 'mg-both', order.json().eventId]),
    );
    expect(eventIds).toHaveLength(6);
    expect(survivor.cart).toMatchObject({ status: 'active', cartLink: 'https://s/cart/b' });
    expect(survivor.orders.map((o: Json) => o.orderId)).toEqual(['merge-order-b']);
    expect((await h.get('/v1/orders/merge-order-b')).json().contactId).toBe(a.id);
    // The merged-away contact is gone from the export.
    const ids = (await exportCsv()).rows.map((r) => r[0]);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
  });

  it('merges three contacts into the oldest, also when they are created in the same batch', async () => {
    clock.advance(HOUR);
    const x = await syncedId({ customer_id: 'three-x' });
    clock.advance(1000);
    const y = await syncedId({ email: 'three-y@example.com' });
    clock.advance(1000);
    const z = await syncedId({ phone: '9811122233' });
    clock.advance(1000);
    const res = await send(
      view('three-all', { customer_id: 'three-x', email: 'three-y@example.com', phone: '+919811122233' }),
    );
    expect(res.warnings.map((w: Json) => w.code)).toEqual(['CONTACTS_MERGED']);
    for (const id of [x, y, z]) expect((await detail(id)).id).toBe(x);
    for (const q of ['customer_id=three-x', 'email=three-y@example.com', 'phone=9811122233'])
      expect((await lookup(q))?.id).toBe(x);
    expect((await detail(x)).identities).toHaveLength(3);

    // A chain: W is folded into V, then V into the older U; W's old id still answers with U.
    // U's cart is the newer one, so it stays; V's older cart goes.
    clock.advance(HOUR);
    await send(cart('chain-u', { customer_id: 'chain-u' }, '2024-10-05T10:00:00+00:00', 'https://s/cart/u'));
    clock.advance(1000);
    await send(cart('chain-v', { email: 'chain-v@example.com' }, '2024-10-04T10:00:00+00:00', 'https://s/cart/v'));
    clock.advance(1000);
    const w = await syncedId({ phone: '9811122244' });
    const [u, v] = [(await lookup('customer_id=chain-u'))!.id, (await lookup('email=chain-v@example.com'))!.id];
    await send(view('chain-vw', { email: 'chain-v@example.com', phone: '9811122244' }));
    expect((await detail(w)).id).toBe(v);
    await send(view('chain-uv', { customer_id: 'chain-u', email: 'chain-v@example.com' }));
    for (const id of [u, v, w]) expect((await detail(id)).id).toBe(u);
    const chained = await detail(u);
    expect(chained.cart.cartLink).toBe('https://s/cart/u');
    expect(chained.identities).toHaveLength(3);

    const batch = await send(
      view('same-1', { customer_id: 'same-batch-p' }),
      view('same-2', { email: 'same-batch-q@example.com' }),
      view('same-3', { customer_id: 'same-batch-p', email: 'same-batch-q@example.com' }),
    );
    expect(batch.warnings.map((w: Json) => [w.index, w.code])).toEqual([[2, 'CONTACTS_MERGED']]);
    const p = (await lookup('customer_id=same-batch-p'))!;
    expect((await lookup('email=same-batch-q@example.com'))?.id).toBe(p.id);
    expect((await detail(p.id)).recentEvents.map((e: Json) => e.eventId).sort()).toEqual([
      'same-1',
      'same-2',
      'same-3',
    ]);
  });

  it('takes one contact, an array, {"contacts": [...]} and QuickReply envelopes, and answers ids by index', async () => {
    const single = await sync({ customer_id: 'form-single', name: 'Single' });
    expect(single.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
      warnings: [],
      upserted: 1,
      contacts: [{ index: 0, id: expect.any(String) }],
    });
    const fresh = await detail(single.json().contacts[0].id);
    expect(fresh).toMatchObject({ customerId: 'form-single', name: 'Single', whatsapp: { status: 'INACTIVE' } });

    const array = (await sync([{ customer_id: 'form-arr-1' }, { email: 'form-arr-2@example.com' }])).json();
    expect(array).toMatchObject({ accepted: 2, upserted: 2 });
    expect(array.contacts.map((c: Json) => c.index)).toEqual([0, 1]);
    expect((await lookup('email=form-arr-2@example.com'))?.id).toBe(array.contacts[1].id);

    const wrapped = (
      await sync({
        contacts: [{ customer_id: 'form-env-1' }, { event: 'new_contact', data: { customer_id: 'form-env-2' } }],
      })
    ).json();
    expect(wrapped.contacts).toEqual([
      { index: 0, id: (await lookup('customer_id=form-env-1'))?.id },
      { index: 1, id: (await lookup('customer_id=form-env-2'))?.id },
    ]);

    const created = await syncedId({
      event: 'new_contact',
      data: { customer_id: 'form-qr', name: 'Quick Reply', email: 'qr@example.com' },
    });
    expect(
      await syncedId({ event: 'update_contact', data: { customer_id: 'form-qr', name: 'Quick Reply Renamed' } }),
    ).toBe(created);
    expect(await detail(created)).toMatchObject({
      customerId: 'form-qr',
      email: 'qr@example.com',
      name: 'Quick Reply Renamed',
    });
  });

  it('merges attributes key by key, records the WhatsApp status with its source, and overwrites primary email and phone', async () => {
    const id = await syncedId({ customer_id: 'attr-1', attributes: { tier: 'gold', city: 'Pune' } });
    await syncedId({ customer_id: 'attr-1', custom_fields: { city: 'Delhi', vip: true } });
    expect((await detail(id)).attributes).toEqual({ tier: 'gold', city: 'Delhi', vip: true });

    clock.advance(HOUR);
    await syncedId({ customer_id: 'attr-1', whatsapp_status: 'ACTIVE', whatsapp_status_source: 'checkout_optin' });
    expect((await detail(id)).whatsapp).toEqual({
      status: 'ACTIVE',
      source: 'checkout_optin',
      updatedAt: new Date(clock.now()).toISOString(),
      profileName: null,
    });

    await send(view('prim-1', { customer_id: 'prim', email: 'first@example.com', phone: '9700000001' }));
    await send(view('prim-2', { customer_id: 'prim', email: 'second@example.com', phone: '9700000002' }));
    const primId = (await lookup('customer_id=prim'))!.id;
    expect(await detail(primId)).toMatchObject({ email: 'first@example.com', phone: '+919700000001' });
    await syncedId({ customer_id: 'prim', email: 'Synced@Example.com', phone: '97000 00003' });
    const synced = await detail(primId);
    expect(synced).toMatchObject({ email: 'synced@example.com', phone: '+919700000003' });
    expect(synced.identities).toHaveLength(7);
  });

  it('applies every sync again: A, B, A ends at A, one request at a time or in one batch', async () => {
    const a = { customer_id: 'resync', email: 'a@example.com', name: 'Version A', attributes: { v: 'A' } };
    const b = { customer_id: 'resync', email: 'b@example.com', name: 'Version B', attributes: { v: 'B' } };
    const id = await syncedId(a);
    await syncedId(b);
    const again = await sync(a);
    expect(again.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await detail(id)).toMatchObject({ email: 'a@example.com', name: 'Version A', attributes: { v: 'A' } });

    // A contact created and then merged within one batch is answered with the survivor's id.
    const merged = (
      await sync([{ email: 'guest-resync@example.com' }, { email: 'guest-resync@example.com', customer_id: 'resync' }])
    ).json();
    expect(merged.contacts).toEqual([
      { index: 0, id },
      { index: 1, id },
    ]);
    expect(merged.warnings.map((w: Json) => [w.index, w.code])).toEqual([[1, 'CONTACTS_MERGED']]);
    // Two customer ids are two people: naming both keeps them apart.
    const apart = (
      await sync([{ customer_id: 'resync-other' }, { customer_id: 'resync-other', email: 'a@example.com' }])
    ).json();
    expect(apart.contacts[0].id).not.toBe(id);
    expect(apart.contacts[1].id).toBe(apart.contacts[0].id);
    expect(apart.warnings.map((w: Json) => [w.index, w.code])).toEqual([[1, 'IDENTITY_CONFLICT']]);
    const kept = await detail(id);
    expect(kept.customerId).toBe('resync');
    expect(kept.identities).toContainEqual({ kind: 'email', value: 'a@example.com' });
    expect(kept.identities).not.toContainEqual({ kind: 'customer_id', value: 'resync-other' });

    const batch = await sync([b, a, b, a]);
    expect(batch.json()).toMatchObject({ accepted: 4, duplicates: 0, upserted: 4 });
    expect(await detail(id)).toMatchObject({ email: 'a@example.com', name: 'Version A', attributes: { v: 'A' } });
  });

  it('stores the valid contacts of a batch and refuses the rest, item by item', async () => {
    const res = await sync([
      { name: 'Nobody' },
      { customer_id: 'batch-ok-1' },
      { email: 'not-an-email' },
      { customer_id: 'batch-ok-2', email: 'bad' },
      { customer_id: 'batch-x', whatsapp_status: 'YES' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ accepted: 2, upserted: 2, duplicates: 0 });
    expect(body.rejected.map((r: Json) => [r.index, r.error.code])).toEqual([
      [0, 'NO_IDENTIFIER'],
      [2, 'INVALID_EMAIL'],
      [4, 'VALIDATION_FAILED'],
    ]);
    expect(body.warnings.map((w: Json) => [w.index, w.code])).toEqual([[3, 'INVALID_EMAIL']]);
    expect(body.contacts).toEqual([
      { index: 1, id: (await lookup('customer_id=batch-ok-1'))?.id },
      { index: 3, id: (await lookup('customer_id=batch-ok-2'))?.id },
    ]);
    expect(await lookup('customer_id=batch-x')).toBeNull();

    const lone = await sync({ email: 'nope' });
    expect([lone.statusCode, lone.json().error.code, lone.json().error.details.path]).toEqual([
      400,
      'INVALID_EMAIL',
      '/email',
    ]);
    const loneWrapped = await sync({ event: 'new_contact', data: { email: 'nope' } });
    expect([loneWrapped.statusCode, loneWrapped.json().error.code, loneWrapped.json().error.details.path]).toEqual([
      400,
      'INVALID_EMAIL',
      '/data/email',
    ]);
    // Only the two QuickReply events are upserts; anything else is not silently taken as one.
    const deleteEvent = await sync({ event: 'delete_contact', data: { customer_id: 'qr-deleted' } });
    expect([deleteEvent.statusCode, deleteEvent.json().error.code, deleteEvent.json().error.details.path]).toEqual([
      400,
      'VALIDATION_FAILED',
      '/event',
    ]);
    expect(await lookup('customer_id=qr-deleted')).toBeNull();
    const all = await sync({ contacts: [{}, { phone: '12' }] });
    expect([all.statusCode, all.json().error.code]).toEqual([400, 'INVALID_EVENTS']);
    expect((await sync({ contacts: [] })).json().error.code).toBe('EMPTY_BATCH');
    const tooMany = await sync(Array.from({ length: 1001 }, (_, i) => ({ customer_id: `over-${i}` })));
    expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(tooMany.json().error.message).toContain('1000');
    expect(await lookup('customer_id=over-0')).toBeNull();
    expect((await h.call('POST', '/v1/contacts', { customer_id: 'x' }, { as: null })).statusCode).toBe(401);
  });

  it('finds a contact by customer id, email or national-format phone; without one it lists the newest contacts', async () => {
    const id = await syncedId({
      customer_id: 'find-me',
      email: 'find@example.com',
      phone: '+91 98765 11111',
      name: 'Find Me',
    });
    for (const q of ['customer_id=find-me', 'email=FIND%40example.com', 'phone=98765%2011111', 'phone=098765-11111']) {
      const res = await h.get(`/v1/contacts?${q}`);
      expect(res.json(), q).toEqual({
        contacts: [expect.objectContaining({ id, customerId: 'find-me', phone: '+919876511111', name: 'Find Me' })],
        next: null,
      });
    }
    expect((await h.get('/v1/contacts?customer_id=nobody-here')).json()).toEqual({ contacts: [], next: null });
    expect((await h.get('/v1/contacts?email=nobody@example.com')).json()).toEqual({ contacts: [], next: null });
    // Without an identifier it is the dashboard's list (docs/dashboard.md): newest first.
    const newest = await h.get('/v1/contacts?limit=1');
    expect(newest.json().contacts.map((c: { id: string }) => c.id)).toEqual([id]);
    const other = await h.newStore({ name: 'Lookup Other' });
    expect(await lookup('customer_id=find-me', other)).toBeNull();
  });

  it("shows a contact with every documented field, and 404s an unknown id or another store's contact", async () => {
    const id = await syncedId({ customer_id: 'shape', email: 'shape@example.com', phone: '9876522222', name: 'Shape' });
    const contact = await detail(id);
    expect(Object.keys(contact).sort()).toEqual(
      [
        'id',
        'customerId',
        'email',
        'phone',
        'name',
        'attributes',
        'whatsapp',
        'messenger',
        'createdAt',
        'lastSeenAt',
        'identities',
        'cart',
        'recentEvents',
        'orders',
        'consentHistory',
      ].sort(),
    );
    expect(Object.keys(contact.whatsapp).sort()).toEqual(['profileName', 'source', 'status', 'updatedAt']);
    expect(contact.messenger).toEqual({ status: null, source: null, updatedAt: null });
    expect(contact.consentHistory).toEqual([]);
    expect(contact).toMatchObject({
      id,
      customerId: 'shape',
      email: 'shape@example.com',
      phone: '+919876522222',
      name: 'Shape',
      cart: null,
      orders: [],
    });
    expect(contact.createdAt).toBe(new Date(clock.now()).toISOString());
    const [synced] = contact.recentEvents;
    expect(Object.keys(synced).sort()).toEqual([
      'data',
      'eventId',
      'kind',
      'name',
      'occurredAt',
      'source',
      'subName',
      'timestamp',
    ]);

    const unknown = await h.get('/v1/contacts/ct_00000000000000000000000000');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'CONTACT_NOT_FOUND']);
    const other = await h.newStore({ name: 'Detail Other' });
    const theirs = await h.get(`/v1/contacts/${id}`, other);
    expect([theirs.statusCode, theirs.json().error.code]).toEqual([404, 'CONTACT_NOT_FOUND']);
    expect(theirs.body).not.toContain('shape@example.com');
  });

  it('exports contacts as RFC 4180 CSV, quoting what needs it and defusing formulas but not phones', async () => {
    const shop = await h.newStore({ name: 'Export Shop' });
    const tricky = 'Doe, "JJ"\nSecond line';
    const ids = (
      await sync(
        [
          {
            customer_id: 'csv-1',
            name: tricky,
            phone: '9711100001',
            email: 'csv1@example.com',
            attributes: { plan: 'a,b' },
          },
          { customer_id: 'csv-2', name: '=HYPERLINK("http://x")', phone: '+91 97111 00002', whatsapp_status: 'ACTIVE' },
        ],
        shop,
      )
    )
      .json()
      .contacts.map((c: Json) => c.id);
    const { raw, rows } = await exportCsv(shop);
    expect(raw.startsWith(`${EXPORT_HEADER}\r\n`)).toBe(true);
    expect(raw).toContain(`,"Doe, ""JJ""\nSecond line",`);
    expect(raw).toContain(`,+919711100001,`);
    expect(rows).toHaveLength(3);
    const [header, first, second] = rows as [string[], string[], string[]];
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    expect(first[0]).toBe(ids[0]);
    expect(col(first, 'name')).toBe(tricky);
    expect(col(first, 'phone')).toBe('+919711100001');
    expect(JSON.parse(col(first, 'attributes')!)).toEqual({ plan: 'a,b' });
    expect(col(second, 'name')).toBe(`'=HYPERLINK("http://x")`);
    expect(col(second, 'phone')).toBe('+919711100002');
    expect([col(second, 'whatsapp_status'), col(second, 'whatsapp_status_at')]).toEqual([
      'ACTIVE',
      new Date(clock.now()).toISOString(),
    ]);
    expect(col(first, 'created_at')).toBe(new Date(clock.now()).toISOString());
  });

  it("exports 2,500 contacts completely, in id order, and never another store's", async () => {
    const shop = await h.newStore({ name: 'Big Export Shop' });
    const ids: string[] = [];
    for (let start = 0; start < 2500; start += 1000) {
      const batch = Array.from({ length: Math.min(1000, 2500 - start) }, (_, i) => ({
        customer_id: `bulk-${start + i}`,
        email: `bulk${start + i}@example.com`,
      }));
      const res = await sync({ contacts: batch }, shop);
      expect(res.json()).toMatchObject({ accepted: batch.length });
      ids.push(...res.json().contacts.map((c: Json) => c.id));
      clock.advance(1000);
    }
    expect(new Set(ids).size).toBe(2500);
    const { rows } = await exportCsv(shop);
    expect(rows[0]!.join(',')).toBe(EXPORT_HEADER);
    const exported = rows.slice(1).map((r) => r[0]);
    expect(exported).toEqual([...ids].sort());
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(
      new Set(Array.from({ length: 2500 }, (_, i) => `bulk-${i}`)),
    );

    const empty = await h.newStore({ name: 'Empty Shop' });
    expect((await exportCsv(empty)).raw).toBe(`${EXPORT_HEADER}\r\n`);
    const mine = (await exportCsv()).rows.slice(1).map((r) => r[0]);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((id) => ids.includes(id!))).toEqual([]);
  });
});

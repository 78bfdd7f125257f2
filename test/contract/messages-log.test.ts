import { beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { expectError, iso, newArrivals, orderConfirmation, runLoop, sendApi } from '../support/send-helpers.js';

/**
 * One store's messages in known states, made through the sandbox:
 *   m1 order_confirmation to A, campaign c1  → read
 *   m2 new_arrivals       to A, campaign c2  → read
 *   m3 order_confirmation to C (…0000), c2   → sent, then failed 131026
 *   m4 order_confirmation to B, campaign c1  → delivered (sent two seconds later)
 *   m5 order_confirmation to A, campaign c1  → queued (notBefore in an hour)
 */
describeEachDatabase('the message log (GET /v1/messages) and message stats', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const api = sendApi(h);
  let shop: StoreCredentials;
  let other: StoreCredentials;
  const contact: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  const m: Record<1 | 2 | 3 | 4 | 5, string> = { 1: '', 2: '', 3: '', 4: '', 5: '' };
  let t0 = 0;

  const list = async (query = '', as: StoreCredentials = shop) => {
    const res = await h.get(`/v1/messages${query}`, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { messages: { id: string }[]; next: string | null };
  };
  const ids = async (query = '', as: StoreCredentials = shop) => (await list(query, as)).messages.map((x) => x.id);

  beforeAll(async () => {
    shop = await api.sandboxStore('Log Shop');
    other = await api.sandboxStore('Other Shop');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.putTemplate('new_arrivals', newArrivals, shop);
    contact.A = await api.shopper(shop, {
      customer_id: 'A',
      name: 'Anita Bose',
      phone: '+919811120001',
      whatsapp_status: 'ACTIVE',
    });
    contact.B = await api.shopper(shop, { customer_id: 'B', name: 'Bala Murthy', phone: '+919811120002' });
    contact.C = await api.shopper(shop, { customer_id: 'C', name: 'Chitra Pillai', phone: '+919811120000' });
    for (const c of ['A', 'B', 'C']) await api.order(shop, `ORD-${c}`, c);
    await api.shopper(other, { customer_id: 'A', name: 'Another Anita', phone: '+919811120001' });

    const confirm = (c: string, campaign: string, extra = {}) =>
      api.queued(
        { to: { customer_id: c }, template: 'order_confirmation', orderId: `ORD-${c}`, campaign, ...extra },
        shop,
      );
    t0 = clock.now();
    m[1] = (await confirm('A', 'c1')).id;
    m[2] = (
      await api.queued(
        { to: { customer_id: 'A' }, template: 'new_arrivals', params: { collection: 'Silk' }, campaign: 'c2' },
        shop,
      )
    ).id;
    m[3] = (await confirm('C', 'c2')).id;
    await runLoop(h, clock, 2_000); // m1..m3 sent at t0; m1, m2 delivered and m3 failed at t0+1s
    m[4] = (await confirm('B', 'c1')).id;
    await runLoop(h, clock, 1_000); // m4 sent at t0+2s; m1, m2 read and m4 delivered at t0+3s
    m[5] = (await confirm('A', 'c1', { notBefore: iso(clock.now() + 3_600_000) })).id;
  });

  it("lists the store's messages newest first, each with its statuses and times", async () => {
    const { messages, next } = await list();
    expect(messages.map((x) => x.id)).toEqual([m[5], m[4], m[3], m[2], m[1]]);
    expect(next).toBeNull();
    const byId = new Map(messages.map((x: any) => [x.id, x]));
    expect(byId.get(m[1])).toMatchObject({
      status: 'read',
      contactId: contact.A,
      templateName: 'order_confirmation',
      campaign: 'c1',
      sentAt: iso(t0),
      deliveredAt: iso(t0 + 1_000),
      readAt: iso(t0 + 3_000),
    });
    expect(byId.get(m[3])).toMatchObject({
      status: 'failed',
      contactId: contact.C,
      recipient: '+919811120000',
      failedAt: iso(t0 + 1_000),
      error: { code: '131026' },
    });
    expect(byId.get(m[4])).toMatchObject({
      status: 'delivered',
      contactId: contact.B,
      sentAt: iso(t0 + 2_000),
      deliveredAt: iso(t0 + 3_000),
      readAt: null,
    });
    expect(byId.get(m[5])).toMatchObject({
      status: 'queued',
      nextAttemptAt: iso(t0 + 3_000 + 3_600_000),
      sentAt: null,
    });
    expect((await api.message(m[4], shop)).statusHistory).toEqual([
      { status: 'queued', at: iso(t0 + 2_000) },
      { status: 'sent', at: iso(t0 + 2_000) },
      { status: 'delivered', at: iso(t0 + 3_000) },
    ]);
  });

  it('filters by contact, status, template and campaign, alone and together', async () => {
    expect(await ids(`?contact=${contact.A}`)).toEqual([m[5], m[2], m[1]]);
    expect(await ids(`?contact=${contact.B}`)).toEqual([m[4]]);
    expect(await ids('?status=read')).toEqual([m[2], m[1]]);
    expect(await ids('?status=delivered')).toEqual([m[4]]);
    expect(await ids('?status=failed')).toEqual([m[3]]);
    expect(await ids('?status=queued')).toEqual([m[5]]);
    expect(await ids('?status=sent')).toEqual([]);
    expect(await ids('?template=new_arrivals')).toEqual([m[2]]);
    expect(await ids('?template=order_confirmation')).toEqual([m[5], m[4], m[3], m[1]]);
    expect(await ids('?campaign=c1')).toEqual([m[5], m[4], m[1]]);
    expect(await ids('?campaign=c2')).toEqual([m[3], m[2]]);
    expect(await ids(`?contact=${contact.A}&campaign=c1`)).toEqual([m[5], m[1]]);
    expect(await ids(`?contact=${contact.A}&campaign=c1&status=read&template=order_confirmation`)).toEqual([m[1]]);
    expect(await ids('?campaign=nope')).toEqual([]);
    expectError(await h.get('/v1/messages?status=bounced', shop), 400, 'VALIDATION_FAILED');
    expectError(await h.get('/v1/messages?limit=ten', shop), 400, 'VALIDATION_FAILED');
  });

  it('pages with limit, next and before, without losing or repeating a message', async () => {
    const first = await list('?limit=2');
    expect(first.messages.map((x) => x.id)).toEqual([m[5], m[4]]);
    expect(first.next).toBe(m[4]);
    const second = await list(`?limit=2&before=${first.next}`);
    expect(second.messages.map((x) => x.id)).toEqual([m[3], m[2]]);
    expect(second.next).toBe(m[2]);
    const third = await list(`?limit=2&before=${second.next}`);
    expect(third.messages.map((x) => x.id)).toEqual([m[1]]);
    expect(third.next).toBeNull();
    // Pages combine with filters.
    const c1 = await list('?campaign=c1&limit=1');
    expect(c1.messages.map((x) => x.id)).toEqual([m[5]]);
    expect(await ids(`?campaign=c1&limit=5&before=${c1.next}`)).toEqual([m[4], m[1]]);
  });

  it("never shows another store's messages, and answers 404 MESSAGE_NOT_FOUND for a message it does not have", async () => {
    expect(await list('', other)).toEqual({ messages: [], next: null });
    expect(await ids(`?contact=${contact.A}`, other)).toEqual([]);
    expectError(await h.get(`/v1/messages/${m[1]}`, other), 404, 'MESSAGE_NOT_FOUND');
    expectError(await h.get('/v1/messages/msg_00000000000000000000000000', shop), 404, 'MESSAGE_NOT_FOUND');
    expect(await api.stats('campaign=c1', other)).toMatchObject({ total: 0, sent: 0 });
    expectError(await h.call('GET', '/v1/messages', undefined, { as: null }), 401, 'UNAUTHORIZED');
  });

  it('counts a template and a campaign exactly: queued, sent, delivered (read included), read, failed, with reasons', async () => {
    const failed = await api.message(m[3], shop);
    const reasons = [{ code: '131026', reason: failed.error.reason, count: 1 }];
    expect(await api.stats('template=order_confirmation', shop)).toEqual({
      template: 'order_confirmation',
      total: 4,
      queued: 1,
      sent: 3,
      delivered: 2,
      read: 1,
      failed: 1,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: reasons,
    });
    expect(await api.stats('template=new_arrivals', shop)).toEqual({
      template: 'new_arrivals',
      total: 1,
      queued: 0,
      sent: 1,
      delivered: 1,
      read: 1,
      failed: 0,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: [],
    });
    expect(await api.stats('campaign=c1', shop)).toEqual({
      campaign: 'c1',
      total: 3,
      queued: 1,
      sent: 2,
      delivered: 2,
      read: 1,
      failed: 0,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: [],
    });
    expect(await api.stats('campaign=c2', shop)).toEqual({
      campaign: 'c2',
      total: 2,
      queued: 0,
      sent: 2,
      delivered: 1,
      read: 1,
      failed: 1,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: reasons,
    });
    // Both filters together, and only messages created since a time.
    expect(await api.stats('template=order_confirmation&campaign=c2', shop)).toMatchObject({
      template: 'order_confirmation',
      campaign: 'c2',
      total: 1,
      failed: 1,
    });
    expect(await api.stats(`campaign=c1&since=${iso(t0 + 2_000)}`, shop)).toMatchObject({
      total: 2,
      queued: 1,
      sent: 1,
      delivered: 1,
      read: 0,
    });
    expect(await api.stats('template=no_such_template', shop)).toMatchObject({ total: 0, failureReasons: [] });
    expectError(await h.get('/v1/stats/messages', shop), 400, 'VALIDATION_FAILED');
  });

  it("moves a merged-away contact's messages to the surviving contact", async () => {
    const merging = await api.sandboxStore('Merging Shop');
    await api.putTemplate('new_arrivals', newArrivals, merging);
    const older = await api.shopper(merging, { customer_id: 'mira', name: 'Mira Das', email: 'mira@example.com' });
    const younger = await api.shopper(merging, { phone: '+919811120009', name: 'Mira', whatsapp_status: 'ACTIVE' });
    const sent = await api.queued(
      { to: { contactId: younger }, template: 'new_arrivals', params: { collection: 'Cotton' } },
      merging,
    );
    expect(sent.contactId).toBe(younger);

    // One event names both: the older contact survives and takes everything.
    const merged = await h.post('/v1/contacts', { customer_id: 'mira', phone: '+919811120009' }, merging);
    expect(merged.json().warnings.map((w: { code: string }) => w.code)).toContain('CONTACTS_MERGED');
    expect((await api.message(sent.id, merging)).contactId).toBe(older);
    expect(await ids(`?contact=${older}`, merging)).toEqual([sent.id]);
  });
});

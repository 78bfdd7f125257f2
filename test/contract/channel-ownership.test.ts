import { beforeAll, expect, it } from 'vitest';
import { signBody } from '../../src/channels/signature.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  type FakeMessenger,
  inboundWebhook,
  messengerEvents,
  pageWebhook,
  startFakeMessenger,
} from '../support/fake-meta/index.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * A provider id — a WhatsApp phone number id, a Messenger page id, a Shopify shop — belongs to
 * one store: another store cannot take it (409, without learning whose it is), its webhooks go
 * to its store only, entry by entry, and only when that account's app secret signed them.
 */
describeEachDatabase('channel ownership: one number, one store', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  let a: WhatsAppShop;
  let b: WhatsAppShop;
  let messenger: FakeMessenger;

  beforeAll(async () => {
    a = await wa.store({ fake: { appSecret: 'app-secret-of-a' } });
    b = await wa.store({ fake: { appSecret: 'app-secret-of-b' } });
    messenger = await startFakeMessenger();
    return () => messenger.close();
  });

  const contactsByPhone = async (shop: WhatsAppShop, phone: string) =>
    (await h.get(`/v1/contacts?phone=${encodeURIComponent(phone)}`, shop.shop)).json().contacts;
  const text = (phoneNumberId: string, from: string, id: string) =>
    inboundWebhook('text', { phoneNumberId, from, id, at: clock.now(), text: 'is this in stock?' });

  it("refuses another store's phone number id with 409, naming the conflict but not the store", async () => {
    const res = await h.call(
      'PUT',
      '/v1/channels/whatsapp',
      { ...b.account, phoneNumberId: a.phoneNumberId },
      {
        as: b.shop,
      },
    );
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('PROVIDER_ID_TAKEN');
    expect(error.message).toContain(a.phoneNumberId);
    expect(res.body).not.toContain(a.shop.store.id);
    expect(res.body).not.toContain(a.shop.store.name);
    // B keeps its own number; A keeps its own.
    expect((await wa.channel(b.shop)).phoneNumberId).toBe(b.phoneNumberId);
    expect((await wa.channel(a.shop)).phoneNumberId).toBe(a.phoneNumberId);

    // A's genuine inbound message, signed with A's app secret, lands in A only.
    const res2 = await wa.postWebhook(text(a.phoneNumberId, '919811100001', 'wamid.OWN1'), 'app-secret-of-a');
    expect(res2.json()).toEqual({ received: 1, ignored: 0 });
    expect(await contactsByPhone(a, '+919811100001')).toHaveLength(1);
    expect(await contactsByPhone(b, '+919811100001')).toEqual([]);
  });

  it('refuses a Messenger page another store connected, and a Shopify shop another store connected', async () => {
    const page = {
      pageId: messenger.pageId,
      pageAccessToken: messenger.accessToken,
      appSecret: messenger.appSecret,
      verifyToken: 'page-verify',
      apiBaseUrl: messenger.url,
    };
    expect((await h.call('PUT', '/v1/channels/messenger', page, { as: a.shop })).statusCode).toBe(200);
    const taken = await h.call('PUT', '/v1/channels/messenger', page, { as: b.shop });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'PROVIDER_ID_TAKEN', details: { path: '/pageId' } });
    // The same store connecting its own page again is fine.
    expect((await h.call('PUT', '/v1/channels/messenger', page, { as: a.shop })).statusCode).toBe(200);

    const shop = { shopDomain: 'owned-shop.myshopify.com', appSecret: 'shpss_a' };
    const put = (as: WhatsAppShop) =>
      h.call('PUT', `/v1/stores/${as.shop.store.id}/connectors/shopify`, shop, { as: as.shop });
    expect((await put(a)).statusCode).toBe(200);
    const shopTaken = await put(b);
    expect(shopTaken.statusCode).toBe(409);
    expect(shopTaken.json().error.code).toBe('PROVIDER_ID_TAKEN');
    expect(shopTaken.body).not.toContain(a.shop.store.id);
  });

  it("routes each entry to its own number's store when one Meta app serves both stores' numbers", async () => {
    const shared = 'one-meta-app-secret';
    const c = await wa.store({ fake: { appSecret: shared } });
    const d = await wa.store({ fake: { appSecret: shared } });
    const forC = text(c.phoneNumberId, '919811100002', 'wamid.SHARED1') as Json;
    const forD = text(d.phoneNumberId, '919811100003', 'wamid.SHARED2') as Json;
    const both = { ...forC, entry: [...forC.entry, ...forD.entry] };
    const res = await wa.postWebhook(both, shared);
    expect(res.json()).toEqual({ received: 2, ignored: 0 });
    expect(await contactsByPhone(c, '+919811100002')).toHaveLength(1);
    expect(await contactsByPhone(c, '+919811100003')).toEqual([]);
    expect(await contactsByPhone(d, '+919811100003')).toHaveLength(1);
    expect(await contactsByPhone(d, '+919811100002')).toEqual([]);
  });

  it("applies an entry only when its own account's app secret signed the delivery", async () => {
    // Names A's number, signed with B's secret: refused, nothing stored.
    const forged = await wa.postWebhook(text(a.phoneNumberId, '919811100004', 'wamid.FORGED'), 'app-secret-of-b');
    expect(forged.statusCode).toBe(401);
    expect(await contactsByPhone(a, '+919811100004')).toEqual([]);
    expect(await contactsByPhone(b, '+919811100004')).toEqual([]);

    // One entry for A, one for B, signed with A's secret: A's is applied, B's is not.
    const forA = text(a.phoneNumberId, '919811100005', 'wamid.MIXED1') as Json;
    const forB = text(b.phoneNumberId, '919811100006', 'wamid.MIXED2') as Json;
    const mixed = await wa.postWebhook({ ...forA, entry: [...forA.entry, ...forB.entry] }, 'app-secret-of-a');
    expect(mixed.json()).toEqual({ received: 1, ignored: 1 });
    expect(await contactsByPhone(a, '+919811100005')).toHaveLength(1);
    expect(await contactsByPhone(b, '+919811100006')).toEqual([]);
  });

  it('answers 401 to an unsigned or badly signed delivery whatever it names, even {"entry": []}; 200 to a signed one naming nothing connected', async () => {
    const bodies = [
      '{"entry": []}',
      '{"object": "whatsapp_business_account", "entry": []}',
      JSON.stringify(text('777777777777777', '919811100007', 'wamid.NOBODY')),
      'not json at all',
    ];
    for (const body of bodies) {
      for (const signature of [undefined, 'sha256=deadbeef', signBody('a-secret-nobody-has', body)]) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (signature) headers['x-hub-signature-256'] = signature;
        const res = await h.call('POST', '/v1/webhooks/whatsapp', body, { as: null, headers });
        expect(res.statusCode, `${body} ${signature}`).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHORIZED');
      }
    }
    const signed = (body: string) =>
      h.call('POST', '/v1/webhooks/whatsapp', body, {
        as: null,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody('app-secret-of-a', body) },
      });
    expect((await signed(bodies[1]!)).json()).toEqual({ received: 0, ignored: 0 });
    expect((await signed(bodies[2]!)).json()).toEqual({ received: 0, ignored: 1 });
    expect((await signed(bodies[0]!)).statusCode).toBe(400);

    // The same for Messenger.
    const unsignedPage = await h.call('POST', '/v1/webhooks/messenger', '{"object": "page", "entry": []}', {
      as: null,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsignedPage.statusCode).toBe(401);
    const strangerPage = JSON.stringify(
      pageWebhook(
        [messengerEvents.text({ psid: '5550001', pageId: '999000999', at: clock.now(), text: 'hi' })],
        '999000999',
      ),
    );
    const signedPage = await h.call('POST', '/v1/webhooks/messenger', strangerPage, {
      as: null,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signBody(messenger.appSecret, strangerPage),
      },
    });
    expect(signedPage.statusCode).toBe(200);
  });

  it('DELETE /v1/channels/{channel} releases the number: another store may connect it and receives its webhooks', async () => {
    const e = await wa.store({ fake: { appSecret: 'app-secret-of-e' } });
    const f = await wa.store({ fake: { appSecret: 'app-secret-of-f' } });
    const takeOver = () =>
      h.call('PUT', '/v1/channels/whatsapp', { ...f.account, phoneNumberId: e.phoneNumberId }, { as: f.shop });
    expect((await takeOver()).statusCode).toBe(409);

    const released = await h.call('DELETE', '/v1/channels/whatsapp', undefined, { as: e.shop });
    expect(released.statusCode).toBe(204);
    expect(await wa.channel(e.shop)).toBeUndefined();
    const again = await h.call('DELETE', '/v1/channels/whatsapp', undefined, { as: e.shop });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('CHANNEL_NOT_FOUND');
    const unknown = await h.call('DELETE', '/v1/channels/telegram', undefined, { as: e.shop });
    expect(unknown.statusCode).toBe(400);

    expect((await takeOver()).statusCode).toBe(200);
    // Meta now signs that number's webhooks with F's app: they go to F.
    const res = await wa.postWebhook(text(e.phoneNumberId, '919811100008', 'wamid.MOVED'), 'app-secret-of-f');
    expect(res.json()).toEqual({ received: 1, ignored: 0 });
    expect(await contactsByPhone(f, '+919811100008')).toHaveLength(1);
    expect(await contactsByPhone(e, '+919811100008')).toEqual([]);
    // E's old secret no longer counts for it.
    expect(
      (await wa.postWebhook(text(e.phoneNumberId, '919811100009', 'wamid.OLD'), 'app-secret-of-e')).statusCode,
    ).toBe(401);
  });
});

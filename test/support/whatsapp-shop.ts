import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import type { ManualClock } from './clock.js';
import {
  signWebhook,
  startFakeWhatsApp,
  startWebhookReceiver,
  type DeliveryOptions,
  type FakeWhatsApp,
  type FakeWhatsAppOptions,
  type ReceivedWebhook,
} from './fake-meta/index.js';
import type { Harness } from './harness.js';

/**
 * Stores connected to a fake WhatsApp Cloud API on loopback through the real API
 * (PUT /v1/channels/whatsapp with apiBaseUrl = the fake), for the WhatsApp contract suites.
 * Every fake started here is closed after the suite.
 */

type Json = any;

/** A utility template (named parameters) and a marketing one, as a store describes them. */
export const ORDER_UPDATE = {
  channel: 'whatsapp',
  language: 'en_US',
  category: 'utility',
  body: { text: 'Hi {{first_name}}, your order is on its way.' },
  parameters: { first_name: "{{ contact.first_name | default: 'there' }}" },
};
export const WEEKEND_SALE = {
  channel: 'whatsapp',
  language: 'en',
  category: 'marketing',
  body: { text: 'Hi {{1}}, everything is 20% off this weekend.' },
  parameters: { 1: "{{ contact.first_name | default: 'there' }}" },
};

export interface WhatsAppShop {
  shop: StoreCredentials;
  fake: FakeWhatsApp;
  phoneNumberId: string;
  /** The body PUT to /v1/channels/whatsapp (with the fake's right token). */
  account: Record<string, unknown>;
}

export const iso = (at: number) => new Date(at).toISOString();

/** A store delivery as its receiver got it: the parsed body, and whether the signature verifies as docs/webhooks.md tells a store to check it. */
export interface StoreDelivery {
  type: string;
  id: string;
  data: Json;
  verified: boolean;
}

/** docs/webhooks.md's check, in plain Node: HMAC-SHA256(secret, "<timestamp>.<raw body>"), timestamp within 5 minutes. */
export function verifiedByStore(secret: string, r: ReceivedWebhook, nowSeconds: number): boolean {
  const timestamp = String(r.headers['x-storewire-timestamp']);
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const given = Buffer.from(String(r.headers['x-storewire-signature']));
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(r.rawBody).digest('hex')}`,
  );
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function whatsappKit(h: Harness, clock: ManualClock) {
  const fakes: FakeWhatsApp[] = [];
  const receivers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all([...fakes, ...receivers].map((f) => f.close()));
  });
  let stores = 0;
  let shoppers = 0;

  const kit = {
    async fake(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
      const fake = await startFakeWhatsApp(options);
      fakes.push(fake);
      return fake;
    },

    async connect(shop: StoreCredentials, account: Record<string, unknown>): Promise<Json> {
      const res = await h.call('PUT', '/v1/channels/whatsapp', account, { as: shop });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },

    /** A new store with its own number, connected to its own fake, with ORDER_UPDATE and WEEKEND_SALE. */
    async store(
      options: { fake?: FakeWhatsAppOptions; account?: Record<string, unknown> } = {},
    ): Promise<WhatsAppShop> {
      const fake = await kit.fake(options.fake);
      const shop = await h.newStore({ name: `WhatsApp Shop ${++stores}` });
      const phoneNumberId = `2000000000${String(stores).padStart(5, '0')}`;
      const account = {
        phoneNumberId,
        accessToken: fake.accessToken,
        appSecret: fake.appSecret,
        verifyToken: `verify-${phoneNumberId}`,
        apiBaseUrl: fake.url,
        ...options.account,
      };
      await kit.connect(shop, account);
      for (const [name, definition] of [
        ['order_update', ORDER_UPDATE],
        ['weekend_sale', WEEKEND_SALE],
      ] as const) {
        const res = await h.call('PUT', `/v1/templates/${name}`, definition, { as: shop });
        expect(res.statusCode, res.body).toBe(200);
      }
      return { shop, fake, phoneNumberId, account };
    },

    /** A shopper with a fresh Indian mobile number (consent for marketing when asked); returns the contact id and E.164 phone. */
    async shopper(
      shop: StoreCredentials,
      options: { consent?: boolean; name?: string } = {},
    ): Promise<{ contactId: string; phone: string }> {
      const phone = `+9197${String(++shoppers).padStart(8, '0')}`;
      const res = await h.post(
        '/v1/contacts',
        {
          customer_id: `shopper-${shoppers}`,
          phone,
          name: options.name ?? 'Priya Shah',
          ...(options.consent ? { whatsapp_status: 'ACTIVE' } : {}),
        },
        shop,
      );
      expect(res.statusCode, res.body).toBe(200);
      return { contactId: res.json().contacts[0].id, phone };
    },

    /** `count` shoppers in one contact sync; their contact ids and phones in order. */
    async shoppers(shop: StoreCredentials, count: number): Promise<{ contactId: string; phone: string }[]> {
      const phones = Array.from({ length: count }, () => `+9197${String(++shoppers).padStart(8, '0')}`);
      const res = await h.post(
        '/v1/contacts',
        phones.map((phone, i) => ({ customer_id: `bulk-${phone}`, phone, name: `Shopper ${i}` })),
        shop,
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rejected).toEqual([]);
      return res.json().contacts.map((c: Json, i: number) => ({ contactId: c.id, phone: phones[i]! }));
    },

    /** POST /v1/messages, expecting 202; the queued message. */
    async send(
      shop: StoreCredentials,
      contactId: string,
      template = 'order_update',
      extra: Record<string, unknown> = {},
    ): Promise<Json> {
      const res = await h.post('/v1/messages', { to: { contactId }, template, ...extra }, shop);
      expect(res.statusCode, res.body).toBe(202);
      return res.json();
    },

    async message(shop: StoreCredentials, id: string): Promise<Json> {
      const res = await h.get(`/v1/messages/${id}`, shop);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },

    async channel(shop: StoreCredentials): Promise<Json> {
      const res = await h.get('/v1/channels', shop);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().channels.find((c: Json) => c.channel === 'whatsapp');
    },

    /** One round of the loop (dispatcher, then store webhooks). */
    tick: () => h.app.messaging.tick(),

    /** Several rounds without moving the business clock. */
    async ticks(n: number): Promise<void> {
      for (let i = 0; i < n; i++) await h.app.messaging.tick();
    },

    /**
     * Moves the business clock to the message's due time and ticks, until it is no longer
     * queued (at most `rounds` times); the message as it then is. Never moves the clock back.
     */
    async untilSettled(shop: StoreCredentials, id: string, rounds = 10): Promise<Json> {
      let m = await kit.message(shop, id);
      for (let i = 0; i < rounds && m.status === 'queued'; i++) {
        clock.set(Math.max(clock.now(), Date.parse(m.nextAttemptAt)));
        await h.app.messaging.tick();
        m = await kit.message(shop, id);
      }
      return m;
    },

    /** Like untilSettled, but stops as soon as the message was attempted once more (or is no longer queued). */
    async nextAttempt(shop: StoreCredentials, id: string, rounds = 10): Promise<Json> {
      let m = await kit.message(shop, id);
      const attempts = m.attempts;
      for (let i = 0; i < rounds && m.status === 'queued' && m.attempts === attempts; i++) {
        clock.set(Math.max(clock.now(), Date.parse(m.nextAttemptAt)));
        await h.app.messaging.tick();
        m = await kit.message(shop, id);
      }
      return m;
    },

    /** Meta's POST to /v1/webhooks/whatsapp: the payload signed with `appSecret` (or as `options` say), no store key. */
    postWebhook: (payload: unknown, appSecret: string, options: DeliveryOptions = {}) => {
      const { rawBody, headers } = signWebhook(payload, appSecret, options);
      return h.call('POST', '/v1/webhooks/whatsapp', rawBody.toString('utf8'), { as: null, headers });
    },

    /** A loopback receiver subscribed (POST /v1/webhooks/subscriptions) to every event of the store. */
    async subscribe(shop: StoreCredentials) {
      const receiver = await startWebhookReceiver();
      receivers.push(receiver);
      const secret = `whsec_contract_${Math.random().toString(36).slice(2)}`;
      const res = await h.post('/v1/webhooks/subscriptions', { url: receiver.url, secret }, shop);
      expect(res.statusCode, res.body).toBe(201);
      return {
        /** Every delivery so far, parsed, with its signature checked against the business clock. */
        deliveries(type?: string): StoreDelivery[] {
          return receiver.received
            .map((r) => {
              const body = JSON.parse(r.rawBody.toString('utf8'));
              return {
                type: body.type,
                id: body.id,
                data: body.data,
                verified: verifiedByStore(secret, r, Math.floor(clock.now() / 1000)),
              };
            })
            .filter((d) => type === undefined || d.type === type);
        },
      };
    },

    /** One loop round, then store webhooks until none is due. */
    async flush(): Promise<void> {
      await h.app.messaging.tick();
      for (let i = 0; i < 20 && (await h.app.messaging.webhooks.runOnce()) > 0; i++);
    },

    /** What the fake accepted for this recipient. */
    acceptedTo: (fake: FakeWhatsApp, phone: string) => fake.accepted.filter((a) => a.to === phone),

    now: () => clock.now(),
  };
  return kit;
}

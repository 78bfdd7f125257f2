import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  graphErrorBody,
  inboundWebhook,
  signWebhook,
  startFakeWhatsApp,
  statusWebhook,
  type FakeStatus,
  type FakeWhatsApp,
  type InboundKind,
} from '../support/fake-meta/index.js';
import type { InboundOptions } from '../support/fake-meta/whatsapp-webhooks.js';
import { useHarness } from '../support/harness.js';
import { expectError, iso, runLoop, sendApi } from '../support/send-helpers.js';

const HOUR = 3_600_000;
const shippingNotice = {
  channel: 'whatsapp',
  language: 'en',
  category: 'utility',
  body: { text: 'Hi {{1}}, your parcel is on its way.' },
  parameters: { 1: '{{ contact.first_name }}' },
};

/**
 * The sandbox has no inbound webhook, so these run on a store with a WhatsApp number pointed at
 * a fake Cloud API on loopback: the shopper writes (a signed webhook), which opens the 24-hour
 * window; statuses and a button reply come back the same way.
 */
describeEachDatabase(
  'messages on a WhatsApp number: the 24-hour window, statuses and replies in the stats',
  (target) => {
    const clock = new ManualClock();
    const h = useHarness(target, { clock });
    const api = sendApi(h);
    let fake: FakeWhatsApp;
    let shop: StoreCredentials;
    const phoneNumberId = '109000000000001';

    beforeAll(async () => {
      fake = await startFakeWhatsApp();
      shop = await h.newStore({ name: 'WhatsApp Shop' });
      const res = await h.call(
        'PUT',
        '/v1/channels/whatsapp',
        {
          phoneNumberId,
          accessToken: fake.accessToken,
          appSecret: fake.appSecret,
          verifyToken: 'verify-window',
          apiBaseUrl: fake.url,
        },
        { as: shop },
      );
      expect(res.statusCode, res.body).toBe(200);
      await api.putTemplate('shipping_notice', shippingNotice, shop);
    });
    afterAll(() => fake?.close());

    /** A webhook as Meta sends it: signed with the app secret over the raw bytes. */
    const webhook = async (payload: unknown) => {
      const { rawBody, headers } = signWebhook(payload, fake.appSecret);
      const res = await h.call('POST', '/v1/webhooks/whatsapp', rawBody.toString('utf8'), { as: null, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { received: number; ignored: number };
    };
    const inbound = (kind: InboundKind, o: InboundOptions) =>
      webhook(inboundWebhook(kind, { phoneNumberId, at: clock.now(), ...o }));
    const statuses = (list: FakeStatus[]) => webhook(statusWebhook(list, phoneNumberId));
    const acceptedTo = (phone: string) => fake.accepted.filter((a) => a.to === phone);

    it('refuses free-form text until the shopper writes, sends it within 24 hours, and refuses it again after', async () => {
      await api.shopper(shop, { customer_id: 'wa-1', name: 'Farah Ali', phone: '+919811130001' });
      const text = (body: string) => api.send({ to: { customer_id: 'wa-1' }, text: body }, shop);
      expectError(await text('Hello!'), 409, 'OUTSIDE_WINDOW');

      const wroteAt = clock.now();
      expect(
        await inbound('text', { from: '919811130001', text: 'Is the blue kurta in stock?', id: 'wamid.IN-WINDOW-1' }),
      ).toEqual({ received: 1, ignored: 0 });

      const reply = await text('Yes, in all sizes.');
      expect(reply.statusCode, reply.body).toBe(202);
      expect(reply.json()).toMatchObject({
        channel: 'whatsapp',
        sender: phoneNumberId,
        recipient: '+919811130001',
        kind: 'text',
        category: 'service',
        templateName: null,
      });
      const buttons = {
        type: 'button',
        body: { text: 'Shall I reserve one?' },
        action: { buttons: [{ type: 'reply', reply: { id: 'reserve', title: 'Reserve' } }] },
      };
      const interactive = await api.send({ to: { customer_id: 'wa-1' }, interactive: buttons }, shop);
      expect(interactive.statusCode, interactive.body).toBe(202);

      // One message per shopper every 6 seconds from one number (Meta's pair limit).
      await runLoop(h, clock, 6_000);
      expect(acceptedTo('+919811130001').map((a) => a.body)).toEqual([
        expect.objectContaining({
          messaging_product: 'whatsapp',
          to: '+919811130001',
          type: 'text',
          text: { body: 'Yes, in all sizes.' },
        }),
        expect.objectContaining({
          messaging_product: 'whatsapp',
          to: '+919811130001',
          type: 'interactive',
          interactive: buttons,
        }),
      ]);
      expect(await api.message(reply.json().id, shop)).toMatchObject({
        status: 'sent',
        providerMessageId: acceptedTo('+919811130001')[0]!.id,
      });

      clock.set(wroteAt + 23 * HOUR);
      expect((await text('Still there?')).statusCode).toBe(202);
      clock.set(wroteAt + 24 * HOUR + 1_000);
      expectError(await text('Hello again'), 409, 'OUTSIDE_WINDOW');
      expectError(await api.send({ to: { customer_id: 'wa-1' }, interactive: buttons }, shop), 409, 'OUTSIDE_WINDOW');
      // A template may go any time.
      expect((await api.send({ to: { customer_id: 'wa-1' }, template: 'shipping_notice' }, shop)).statusCode).toBe(202);
      await runLoop(h, clock, 6_000, 6_000);
    });

    it('checks the window again at send time: a text queued inside it but sent after it closes fails with OUTSIDE_WINDOW', async () => {
      await api.shopper(shop, { customer_id: 'wa-2', name: 'Gopal Nair', phone: '+919811130002' });
      const wroteAt = clock.now();
      await inbound('text', { from: '919811130002', text: 'Where is my order?', id: 'wamid.IN-WINDOW-2' });
      clock.set(wroteAt + 24 * HOUR - 60_000);
      const queued = await api.queued(
        { to: { customer_id: 'wa-2' }, text: 'It ships today', notBefore: iso(wroteAt + 24 * HOUR + 60_000) },
        shop,
      );

      clock.set(wroteAt + 24 * HOUR + 60_000);
      await runLoop(h, clock);
      const failed = await api.message(queued.id, shop);
      expect(failed).toMatchObject({
        status: 'failed',
        sentAt: null,
        providerMessageId: null,
        error: { code: 'OUTSIDE_WINDOW' },
      });
      expect(acceptedTo('+919811130002')).toEqual([]);
    });

    it('counts sent, delivered, read, failed and replied exactly from the statuses and replies Meta reports', async () => {
      const phones = ['+919811130101', '+919811130102', '+919811130103', '+919811130104', '+919811130105'];
      for (const [i, phone] of phones.entries())
        await api.shopper(shop, { customer_id: `festive-${i + 1}`, name: `Shopper ${i + 1}`, phone });
      const ids: string[] = [];
      for (let i = 1; i <= 4; i++)
        ids.push(
          (
            await api.queued(
              { to: { customer_id: `festive-${i}` }, template: 'shipping_notice', campaign: 'festive' },
              shop,
            )
          ).id,
        );
      const sentAt = clock.now();
      await runLoop(h, clock);
      const wamid = (phone: string) => acceptedTo(phone)[0]!.id;
      expect(phones.slice(0, 4).map((p) => acceptedTo(p).length)).toEqual([1, 1, 1, 1]);
      // Meta refuses the fifth at send (undeliverable): it fails without ever being sent.
      ids.push(
        (await api.queued({ to: { customer_id: 'festive-5' }, template: 'shipping_notice', campaign: 'festive' }, shop))
          .id,
      );
      fake.failNext(
        1,
        400,
        graphErrorBody(131026, '(#131026) Message undeliverable', {
          messagingProduct: 'whatsapp',
          details: 'Message Undeliverable.',
        }),
      );
      await runLoop(h, clock);
      expect(await api.message(ids[4]!, shop)).toMatchObject({
        status: 'failed',
        sentAt: null,
        providerMessageId: null,
        error: { code: '131026' },
      });
      expect(acceptedTo(phones[4]!)).toEqual([]);

      const at = sentAt + 2_000;
      clock.set(at + 1_000);
      expect(
        await statuses([
          { id: wamid(phones[0]!), status: 'delivered', recipientId: phones[0]!.slice(1), at },
          { id: wamid(phones[0]!), status: 'read', recipientId: phones[0]!.slice(1), at: at + 1_000 },
          { id: wamid(phones[1]!), status: 'delivered', recipientId: phones[1]!.slice(1), at },
          {
            id: wamid(phones[2]!),
            status: 'failed',
            recipientId: phones[2]!.slice(1),
            at,
            errors: [{ code: 131047, title: 'Re-engagement message' }],
          },
          { id: wamid(phones[3]!), status: 'read', recipientId: phones[3]!.slice(1), at },
        ]),
      ).toEqual({ received: 5, ignored: 0 });
      // The fourth shopper answers with a button on our message.
      expect(
        await inbound('button_reply', {
          from: phones[3]!.slice(1),
          contextId: wamid(phones[3]!),
          reply: { id: 'track', title: 'Track it' },
          id: 'wamid.REPLY-4',
        }),
      ).toEqual({ received: 1, ignored: 0 });

      expect(await api.message(ids[0]!, shop)).toMatchObject({
        status: 'read',
        deliveredAt: iso(at),
        readAt: iso(at + 1_000),
        repliedAt: null,
      });
      expect(await api.message(ids[2]!, shop)).toMatchObject({
        status: 'failed',
        failedAt: iso(at),
        error: { code: '131047', reason: expect.stringContaining('Re-engagement') },
      });
      const replied = await api.message(ids[3]!, shop);
      expect(replied).toMatchObject({ status: 'read', readAt: iso(at), repliedAt: iso(clock.now()) });
      expect(replied.statusHistory.at(-1)).toEqual({ status: 'replied', at: iso(clock.now()) });

      expect(await api.stats('campaign=festive', shop)).toEqual({
        campaign: 'festive',
        total: 5,
        queued: 0,
        sent: 4,
        delivered: 3,
        read: 2,
        failed: 2,
        replied: 1,
        possiblyDuplicated: 0,
        failureReasons: expect.arrayContaining([
          { code: '131047', reason: (await api.message(ids[2]!, shop)).error.reason, count: 1 },
          { code: '131026', reason: (await api.message(ids[4]!, shop)).error.reason, count: 1 },
        ]),
      });
      expect((await api.stats('campaign=festive', shop)).failureReasons).toHaveLength(2);
    });
  },
);

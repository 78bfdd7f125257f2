import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  messengerEvents,
  pageWebhook,
  signWebhook,
  startFakeMessenger,
  type FakeMessenger,
} from '../support/fake-meta/index.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit } from '../support/whatsapp-shop.js';

/**
 * Meta serves the Graph API versions of about the last two years, and some emulators and
 * partners only the current one (v24.0). A channel connected without `graphVersion` must call
 * that; one connected with a version keeps it.
 */
describeEachDatabase('Graph API version', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const messengers: FakeMessenger[] = [];
  afterAll(async () => Promise.all(messengers.map((m) => m.close())));

  it('a WhatsApp number connected without graphVersion sends through v24.0, which an emulator serving only v24.0 takes', async () => {
    const { shop, fake } = await wa.store({ fake: { graphVersions: ['v24.0'] } });
    const { contactId } = await wa.shopper(shop);
    const queued = await wa.send(shop, contactId);
    const sent = await wa.untilSettled(shop, queued.id);
    expect(fake.answered.filter((a) => a.status !== 200)).toEqual([]);
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: fake.accepted[0]!.id });
    expect(fake.accepted[0]!.version).toBe('v24.0');
    // GET /v1/channels says nothing it was not given: the version is Storewire's default.
    expect((await wa.channel(shop)).graphVersion).toBeUndefined();
  });

  it('a number connected with graphVersion keeps calling that version', async () => {
    const { shop, fake } = await wa.store({ account: { graphVersion: 'v25.0' } });
    const { contactId } = await wa.shopper(shop);
    const sent = await wa.untilSettled(shop, (await wa.send(shop, contactId)).id);
    expect(sent.status).toBe('sent');
    expect(fake.accepted.map((a) => a.version)).toEqual(['v25.0']);
    expect((await wa.channel(shop)).graphVersion).toBe('v25.0');
  });

  it('a Messenger page connected without graphVersion sends through v24.0', async () => {
    const psid = '1602407863220595';
    const fake = await startFakeMessenger({ knownPsids: [psid], graphVersions: ['v24.0'] });
    messengers.push(fake);
    const page = await h.newStore({ name: 'Page Shop' });
    const connected = await h.call(
      'PUT',
      '/v1/channels/messenger',
      {
        pageId: fake.pageId,
        pageAccessToken: fake.accessToken,
        appSecret: fake.appSecret,
        verifyToken: 'verify-page',
        apiBaseUrl: fake.url,
      },
      { as: page },
    );
    expect(connected.statusCode, connected.body).toBe(200);
    // The shopper writes to the page first: Storewire learns their PSID.
    const { rawBody, headers } = signWebhook(
      pageWebhook([messengerEvents.text({ psid, text: 'Hi', at: clock.now() })], fake.pageId),
      fake.appSecret,
    );
    const wrote = await h.call('POST', '/v1/webhooks/messenger', rawBody.toString('utf8'), { as: null, headers });
    expect(wrote.json()).toEqual({ received: 1, ignored: 0 });
    const res = await h.post(
      '/v1/messages/send-template',
      {
        request: {
          method: 'send_template',
          id: 'version-1',
          page_id: fake.pageId,
          template_name: 'Order Receipt Push',
        },
        recipient: { id: psid },
        params: {
          receipt: {
            recipient_name: 'Mituj',
            order_number: '44212809',
            currency: 'INR',
            payment_method: 'COD',
            summary: { total_cost: 300 },
            elements: [{ title: 'Roasted Makhanas', quantity: 2, price: 150, currency: 'INR' }],
          },
        },
      },
      page,
    );
    expect(res.statusCode, res.body).toBe(200);
    for (let i = 0; i < 5 && fake.accepted.length === 0; i++) {
      clock.advance(1_000);
      await h.app.messaging.tick();
    }
    expect(fake.accepted.map((a) => a.version)).toEqual(['v24.0']);
  });
});

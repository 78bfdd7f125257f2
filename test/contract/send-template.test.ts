import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  messengerEvents,
  pageWebhook,
  signWebhook,
  startFakeMessenger,
  type FakeMessenger,
} from '../support/fake-meta/index.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { newArrivals, runLoop, sendApi } from '../support/send-helpers.js';

type Json = any;
const receiptSeed = () => fixture('seeds/002_order_receipt.json');
const shippingSeed = () => fixture('seeds/002_shipping_update.json');
/** A seed 002 request with its page, recipient and id swapped in. */
const seedRequest = (
  seed: Json,
  pageId: string,
  recipient: string | number,
  id: string,
  patch: (b: Json) => void = () => {},
) => {
  const body = { ...seed, request: { ...seed.request, page_id: pageId, id }, recipient: { id: recipient } };
  patch(body);
  return body;
};
/** The Messenger Send API body (without recipient) the receipt params make (Meta's receipt template). */
const receiptPayload = (params: Json) => ({
  messaging_type: 'MESSAGE_TAG',
  tag: 'POST_PURCHASE_UPDATE',
  message: { attachment: { type: 'template', payload: { template_type: 'receipt', ...params.receipt } } },
});

describeEachDatabase('POST /v1/messages/send-template (seed 002)', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const api = sendApi(h);
  const sendTemplate = (body: unknown, as: StoreCredentials) => h.post('/v1/messages/send-template', body, as);
  /** Seed 002's failure shape, exactly: `{"error": {code, error_subcode: 0, type: "", message, request_id}}`. */
  const expectFailure = (
    res: { statusCode: number; body: string; json(): Json },
    status: number,
    code: number,
    requestId: string | null,
    message: string,
  ) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toEqual({
      error: {
        code,
        error_subcode: 0,
        type: '',
        message: expect.stringMatching(new RegExp(`^${message}`)),
        request_id: requestId,
      },
    });
    return res.json().error.message as string;
  };

  let sandbox: StoreCredentials;
  let page: StoreCredentials;
  let fake: FakeMessenger;
  const psid = '1602407863220595';

  beforeAll(async () => {
    sandbox = await api.sandboxStore('Sandbox Shop');
    await api.shopper(sandbox, { customer_id: 'john', name: 'John Doe', phone: '+919811140001' });

    fake = await startFakeMessenger({ knownPsids: [psid] });
    page = await h.newStore({ name: 'Page Shop' });
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
    expect(connected.json()).toMatchObject({ channel: 'messenger', pageId: fake.pageId, status: 'active' });
    expect(connected.body).not.toContain(fake.accessToken);
    // The shopper writes to the page: Storewire learns their PSID from the signed page webhook.
    const { rawBody, headers } = signWebhook(
      pageWebhook([messengerEvents.text({ psid, text: 'Hi, I just ordered', at: clock.now() })], fake.pageId),
      fake.appSecret,
    );
    const delivered = await h.call('POST', '/v1/webhooks/messenger', rawBody.toString('utf8'), { as: null, headers });
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toEqual({ received: 1, ignored: 0 });
  });
  afterAll(() => fake?.close());

  it('sends both seed examples through the sandbox: the answer is exactly {request_id, recipient_id, message_id}', async () => {
    const receipt = seedRequest(receiptSeed(), 'sandbox', '+919811140001', 'test_1523959671_Od7vuGcb');
    const res = await sendTemplate(receipt, sandbox);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      request_id: 'test_1523959671_Od7vuGcb',
      recipient_id: '+919811140001',
      message_id: expect.stringMatching(/^msg_/),
    });
    const receiptId = res.json().message_id;
    expect(await api.storedPayload(receiptId, sandbox)).toEqual(receiptPayload(receipt.params));

    // Seed 002's shipping update; the phone written as WhatsApp's wa_id digits finds the shopper too.
    const shipping = await sendTemplate(
      seedRequest(shippingSeed(), 'sandbox', '919811140001', 'test_1523960374_wERGZIon'),
      sandbox,
    );
    expect(shipping.statusCode, shipping.body).toBe(200);
    expect(shipping.json()).toEqual({
      request_id: 'test_1523960374_wERGZIon',
      recipient_id: '919811140001',
      message_id: expect.stringMatching(/^msg_/),
    });
    expect(
      (await api.storedPayload(shipping.json().message_id, sandbox)).message.attachment.payload.elements[0],
    ).toMatchObject({
      title: 'Hi Peter, package zvfVUREPVPUQ1oMl is shipped',
      default_action: { type: 'web_url', url: 'http://shop.bothub.ai' },
    });

    await runLoop(h, clock, 1_000, 2_000);
    for (const id of [receiptId, shipping.json().message_id]) {
      expect(await api.message(id, sandbox)).toMatchObject({
        channel: 'sandbox',
        source: 'send_template',
        category: 'utility',
        status: 'read',
        recipient: '+919811140001',
      });
    }
    expect((await api.message(receiptId, sandbox)).templateName).toBe('Order Receipt Push');
    expect((await api.message(shipping.json().message_id, sandbox)).kind).toBe('shipping_update');
  });

  it('sends the receipt to a PSID through a Messenger page: the page gets it tagged POST_PURCHASE_UPDATE', async () => {
    const receipt = seedRequest(receiptSeed(), fake.pageId, psid, 'receipt-by-page-1');
    const res = await sendTemplate(receipt, page);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      request_id: 'receipt-by-page-1',
      recipient_id: psid,
      message_id: expect.stringMatching(/^msg_/),
    });

    await runLoop(h, clock);
    const got = fake.accepted.filter((a) => a.body.message?.attachment?.payload?.order_number === 'U5555');
    expect(got).toHaveLength(1);
    expect(got[0]!.body).toEqual({ ...receiptPayload(receipt.params), recipient: { id: psid } });
    expect(await api.message(res.json().message_id, page)).toMatchObject({
      channel: 'messenger',
      sender: fake.pageId,
      recipient: psid,
      kind: 'receipt',
      status: 'sent',
      providerMessageId: got[0]!.id,
    });
  });

  it("answers an unknown PSID or phone with exactly seed 002's 10010 Recipient not found", async () => {
    for (const [as, pageId, recipient, id] of [
      [page, fake.pageId, '9999999999999999', 'test_1r6523960126_YKanxh4G'],
      [sandbox, 'sandbox', '+919811149999', 'unknown-phone-1'],
    ] as const) {
      const res = await sendTemplate(seedRequest(receiptSeed(), pageId, recipient, id), as);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toEqual({
        error: { code: 10010, error_subcode: 0, type: '', message: 'Recipient not found', request_id: id },
      });
    }
    // The PSID is known to the page's store only.
    const elsewhere = await sendTemplate(seedRequest(receiptSeed(), 'sandbox', psid, 'psid-in-sandbox'), sandbox);
    expect(elsewhere.json().error.code).toBe(10010);
    expect(
      (await h.get('/v1/messages?template=Order%20Receipt%20Push', page)).json().messages.map((m: Json) => m.recipient),
    ).toEqual([psid]);
  });

  it('answers the other failures with their own codes, naming what is wrong, and queues nothing', async () => {
    const before = (await h.get('/v1/messages', sandbox)).json().messages.length;
    const base = (id: string, patch?: (b: Json) => void) =>
      seedRequest(receiptSeed(), 'sandbox', '+919811140001', id, patch);

    expectFailure(
      await sendTemplate(
        base('no-recipient', (b) => delete b.recipient),
        sandbox,
      ),
      400,
      10000,
      'no-recipient',
      'Invalid request',
    );
    expectFailure(
      await sendTemplate({ recipient: { id: '+919811140001' } }, sandbox),
      400,
      10000,
      null,
      'Invalid request',
    );
    // A body that is not JSON, or none, in seed 002's shape too: its clients read error.code as a number.
    expect(
      expectFailure(
        await h.call('POST', '/v1/messages/send-template', '{"request": {', { as: sandbox }),
        400,
        10000,
        null,
        'Invalid request',
      ),
    ).toContain('not valid JSON');
    expectFailure(
      await h.call('POST', '/v1/messages/send-template', '', {
        as: sandbox,
        headers: { 'content-type': 'application/json' },
      }),
      400,
      10000,
      null,
      'Invalid request',
    );
    // Other failures keep the catalogue's shape: a missing key is not seed 002's to answer.
    expect((await h.call('POST', '/v1/messages/send-template', '{}', { as: null })).json().error.code).toBe(
      'UNAUTHORIZED',
    );
    expect(
      expectFailure(
        await sendTemplate(
          base('wrong-method', (b) => (b.request.method = 'send_message')),
          sandbox,
        ),
        400,
        10001,
        'wrong-method',
        'Unknown method',
      ),
    ).toContain('send_message');
    expect(
      expectFailure(
        await sendTemplate(seedRequest(shippingSeed(), '176029956384795', '+919811140001', 'other-page'), sandbox),
        404,
        10020,
        'other-page',
        'Page not found',
      ),
    ).toContain('176029956384795');
    // A page id of another store is not this store's page.
    expectFailure(
      await sendTemplate(
        base('their-page', (b) => (b.request.page_id = fake.pageId)),
        sandbox,
      ),
      404,
      10020,
      'their-page',
      'Page not found',
    );
    expectFailure(
      await sendTemplate(
        base('no-template', (b) => (b.request.template_name = 'Order Receipt')),
        sandbox,
      ),
      404,
      10030,
      'no-template',
      'Template not found',
    );

    const noTotal = base('no-total', (b) => delete b.params.receipt.summary.total_cost);
    expect(expectFailure(await sendTemplate(noTotal, sandbox), 400, 10040, 'no-total', 'Invalid params')).toContain(
      'receipt.summary.total_cost',
    );
    const noName = base('no-name', (b) => delete b.params.receipt.recipient_name);
    expect(expectFailure(await sendTemplate(noName, sandbox), 400, 10040, 'no-name', 'Invalid params')).toContain(
      'receipt.recipient_name',
    );
    const badPrice = base('bad-price', (b) => (b.params.receipt.elements[1].price = 'cheap'));
    expect(expectFailure(await sendTemplate(badPrice, sandbox), 400, 10040, 'bad-price', 'Invalid params')).toContain(
      'receipt.elements[1].price',
    );
    const noTracking = seedRequest(
      shippingSeed(),
      'sandbox',
      '+919811140001',
      'no-tracking',
      (b) => delete b.params.detailed_tracking_url,
    );
    expect(
      expectFailure(await sendTemplate(noTracking, sandbox), 400, 10040, 'no-tracking', 'Invalid params'),
    ).toContain('detailed_tracking_url');

    expect((await h.get('/v1/messages', sandbox)).json().messages).toHaveLength(before);
  });

  it('refuses a marketing template without consent (10050) and beyond the frequency cap (10070)', async () => {
    const shop = await api.sandboxStore('Marketing Shop');
    await api.shopper(shop, { customer_id: 'zoya', name: 'Zoya Khan', phone: '+919811140002' });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = (id: string) => ({
      request: { method: 'send_template', id, page_id: 'sandbox', template_name: 'new_arrivals' },
      recipient: { id: '+919811140002' },
      params: { collection: 'Linen' },
    });

    expectFailure(
      await sendTemplate(promo('promo-0'), shop),
      409,
      10050,
      'promo-0',
      'Recipient has not subscribed to marketing messages',
    );
    await api.shopper(shop, { customer_id: 'zoya', whatsapp_status: 'ACTIVE' });
    for (const id of ['promo-1', 'promo-2']) expect((await sendTemplate(promo(id), shop)).statusCode).toBe(200);
    expectFailure(
      await sendTemplate(promo('promo-3'), shop),
      409,
      10070,
      'promo-3',
      'Recipient reached the marketing frequency cap',
    );
    expect((await h.get('/v1/messages', shop)).json().messages).toHaveLength(2);
  });

  it('answers a repeated request.id like the first time even when the cap that message filled would refuse a new one', async () => {
    const shop = await api.sandboxStore('Marketing Shop');
    await api.shopper(shop, {
      customer_id: 'yash',
      name: 'Yash Jain',
      phone: '+919811140003',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = (id: string) => ({
      request: { method: 'send_template', id, page_id: 'sandbox', template_name: 'new_arrivals' },
      recipient: { id: '+919811140003' },
      params: { collection: 'Linen' },
    });
    await sendTemplate(promo('yash-1'), shop);
    const second = await sendTemplate(promo('yash-2'), shop);
    expect(second.statusCode, second.body).toBe(200);
    const repeat = await sendTemplate(promo('yash-2'), shop);
    expect(repeat.statusCode, repeat.body).toBe(200);
    expect(repeat.json()).toEqual(second.json());
  });

  it('queues and sends one message for one request.id, however often it is sent', async () => {
    const receipt = seedRequest(
      receiptSeed(),
      fake.pageId,
      psid,
      'receipt-once',
      (b) => (b.params.receipt.order_number = 'ONCE-1'),
    );
    const first = await sendTemplate(receipt, page);
    const second = await sendTemplate(receipt, page);
    expect(first.statusCode, first.body).toBe(200);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual(first.json());
    await runLoop(h, clock);
    const third = await sendTemplate(receipt, page);
    expect(third.json()).toEqual(first.json());
    await runLoop(h, clock, 1_000);
    expect(fake.accepted.filter((a) => a.body.message?.attachment?.payload?.order_number === 'ONCE-1')).toHaveLength(1);
    expect(
      (await h.get('/v1/messages', page)).json().messages.filter((m: Json) => m.id === first.json().message_id),
    ).toHaveLength(1);

    // Through the sandbox as well: one message for the id.
    const viaSandbox = seedRequest(shippingSeed(), 'sandbox', '+919811140001', 'shipping-once');
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await sendTemplate(viaSandbox, sandbox)).json().message_id);
    expect(ids.size).toBe(1);
    expect((await h.get('/v1/messages', sandbox)).json().messages.filter((m: Json) => ids.has(m.id))).toHaveLength(1);
  });

  it('takes a PSID written as a number; free-form text to it goes as RESPONSE within 24 h of its message, the receipt tag goes after', async () => {
    const numeric = await sendTemplate(
      seedRequest(shippingSeed(), fake.pageId, Number(psid), 'shipping-numeric-psid'),
      page,
    );
    expect(numeric.statusCode, numeric.body).toBe(200);
    expect(numeric.json()).toEqual({
      request_id: 'shipping-numeric-psid',
      recipient_id: psid,
      message_id: expect.stringMatching(/^msg_/),
    });

    const text = await api.send({ to: { psid }, text: 'Thanks for your order!' }, page);
    expect(text.statusCode, text.body).toBe(202);
    expect(text.json()).toMatchObject({ channel: 'messenger', recipient: psid, kind: 'text', category: 'service' });
    await runLoop(h, clock);
    expect(fake.accepted.find((a) => a.body.message?.text === 'Thanks for your order!')?.body).toEqual({
      messaging_type: 'RESPONSE',
      message: { text: 'Thanks for your order!' },
      recipient: { id: psid },
    });
    expect(fake.accepted.filter((a) => a.body.message?.attachment?.payload?.template_type === 'generic')).toHaveLength(
      1,
    );

    clock.advance(25 * 3_600_000);
    const late = await api.send({ to: { psid }, text: 'Still there?' }, page);
    expect(late.statusCode, late.body).toBe(409);
    expect(late.json().error.code).toBe('OUTSIDE_WINDOW');
    // A template goes outside the window: its tag allows it.
    expect(
      (await sendTemplate(seedRequest(receiptSeed(), fake.pageId, psid, 'receipt-next-day'), page)).statusCode,
    ).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppChannel } from '../../src/channels/whatsapp/index.js';
import { signBody } from '../../src/channels/signature.js';
import { fixture } from '../support/fixtures.js';
import {
  inboundWebhook,
  startFakeWhatsApp,
  startWebhookReceiver,
  statusWebhook,
  whatsappAccountFor,
  type FakeWhatsApp,
} from '../support/fake-meta/index.js';

/** WhatsApp webhooks: the signature check, and every fixture read into the port's shape. */

const channel = new WhatsAppChannel();
const PHONE_NUMBER_ID = '106540352242922';

let fake: FakeWhatsApp;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  fake = await startFakeWhatsApp({ appSecret: 'the-app-secret' });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await fake.close();
  await receiver.close();
});

describe('X-Hub-Signature-256', () => {
  const account = () => whatsappAccountFor(fake);
  const raw = Buffer.from(JSON.stringify(fixture('whatsapp/webhook_order.json')));

  it('accepts the HMAC of the raw bytes with the app secret', () => {
    expect(channel.verifySignature(account(), raw, signBody('the-app-secret', raw))).toBe(true);
  });

  it('rejects one changed byte, a missing header, another secret, and a sender without a secret', () => {
    const header = signBody('the-app-secret', raw);
    const changed = Buffer.from(raw);
    changed[changed.length - 3] = changed[changed.length - 3]! ^ 1;
    expect(channel.verifySignature(account(), changed, header)).toBe(false);
    expect(channel.verifySignature(account(), raw, undefined)).toBe(false);
    expect(channel.verifySignature(account(), raw, signBody('another-secret', raw))).toBe(false);
    expect(channel.verifySignature(account(), raw, header.replace('sha256=', 'sha1='))).toBe(false);
    expect(channel.verifySignature(whatsappAccountFor(fake, { secrets: { accessToken: 'x' } }), raw, header)).toBe(
      false,
    );
  });

  it('what the fake delivers over HTTP verifies and parses; a tampered signature does not verify', async () => {
    await fake.sendStatuses(receiver.url, [
      { id: 'wamid.A', status: 'read', at: 1_750_000_300_000 },
      { id: 'wamid.A', status: 'delivered', at: 1_750_000_200_000 },
      { id: 'wamid.A', status: 'delivered', at: 1_750_000_200_000 },
    ]);
    await fake.sendStatuses(receiver.url, [{ id: 'wamid.A', status: 'sent' }], {
      signature: `sha256=${'0'.repeat(64)}`,
    });
    await fake.sendStatuses(receiver.url, [{ id: 'wamid.A', status: 'sent' }], { signature: null });
    const [good, tampered, unsigned] = receiver.received.slice(-3);
    expect(
      channel.verifySignature(whatsappAccountFor(fake), good!.rawBody, good!.headers['x-hub-signature-256'] as string),
    ).toBe(true);
    expect(
      channel.verifySignature(
        whatsappAccountFor(fake),
        tampered!.rawBody,
        tampered!.headers['x-hub-signature-256'] as string,
      ),
    ).toBe(false);
    expect(unsigned!.headers['x-hub-signature-256']).toBeUndefined();
    const parsed = channel.parseWebhook(JSON.parse(good!.rawBody.toString('utf8')));
    expect(parsed.statuses.map((s) => [s.status, s.at])).toEqual([
      ['read', 1_750_000_300_000],
      ['delivered', 1_750_000_200_000],
      ['delivered', 1_750_000_200_000],
    ]);
  });

  it('inbound and flat-status deliveries from the fake are signed and parse to what was asked', async () => {
    await fake.sendInbound(receiver.url, 'order', {
      from: '919711166382',
      phoneNumberId: '777',
      at: 1_750_000_000_000,
    });
    await fake.sendFlatStatuses(receiver.url, [
      { id: 'wamid.F', status: 'delivered', recipientId: '919711166382', at: 1_750_000_001_000 },
    ]);
    const [order, flat] = receiver.received.slice(-2).map((r) => {
      expect(
        channel.verifySignature(whatsappAccountFor(fake), r.rawBody, r.headers['x-hub-signature-256'] as string),
      ).toBe(true);
      return channel.parseWebhook(JSON.parse(r.rawBody.toString('utf8')));
    });
    expect(order!.inbound[0]).toMatchObject({
      type: 'order',
      from: '919711166382',
      accountExternalId: '777',
      at: 1_750_000_000_000,
    });
    expect(flat!.statuses).toEqual([
      {
        providerMessageId: 'wamid.F',
        status: 'delivered',
        at: 1_750_000_001_000,
        recipientId: '919711166382',
        errors: [],
        accountExternalId: null,
      },
    ]);
  });
});

describe('parseWebhook: the Cloud API fixtures', () => {
  it('a status (sent, marketing, PMP pricing)', () => {
    expect(channel.parseWebhook(fixture('whatsapp/webhook_status_sent_marketing_pmp.json'))).toEqual({
      statuses: [
        {
          providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
          status: 'sent',
          at: 1750030073000,
          recipientId: '16505551234',
          errors: [],
          accountExternalId: PHONE_NUMBER_ID,
        },
      ],
      inbound: [],
      accountExternalIds: [PHONE_NUMBER_ID],
    });
  });

  it('a text message, with the profile name from contacts', () => {
    const body = fixture('whatsapp/webhook_text.json');
    expect(channel.parseWebhook(body)).toEqual({
      statuses: [],
      inbound: [
        {
          providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
          accountExternalId: PHONE_NUMBER_ID,
          from: '16505551234',
          profileName: 'Sheena Nelson',
          at: 1749416383000,
          type: 'text',
          text: 'Does it come in another color?',
          context: null,
          reply: null,
          order: null,
          raw: body.entry[0].changes[0].value.messages[0],
        },
      ],
      accountExternalIds: [PHONE_NUMBER_ID],
    });
  });

  it('a product inquiry: text with context.referred_product', () => {
    const [inbound] = channel.parseWebhook(fixture('whatsapp/webhook_text_product_inquiry.json')).inbound;
    expect(inbound).toMatchObject({
      type: 'text',
      text: 'Is this still available?',
      at: 1750016800000,
      context: {
        messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGA9wcm9kdWN0X2lucXVpcnkA',
        referredProduct: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' },
      },
      reply: null,
      order: null,
    });
  });

  it('an order sent from a WhatsApp cart, items priced as the webhook says', () => {
    const [inbound] = channel.parseWebhook(fixture('whatsapp/webhook_order.json')).inbound;
    expect(inbound).toMatchObject({
      type: 'order',
      from: '16505551234',
      text: 'Love these!',
      context: null,
      reply: null,
    });
    expect(inbound!.order).toEqual({
      catalogId: '194836987003835',
      text: 'Love these!',
      items: [
        { productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' },
        { productRetailerId: 'nqryix03ez', quantity: 1, itemPrice: 25, currency: 'USD' },
      ],
    });
  });

  it('an interactive button reply, with the message it answers', () => {
    const [inbound] = channel.parseWebhook(fixture('whatsapp/webhook_interactive_button_reply.json')).inbound;
    expect(inbound).toMatchObject({
      type: 'interactive',
      reply: { id: 'cancel-button', title: 'Cancel' },
      context: { messageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA', referredProduct: null },
    });
  });
});

describe('parseWebhook: shapes built from the fixtures', () => {
  it('a list reply and a legacy template button both give the reply and the answered message', () => {
    const list = channel.parseWebhook(
      inboundWebhook('list_reply', { reply: { id: 'size-m', title: 'Medium' }, contextId: 'wamid.LIST' }),
    ).inbound[0];
    expect(list).toMatchObject({
      type: 'interactive',
      reply: { id: 'size-m', title: 'Medium' },
      context: { messageId: 'wamid.LIST' },
    });
    const button = channel.parseWebhook(inboundWebhook('button', { reply: { id: 'STOP', title: 'Stop promotions' } }))
      .inbound[0];
    expect(button).toMatchObject({
      type: 'button',
      text: 'Stop promotions',
      reply: { id: 'STOP', title: 'Stop promotions' },
    });
  });

  it('any other type is kept with its type and raw message', () => {
    const body = inboundWebhook('image', { text: 'is this in stock?', from: '919711166382', name: 'Asha' });
    const [inbound] = channel.parseWebhook(body).inbound;
    expect(inbound).toMatchObject({
      type: 'image',
      text: 'is this in stock?',
      from: '919711166382',
      profileName: 'Asha',
      reply: null,
      order: null,
    });
    expect(inbound!.raw).toEqual((body as any).entry[0].changes[0].value.messages[0]);
  });

  it("a failed status carries Meta's errors; statuses keep their order and duplicates", () => {
    const body = statusWebhook(
      [
        { id: 'wamid.B', status: 'delivered', at: 1_750_000_100_000 },
        {
          id: 'wamid.B',
          status: 'failed',
          at: 1_750_000_000_000,
          errors: [{ code: 131050, title: 'User has stopped marketing messages', details: 'opted out' }],
        },
        { id: 'wamid.B', status: 'delivered', at: 1_750_000_100_000 },
      ],
      '555000111',
    );
    const { statuses, accountExternalIds } = channel.parseWebhook(body);
    expect(accountExternalIds).toEqual(['555000111']);
    expect(statuses.map((s) => s.status)).toEqual(['delivered', 'failed', 'delivered']);
    expect(statuses[1]).toEqual({
      providerMessageId: 'wamid.B',
      status: 'failed',
      at: 1_750_000_000_000,
      recipientId: '16505551234',
      errors: [{ code: '131050', title: 'User has stopped marketing messages', detail: 'opted out' }],
      accountExternalId: '555000111',
    });
  });

  it("seed 000's flat On-Premises statuses (no account named)", () => {
    const seed = JSON.parse(
      '{ "statuses":[{ "id": "message-ID", "recipient_id": "16315555555", "status": "sent", "timestamp": "1518694700" }] }',
    );
    expect(channel.parseWebhook(seed)).toEqual({
      statuses: [
        {
          providerMessageId: 'message-ID',
          status: 'sent',
          at: 1518694700000,
          recipientId: '16315555555',
          errors: [],
          accountExternalId: null,
        },
      ],
      inbound: [],
      accountExternalIds: [],
    });
  });

  it('a user known only by username (no from / wa_id, no recipient_id) is skipped, not a crash', () => {
    expect(channel.parseWebhook(inboundWebhook('text', { from: null })).inbound).toEqual([]);
    const [status] = channel.parseWebhook(
      statusWebhook([{ id: 'wamid.U', status: 'read', recipientId: null }]),
    ).statuses;
    expect(status).toMatchObject({ providerMessageId: 'wamid.U', recipientId: null });
  });

  it('changes of other fields and statuses Storewire does not track are ignored', () => {
    const other = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }],
    };
    expect(channel.parseWebhook(other)).toEqual({ statuses: [], inbound: [], accountExternalIds: [] });
    const deleted = statusWebhook([{ id: 'wamid.D', status: 'sent' }]) as any;
    deleted.entry[0].changes[0].value.statuses[0].status = 'deleted';
    expect(channel.parseWebhook(deleted).statuses).toEqual([]);
  });
});

describe('parseWebhook: not a webhook → TypeError', () => {
  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an array', [fixture('whatsapp/webhook_text.json')]],
    ['an empty object', {}],
    ['a Messenger payload', { object: 'page', entry: [] }],
    ['no entry', { object: 'whatsapp_business_account' }],
    ['an entry that is not an object', { object: 'whatsapp_business_account', entry: [42] }],
    ['changes that are not a list', { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }],
  ])('%s', (_label, body) => {
    expect(() => channel.parseWebhook(body)).toThrow(TypeError);
  });

  it('the message says what is wrong', () => {
    expect(() => channel.parseWebhook({ object: 'page', entry: [] })).toThrow(/"object" is "page"/);
  });
});

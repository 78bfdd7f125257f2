import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DoNotRetryError, RetryAfterError, SenderError, type OutboundMessage } from '../../src/channels/channel.js';
import { MessengerChannel } from '../../src/channels/messenger/index.js';
import { signBody } from '../../src/channels/signature.js';
import { fixture } from '../support/fixtures.js';
import {
  graphErrorBody,
  messengerAccountFor,
  messengerEvents as ev,
  pageWebhook,
  startFakeMessenger,
  startWebhookReceiver,
  type FakeMessenger,
} from '../support/fake-meta/index.js';
import { startLoopback } from '../support/fake-meta/http.js';

/** The Messenger channel against a fake Send API over real loopback HTTP, and page webhooks. */

const channel = new MessengerChannel();
/** Only for waiting out a fake that never answers. */
const impatient = new MessengerChannel({ timeoutMs: 300 });
const PSID = '1254477777772919';

/** The fixture's receipt request as the outbox stores it: without the recipient. */
function receipt(recipient = PSID): OutboundMessage {
  const { recipient: _r, ...payload } = fixture('messenger/messenger_send_receipt_template_request.json');
  return { id: 'msg-r', recipient, kind: 'receipt', category: 'utility', payload };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (err: Error) => err,
  );
}

let fake: FakeMessenger;
beforeAll(async () => {
  fake = await startFakeMessenger({ knownPsids: [PSID, '2000000000000001'], unavailablePsids: ['2000000000000002'] });
});
afterAll(() => fake.close());
afterEach(() => fake.clearFaults());

describe('sending', () => {
  it('posts the receipt by PSID with the POST_PURCHASE_UPDATE tag and answers with the message id', async () => {
    const result = await channel.send(messengerAccountFor(fake), receipt());
    const call = fake.accepted.at(-1)!;
    expect(result).toEqual({ providerMessageId: call.id, recipientId: PSID });
    expect(call.pageId).toBe(fake.pageId);
    const { recipient: _r, ...fixtureBody } = fixture('messenger/messenger_send_receipt_template_request.json');
    expect(call.body).toEqual({
      messaging_type: 'MESSAGE_TAG',
      tag: 'POST_PURCHASE_UPDATE',
      ...fixtureBody,
      recipient: { id: PSID },
    });
  });

  it("reads Meta's own Send API answer (the fixture, verbatim)", async () => {
    fake.failNext(1, 200, fixture('messenger/messenger_send_api_response.json'));
    expect(await channel.send(messengerAccountFor(fake), receipt())).toEqual({
      providerMessageId: 'AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
      recipientId: '1254477777772919',
    });
  });

  it('keeps a messaging_type the payload gives; a page without an id posts to /me/messages', async () => {
    const text: OutboundMessage = {
      id: 'm2',
      recipient: '2000000000000001',
      kind: 'text',
      category: 'service',
      payload: { messaging_type: 'RESPONSE', message: { text: 'Hi!' } },
    };
    await channel.send(messengerAccountFor(fake, { externalId: '' }), text);
    expect(fake.accepted.at(-1)!.body).toEqual({
      messaging_type: 'RESPONSE',
      message: { text: 'Hi!' },
      recipient: { id: '2000000000000001' },
    });
  });
});

describe('errors', () => {
  it('an unknown PSID (100 / 2018001) and an unavailable person (551) → DoNotRetry "Recipient not found", Meta\'s code kept', async () => {
    const unknown = await failure(channel.send(messengerAccountFor(fake), receipt('9999999999999999')));
    expect(unknown).toBeInstanceOf(DoNotRetryError);
    expect(unknown).toMatchObject({ code: '100', reason: 'Recipient not found' });
    const unavailable = await failure(channel.send(messengerAccountFor(fake), receipt('2000000000000002')));
    expect(unavailable).toMatchObject({ name: 'DoNotRetryError', code: '551', reason: 'Recipient not found' });
  });

  it('a wrong page token → 190 → SenderError', async () => {
    const err = await failure(
      channel.send(messengerAccountFor(fake, { secrets: { accessToken: 'revoked' } }), receipt()),
    );
    expect(err).toBeInstanceOf(SenderError);
    expect(err).toMatchObject({ code: '190' });
  });

  it('another page id is refused as Meta does (100, not "recipient not found")', async () => {
    const err = await failure(channel.send(messengerAccountFor(fake, { externalId: '42' }), receipt()));
    expect(err).toMatchObject({
      name: 'DoNotRetryError',
      code: '100',
      reason: expect.stringContaining("Object with ID '42' does not exist"),
    });
  });

  it.each([
    [400, 4, '(#4) Application request limit reached', 60_000],
    [400, 613, '(#613) Calls to this api have exceeded the rate limit.', 60_000],
    [400, 80006, '(#80006) There have been too many messages sent to this Messenger account.', 60_000],
    [500, 1200, 'Temporary send message failure. Please try again later', 5_000],
    [500, 2, 'An unexpected error has occurred. Please retry your request later.', 5_000],
  ])('HTTP %i with code %i → RetryAfter', async (status, code, message, retryAfterMs) => {
    fake.failNext(1, status, graphErrorBody(code, message));
    const err = await failure(channel.send(messengerAccountFor(fake), receipt()));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: String(code), reason: message, retryAfterMs });
  });

  it('Retry-After is honoured; a bare 5xx retries after 5 s', async () => {
    fake.failNext(1, 400, graphErrorBody(613, '(#613) Calls to this api have exceeded the rate limit.'), {
      'retry-after': '12',
    });
    expect(await failure(channel.send(messengerAccountFor(fake), receipt()))).toMatchObject({
      code: '613',
      retryAfterMs: 12_000,
    });
    fake.failNext(1, 503, '');
    expect(await failure(channel.send(messengerAccountFor(fake), receipt()))).toMatchObject({
      name: 'RetryAfterError',
      code: 'HTTP_503',
      retryAfterMs: 5000,
    });
  });

  it("permission (10), a bad parameter (100) → DoNotRetry with Meta's message", async () => {
    fake.failNext(
      1,
      400,
      graphErrorBody(10, '(#10) This message is sent outside of allowed window.', { subcode: 2018278 }),
    );
    expect(await failure(channel.send(messengerAccountFor(fake), receipt()))).toMatchObject({
      name: 'DoNotRetryError',
      code: '10',
      reason: '(#10) This message is sent outside of allowed window.',
    });
    const empty: OutboundMessage = {
      id: 'm3',
      recipient: PSID,
      kind: 'text',
      category: 'service',
      payload: { message: {} },
    };
    expect(await failure(channel.send(messengerAccountFor(fake), empty))).toMatchObject({
      name: 'DoNotRetryError',
      code: '100',
    });
  });

  it('timeout, closed connection and refused connection → RetryAfter', async () => {
    fake.hangNext(1);
    expect(await failure(impatient.send(messengerAccountFor(fake), receipt()))).toMatchObject({
      name: 'RetryAfterError',
      code: 'TIMEOUT',
    });
    fake.dropNext(1);
    expect(await failure(channel.send(messengerAccountFor(fake), receipt()))).toMatchObject({
      name: 'RetryAfterError',
      code: 'ECONNRESET',
    });
    const gone = await startLoopback(() => undefined);
    await gone.close();
    const refused = await failure(
      channel.send(messengerAccountFor(fake, { config: { apiBaseUrl: gone.url } }), receipt()),
    );
    expect(refused).toMatchObject({ name: 'RetryAfterError', code: 'ECONNREFUSED' });
    await expect(channel.send(messengerAccountFor(fake), receipt())).resolves.toMatchObject({ recipientId: PSID });
  });
});

describe('webhooks', () => {
  it("signature: the fake's delivery verifies; one changed byte or no header does not", async () => {
    const receiver = await startWebhookReceiver();
    try {
      await fake.sendEvents(receiver.url, [ev.text({ psid: PSID, text: 'hello' })]);
      const [got] = receiver.received;
      const header = got!.headers['x-hub-signature-256'] as string;
      const account = messengerAccountFor(fake);
      expect(channel.verifySignature(account, got!.rawBody, header)).toBe(true);
      const changed = Buffer.from(got!.rawBody);
      changed[10] = changed[10]! ^ 1;
      expect(channel.verifySignature(account, changed, header)).toBe(false);
      expect(channel.verifySignature(account, got!.rawBody, undefined)).toBe(false);
      expect(channel.verifySignature(account, got!.rawBody, signBody('other', got!.rawBody))).toBe(false);
      expect(channel.parseWebhook(JSON.parse(got!.rawBody.toString('utf8'))).inbound[0]).toMatchObject({
        from: PSID,
        text: 'hello',
      });
    } finally {
      await receiver.close();
    }
  });

  it('text, quick reply, reply_to, postback (with and without mid) become inbound; echoes are skipped', () => {
    const page = '1487925408000967';
    const parsed = channel.parseWebhook(
      pageWebhook([
        ev.text({ psid: PSID, text: 'Where is my order?', mid: 'm_1', at: 1_700_000_000_000 }),
        ev.text({ psid: PSID, text: 'Track it', mid: 'm_2', quickReply: 'TRACK_ORDER', at: 1_700_000_001_000 }),
        ev.text({ psid: PSID, text: 'this one', mid: 'm_3', replyTo: 'm_sent_1', at: 1_700_000_002_000 }),
        ev.postback({ psid: PSID, title: 'Cancel order', payload: 'CANCEL_U5555', mid: 'm_4', at: 1_700_000_003_000 }),
        ev.postback({ psid: PSID, title: 'Get started', payload: 'GET_STARTED', mid: null, at: 1_700_000_004_000 }),
        ev.echo({ psid: PSID, text: 'our own message' }),
        ev.image({ psid: PSID, mid: 'm_5', at: 1_700_000_005_000 }),
      ]),
    );
    expect(parsed.accountExternalIds).toEqual([page]);
    expect(parsed.statuses).toEqual([]);
    expect(parsed.inbound.map(({ raw: _raw, ...rest }) => rest)).toEqual([
      {
        providerMessageId: 'm_1',
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_000_000,
        type: 'text',
        text: 'Where is my order?',
        context: null,
        reply: null,
        order: null,
      },
      {
        providerMessageId: 'm_2',
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_001_000,
        type: 'quick_reply',
        text: 'Track it',
        context: null,
        reply: { id: 'TRACK_ORDER', title: 'Track it' },
        order: null,
      },
      {
        providerMessageId: 'm_3',
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_002_000,
        type: 'text',
        text: 'this one',
        context: { messageId: 'm_sent_1', referredProduct: null },
        reply: null,
        order: null,
      },
      {
        providerMessageId: 'm_4',
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_003_000,
        type: 'postback',
        text: 'Cancel order',
        context: null,
        reply: { id: 'CANCEL_U5555', title: 'Cancel order' },
        order: null,
      },
      {
        providerMessageId: `postback:${PSID}:1700000004000`,
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_004_000,
        type: 'postback',
        text: 'Get started',
        context: null,
        reply: { id: 'GET_STARTED', title: 'Get started' },
        order: null,
      },
      {
        providerMessageId: 'm_5',
        accountExternalId: page,
        from: PSID,
        profileName: null,
        at: 1_700_000_005_000,
        type: 'image',
        text: null,
        context: null,
        reply: null,
        order: null,
      },
    ]);
  });

  it('a delivery becomes a delivered status per mid; a read (watermark only) reports nothing', () => {
    const parsed = channel.parseWebhook(
      pageWebhook([
        ev.delivery({
          psid: PSID,
          mids: ['m_sent_1', 'm_sent_2'],
          at: 1_700_000_010_000,
          watermark: 1_700_000_009_000,
        }),
        ev.read({ psid: PSID, watermark: 1_700_000_020_000 }),
      ]),
    );
    expect(parsed.inbound).toEqual([]);
    expect(parsed.statuses).toEqual(
      ['m_sent_1', 'm_sent_2'].map((mid) => ({
        providerMessageId: mid,
        status: 'delivered',
        at: 1_700_000_010_000,
        recipientId: PSID,
        errors: [],
        accountExternalId: '1487925408000967',
      })),
    );
  });

  it.each([
    ['null', null],
    ['a number', 7],
    ['an empty object', {}],
    ['a WhatsApp payload', fixture('whatsapp/webhook_text.json')],
    ['no entry', { object: 'page' }],
    ['an entry that is not an object', { object: 'page', entry: ['x'] }],
  ])('not a page webhook → TypeError: %s', (_label, body) => {
    expect(() => channel.parseWebhook(body)).toThrow(TypeError);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DoNotRetryError, RetryAfterError, SenderError, type OutboundMessage } from '../../src/channels/channel.js';
import { WhatsAppChannel } from '../../src/channels/whatsapp/index.js';
import { mayHaveReachedProvider } from '../../src/channels/graph-http.js';
import { fixture } from '../support/fixtures.js';
import {
  graphErrorBody,
  startFakeWhatsApp,
  whatsappAccountFor,
  type FakeWhatsApp,
} from '../support/fake-meta/index.js';
import { startLoopback } from '../support/fake-meta/http.js';

/** The WhatsApp channel against a fake Cloud API over real loopback HTTP. */

const channel = new WhatsAppChannel();
/** Only for waiting out a fake that never answers. */
const impatient = new WhatsAppChannel({ timeoutMs: 300 });

/** The fixture's template request as the outbox stores it: without the recipient. */
function templateMessage(recipient = '+16505551234', id = 'msg-1'): OutboundMessage {
  const { to: _to, ...payload } = fixture('whatsapp/send_template_named_params_request.json');
  return { id, recipient, kind: 'template', category: 'utility', payload };
}

const textMessage = (recipient: string, body = 'hello'): OutboundMessage => ({
  id: `text-${recipient}`,
  recipient,
  kind: 'text',
  category: 'service',
  payload: { type: 'text', text: { body } },
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the send to fail');
    },
    (err: Error) => err,
  );
}

let fake: FakeWhatsApp;
beforeAll(async () => {
  fake = await startFakeWhatsApp();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.clearFaults();
  fake.setPairLimit(0);
  fake.setThroughput(80);
});

describe('sending', () => {
  it('posts the rendered template with `to` and answers with the wamid and wa_id Meta returned', async () => {
    const result = await channel.send(whatsappAccountFor(fake), templateMessage());
    const call = fake.accepted.at(-1)!;
    expect(result).toEqual({ providerMessageId: call.id, recipientId: '16505551234' });
    expect(result.providerMessageId).toMatch(/^wamid\./);
    expect(call).toMatchObject({
      phoneNumberId: '106540352242922',
      version: 'v24.0',
      to: '+16505551234',
      type: 'template',
    });
    expect(call.body).toEqual(fixture('whatsapp/send_template_named_params_request.json'));
  });

  it("reads the id from Meta's own accepted answer (the fixture, verbatim)", async () => {
    fake.failNext(1, 200, fixture('whatsapp/send_template_response_accepted.json'));
    const result = await channel.send(whatsappAccountFor(fake), templateMessage());
    expect(result).toEqual({
      providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBIyQjM2RTlERTY4QjFGNzUwNDgA',
      recipientId: '16505551234',
    });
  });

  it('adds messaging_product when the payload lacks it, uses the configured version, and gives each message its own id', async () => {
    const account = whatsappAccountFor(fake, { config: { apiBaseUrl: `${fake.url}/`, graphVersion: 'v19.0' } });
    const a = await channel.send(account, textMessage('+919711166382'));
    const b = await channel.send(account, textMessage('+919711166383'));
    expect(a.providerMessageId).not.toBe(b.providerMessageId);
    const [first] = fake.accepted.slice(-2);
    expect(first!.version).toBe('v19.0');
    expect(first!.body).toEqual({
      messaging_product: 'whatsapp',
      type: 'text',
      text: { body: 'hello' },
      to: '+919711166382',
    });
  });

  it('a sender without a token is a sender error, and nothing is sent', async () => {
    const before = fake.accepted.length;
    const err = await failure(channel.send(whatsappAccountFor(fake, { secrets: {} }), templateMessage()));
    expect(err).toBeInstanceOf(SenderError);
    expect(fake.accepted.length).toBe(before);
  });
});

describe("Meta's answers, as the fake gives them", () => {
  it('a wrong token → 401 / 190 → SenderError', async () => {
    const err = await failure(
      channel.send(whatsappAccountFor(fake, { secrets: { accessToken: 'expired' } }), templateMessage()),
    );
    expect(err).toBeInstanceOf(SenderError);
    expect(err).toMatchObject({ code: '190', reason: expect.stringContaining('Invalid OAuth access token') });
  });

  it('an unknown template → 132001 → DoNotRetry naming the template', async () => {
    const own = await startFakeWhatsApp({ unknownTemplates: ['order_confirmation'] });
    try {
      const err = await failure(channel.send(whatsappAccountFor(own), templateMessage()));
      expect(err).toBeInstanceOf(DoNotRetryError);
      expect(err).toMatchObject({
        code: '132001',
        reason: expect.stringContaining('template name (order_confirmation) does not exist in en_US'),
      });
      expect(own.accepted).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('a wrong parameter count → 132000, an undeliverable number → 131026, a body without template name → 100: all DoNotRetry', async () => {
    const own = await startFakeWhatsApp({
      templateParamCounts: { order_confirmation: 3 },
      undeliverable: ['+15550000000'],
    });
    try {
      const account = whatsappAccountFor(own);
      expect(await failure(channel.send(account, templateMessage()))).toMatchObject({
        name: 'DoNotRetryError',
        code: '132000',
      });
      const undeliverable = textMessage('+15550000000');
      expect(await failure(channel.send(account, undeliverable))).toMatchObject({
        name: 'DoNotRetryError',
        code: '131026',
      });
      const broken = { ...templateMessage(), payload: { type: 'template', template: { language: { code: 'en_US' } } } };
      expect(await failure(channel.send(account, broken))).toMatchObject({
        name: 'DoNotRetryError',
        code: '100',
        reason: expect.stringContaining("template['name']"),
      });
      expect(own.accepted).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('the pair limit → 131056 → RetryAfter 6 s; another recipient is not held back', async () => {
    fake.setPairLimit(6000);
    const account = whatsappAccountFor(fake);
    await channel.send(account, textMessage('+14155550101'));
    const err = await failure(channel.send(account, textMessage('+14155550101')));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: '131056', retryAfterMs: 6000 });
    await expect(channel.send(account, textMessage('+14155550102'))).resolves.toMatchObject({
      recipientId: '14155550102',
    });
  });
});

describe('each error code mapped', () => {
  const HOUR = 3_600_000;
  const cases: [number, number, string, 'RetryAfterError' | 'DoNotRetryError' | 'SenderError', number | null][] = [
    [400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit', 'RetryAfterError', 6000],
    [500, 131000, '(#131000) Something went wrong', 'RetryAfterError', 5000],
    [
      400,
      131049,
      'This message was not delivered to maintain healthy ecosystem engagement.',
      'RetryAfterError',
      24 * HOUR,
    ],
    [400, 131026, '(#131026) Message undeliverable', 'DoNotRetryError', null],
    [400, 131047, '(#131047) Re-engagement message', 'DoNotRetryError', null],
    [400, 131050, '(#131050) User has stopped marketing messages', 'DoNotRetryError', null],
    [
      400,
      132000,
      '(#132000) Number of parameters does not match the expected number of params',
      'DoNotRetryError',
      null,
    ],
    [404, 132001, '(#132001) Template name does not exist in the translation', 'DoNotRetryError', null],
    [400, 132012, '(#132012) Parameter format does not match format in the created template', 'DoNotRetryError', null],
    [400, 100, '(#100) Invalid parameter', 'DoNotRetryError', null],
    [400, 190, 'Error validating access token: Session has expired', 'SenderError', null],
  ];

  it.each(cases)('HTTP %i with code %i → %s', async (status, code, message, type, retryAfterMs) => {
    fake.failNext(1, status, graphErrorBody(code, message, { details: 'details from Meta' }));
    const err = await failure(channel.send(whatsappAccountFor(fake), templateMessage()));
    expect(err.name).toBe(type);
    expect(err).toMatchObject({ code: String(code), reason: `${message}: details from Meta` });
    if (retryAfterMs !== null) expect((err as RetryAfterError).retryAfterMs).toBe(retryAfterMs);
  });

  it("130429 (the fixture body) → RetryAfter 1 s with Meta's message and details", async () => {
    fake.failNext(1, 400, fixture('whatsapp/graph_error_response_130429.json'));
    const err = await failure(channel.send(whatsappAccountFor(fake), templateMessage()));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({
      code: '130429',
      retryAfterMs: 1000,
      reason: '(#130429) Rate limit hit: Cloud API message throughput has been reached.',
    });
    expect(mayHaveReachedProvider(err)).toBe(false);
  });

  it('Retry-After is honoured: on a 429, on 130429, and as an HTTP date', async () => {
    fake.failNext(1, 429, '', { 'retry-after': '7' });
    expect(await failure(channel.send(whatsappAccountFor(fake), templateMessage()))).toMatchObject({
      name: 'RetryAfterError',
      code: 'HTTP_429',
      retryAfterMs: 7000,
    });
    fake.failNext(1, 400, fixture('whatsapp/graph_error_response_130429.json'), { 'retry-after': '3' });
    expect(await failure(channel.send(whatsappAccountFor(fake), templateMessage()))).toMatchObject({
      code: '130429',
      retryAfterMs: 3000,
    });
    fake.failNext(1, 503, '', { 'retry-after': new Date(Date.now() + 120_000).toUTCString() });
    const dated = (await failure(channel.send(whatsappAccountFor(fake), templateMessage()))) as RetryAfterError;
    expect(dated.retryAfterMs).toBeGreaterThan(110_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('5xx without a Meta body → RetryAfter 5 s; a 401 without one → SenderError; a 2xx without an id → DoNotRetry', async () => {
    fake.failNext(1, 502, '<html>Bad Gateway</html>');
    expect(await failure(channel.send(whatsappAccountFor(fake), templateMessage()))).toMatchObject({
      name: 'RetryAfterError',
      code: 'HTTP_502',
      retryAfterMs: 5000,
    });
    fake.failNext(1, 401, '');
    expect(await failure(channel.send(whatsappAccountFor(fake), templateMessage()))).toMatchObject({
      name: 'SenderError',
      code: 'HTTP_401',
    });
    fake.failNext(1, 200, { messaging_product: 'whatsapp' });
    expect(await failure(channel.send(whatsappAccountFor(fake), templateMessage()))).toMatchObject({
      name: 'DoNotRetryError',
      code: 'INVALID_PROVIDER_RESPONSE',
    });
  });
});

describe('transport failures → RetryAfter', () => {
  it('no answer within the deadline → TIMEOUT, and the next send goes through', async () => {
    fake.hangNext(1);
    const err = await failure(impatient.send(whatsappAccountFor(fake), templateMessage()));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: 'TIMEOUT', retryAfterMs: 5000 });
    expect(mayHaveReachedProvider(err)).toBe(true); // Meta may have the message: a retry could send it twice
    await expect(channel.send(whatsappAccountFor(fake), templateMessage())).resolves.toMatchObject({
      recipientId: '16505551234',
    });
  });

  it('the connection closed without an answer → ECONNRESET', async () => {
    fake.dropNext(1);
    const err = await failure(channel.send(whatsappAccountFor(fake), templateMessage()));
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: 'ECONNRESET' });
    expect(mayHaveReachedProvider(err)).toBe(true);
  });

  it('nobody listening → ECONNREFUSED', async () => {
    const gone = await startLoopback(() => undefined);
    await gone.close();
    const err = await failure(
      channel.send(whatsappAccountFor(fake, { config: { apiBaseUrl: gone.url } }), templateMessage()),
    );
    expect(err).toBeInstanceOf(RetryAfterError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED', retryAfterMs: 5000 });
    expect(mayHaveReachedProvider(err)).toBe(false);
  });
});

describe('throughput (what the dispatcher pacer is measured against)', () => {
  it('400 messages at exactly 80/s all go through; at 81/s the fake answers 130429', async () => {
    let now = 0;
    const paced = await startFakeWhatsApp({ now: () => now, throughputPerSecond: 80 });
    try {
      const account = whatsappAccountFor(paced);
      for (let i = 0; i < 400; i++) {
        now = i * (1000 / 80);
        await channel.send(account, textMessage(`+1415555${String(i).padStart(4, '0')}`));
      }
      expect(paced.accepted).toHaveLength(400);
      expect(paced.throttled()).toBe(0);

      const refused: RetryAfterError[] = [];
      const start = now + 1000;
      for (let i = 0; i < 400; i++) {
        now = start + i * (1000 / 81);
        await channel
          .send(account, textMessage(`+1415556${String(i).padStart(4, '0')}`))
          .catch((e: RetryAfterError) => refused.push(e));
      }
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBe(paced.throttled());
      for (const e of refused) expect(e).toMatchObject({ name: 'RetryAfterError', code: '130429', retryAfterMs: 1000 });
      // the fake never let more than 80 through in any one-second window
      const times = paced.accepted.map((a) => a.at);
      for (let i = 80; i < times.length; i++) expect(times[i]! - times[i - 80]!).toBeGreaterThanOrEqual(1000);
    } finally {
      await paced.close();
    }
  });

  it('a number upgraded to 1,000/s takes 1,000 at once and refuses the 1,001st', async () => {
    let now = 0;
    const paced = await startFakeWhatsApp({ now: () => now, throughputPerSecond: 1000 });
    try {
      const account = whatsappAccountFor(paced);
      const sends = Array.from({ length: 1001 }, (_, i) =>
        channel.send(account, textMessage(`+1415557${String(i).padStart(4, '0')}`)),
      );
      const results = await Promise.allSettled(sends);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1000);
      expect(paced.throttled()).toBe(1);
      now = 1000;
      await expect(channel.send(account, textMessage('+14155580000'))).resolves.toMatchObject({
        recipientId: '14155580000',
      });
    } finally {
      await paced.close();
    }
  });

  it('on the real clock: 81 concurrent sends from one number → 80 accepted, one 130429', async () => {
    const real = await startFakeWhatsApp({ throughputPerSecond: 80 });
    try {
      const account = whatsappAccountFor(real);
      const results = await Promise.allSettled(
        Array.from({ length: 81 }, (_, i) =>
          channel.send(account, textMessage(`+1415559${String(i).padStart(4, '0')}`)),
        ),
      );
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({ name: 'RetryAfterError', code: '130429' });
    } finally {
      await real.close();
    }
  });
});

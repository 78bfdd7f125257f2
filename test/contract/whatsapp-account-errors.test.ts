import { beforeAll, expect, it } from 'vitest';
import { parseWhatsAppWebhook } from '../../src/channels/whatsapp/webhook.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { accountErrorWebhook, type FakeAccountError } from '../support/fake-meta/index.js';
import { useHarness } from '../support/harness.js';
import { iso, whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

/**
 * Meta's error webhooks about the account itself (`value.errors`, no message named): recorded,
 * counted in /metrics, told to the store (`channel.error`) and shown on GET /v1/channels.
 */
describeEachDatabase('WhatsApp account errors (error webhooks)', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  let store: WhatsAppShop;
  let other: WhatsAppShop;
  let hooks: Awaited<ReturnType<typeof wa.subscribe>>;

  const THROTTLED: FakeAccountError = {
    code: 130429,
    title: 'Rate limit hit',
    message: 'Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
  const SYSTEM: FakeAccountError = { code: 131000, title: 'Something went wrong' };

  const errorsMetric = async (code: string) => {
    const text = (await h.call('GET', '/metrics', undefined, { as: null })).body;
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`storewire_provider_account_errors_total{channel="whatsapp",code="${code}"}`));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  beforeAll(async () => {
    store = await wa.store();
    other = await wa.store({ fake: { appSecret: 'another-app-secret' } });
    hooks = await wa.subscribe(store.shop);
  });

  it('reads value.errors of the Cloud API webhook as errors of the number it names', () => {
    expect(parseWhatsAppWebhook(accountErrorWebhook([THROTTLED], '106540352242922'))).toEqual({
      statuses: [],
      inbound: [],
      accountErrors: [
        {
          accountExternalId: '106540352242922',
          code: '130429',
          title: 'Rate limit hit',
          detail: 'Cloud API message throughput has been reached.',
          href: THROTTLED.href,
        },
      ],
      accountExternalIds: ['106540352242922'],
    });
  });

  it('a signed error webhook is recorded: GET /v1/channels shows it, /metrics counts it, the store is told', async () => {
    const before = await errorsMetric('130429');
    clock.advance(60_000);
    const at = clock.now();
    const res = await wa.postWebhook(accountErrorWebhook([THROTTLED], store.phoneNumberId), store.fake.appSecret);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: 1, ignored: 0 });

    const channel = await wa.channel(store.shop);
    expect(channel.recentErrors).toEqual([
      {
        code: '130429',
        title: 'Rate limit hit',
        detail: 'Cloud API message throughput has been reached.',
        href: THROTTLED.href,
        at: iso(at),
      },
    ]);
    expect(await errorsMetric('130429')).toBe(before + 1);

    await wa.flush();
    const told = hooks.deliveries('channel.error');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      verified: true,
      data: {
        channel: 'whatsapp',
        accountId: store.phoneNumberId,
        code: '130429',
        title: 'Rate limit hit',
        detail: 'Cloud API message throughput has been reached.',
        at: iso(at),
      },
    });
  });

  it('newest first, at most five on the channel; another store sees none of them', async () => {
    for (let i = 0; i < 6; i++) {
      clock.advance(1_000);
      const res = await wa.postWebhook(accountErrorWebhook([SYSTEM], store.phoneNumberId), store.fake.appSecret);
      expect(res.json()).toEqual({ received: 1, ignored: 0 });
    }
    const shown = (await wa.channel(store.shop)).recentErrors;
    expect(shown).toHaveLength(5);
    expect(shown.map((e: { code: string }) => e.code)).toEqual(Array(5).fill('131000'));
    expect(shown[0].at).toBe(iso(clock.now()));
    expect(Date.parse(shown[0].at)).toBeGreaterThan(Date.parse(shown[4].at));
    expect((await wa.channel(other.shop)).recentErrors).toEqual([]);
  });

  it('a wrong signature is refused and records nothing; an unknown number is answered 200 and ignored', async () => {
    const count = await errorsMetric('131000');
    const forged = await wa.postWebhook(accountErrorWebhook([SYSTEM], store.phoneNumberId), 'not-the-app-secret');
    expect(forged.statusCode).toBe(401);
    const unknown = await wa.postWebhook(accountErrorWebhook([SYSTEM], '999999999999'), store.fake.appSecret);
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toEqual({ received: 0, ignored: 1 });
    expect(await errorsMetric('131000')).toBe(count);
    // The other store's number, signed with its own secret: recorded on that store only.
    const theirs = await wa.postWebhook(accountErrorWebhook([SYSTEM], other.phoneNumberId), other.fake.appSecret);
    expect(theirs.json()).toEqual({ received: 1, ignored: 0 });
    expect((await wa.channel(other.shop)).recentErrors).toHaveLength(1);
    expect((await wa.channel(store.shop)).recentErrors[0].at).not.toBe(iso(clock.now() + 1));
  });

  it("one delivery naming two stores' numbers, signed with one's app secret: only that store's error is recorded", async () => {
    const body = accountErrorWebhook([SYSTEM], store.phoneNumberId) as any;
    const theirs = accountErrorWebhook([THROTTLED], other.phoneNumberId) as any;
    body.entry.push(...theirs.entry);
    const before = (await wa.channel(other.shop)).recentErrors.length;
    const res = await wa.postWebhook(body, store.fake.appSecret);
    expect(res.json()).toEqual({ received: 1, ignored: 1 });
    expect((await wa.channel(store.shop)).recentErrors[0]).toMatchObject({ code: '131000', at: iso(clock.now()) });
    expect((await wa.channel(other.shop)).recentErrors).toHaveLength(before);
  });
});

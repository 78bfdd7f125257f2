import { beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import {
  graphErrorBody,
  inboundWebhook,
  messengerEvents,
  pageWebhook,
  signWebhook,
  statusWebhook,
} from '../support/fake-meta/index.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * A shopper's "stop" is honoured at once, everywhere: STOP (or the store's own words, any case
 * or accent), a tap on an opt-out button, stopping marketing inside WhatsApp (Meta's
 * user_preferences webhook), or Meta refusing a marketing send with 131050 — each withdraws
 * WhatsApp marketing consent with its source and time, stops marketing already queued, leaves
 * utility messages going, is listed in consentHistory, told to the store's webhook, and can
 * start a journey. START or "resume" gives it back.
 */
describeEachDatabase('consent: a shopper’s stop is honoured', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  let store: WhatsAppShop;
  let hooks: Awaited<ReturnType<typeof wa.subscribe>>;

  beforeAll(async () => {
    store = await wa.store();
    hooks = await wa.subscribe(store.shop);
  });

  let seq = 0;
  /** The shopper writes (or taps) on WhatsApp, now. */
  const writes = async (phone: string, kind: 'text' | 'button', text: string, payload?: string) => {
    const body = inboundWebhook(kind, {
      phoneNumberId: store.phoneNumberId,
      from: phone.slice(1),
      id: `wamid.consent${++seq}`,
      at: clock.now(),
      ...(kind === 'text' ? { text } : { reply: { id: payload ?? text, title: text } }),
    });
    const res = await wa.postWebhook(body, store.fake.appSecret);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const contact = async (id: string) => (await h.get(`/v1/contacts/${id}`, store.shop)).json();
  const marketing = (contactId: string, extra: Record<string, unknown> = {}) =>
    h.post('/v1/messages', { to: { contactId }, template: 'weekend_sale', ...extra }, store.shop);
  const later = () => clock.advance(60_000);

  it('STOP withdraws WhatsApp marketing consent at once: queued marketing fails, utility still goes, history and webhook say so', async () => {
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    // A marketing message scheduled for later, queued while the shopper still agreed.
    const scheduled = await marketing(contactId, { notBefore: new Date(clock.now() + 3_600_000).toISOString() });
    expect(scheduled.statusCode, scheduled.body).toBe(202);
    later();

    expect(await writes(phone, 'text', 'Stop!')).toEqual({ received: 1, ignored: 0 });
    const after = await contact(contactId);
    expect(after.whatsapp).toEqual({
      status: 'INACTIVE',
      source: 'keyword',
      profileName: 'Sheena Nelson',
      updatedAt: new Date(Math.floor(clock.now() / 1000) * 1000).toISOString(),
    });
    // Every stop withdraws marketing on every channel (Messenger too: nothing was said there
    // before); the oldest entry is the store's sync that gave consent.
    expect(after.consentHistory).toHaveLength(3);
    expect(after.consentHistory[2]).toMatchObject({ channel: 'whatsapp', status: 'ACTIVE', source: 'contacts_api' });
    expect(after.consentHistory.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          channel: 'whatsapp',
          status: 'INACTIVE',
          previousStatus: 'ACTIVE',
          source: 'keyword',
        }),
        expect.objectContaining({ channel: 'messenger', status: 'INACTIVE', previousStatus: null, detail: 'Stop!' }),
      ]),
    );

    // Marketing now: refused. Marketing queued before: fails when its time comes, never sent.
    const refused = await marketing(contactId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('NO_CONSENT');
    clock.advance(3_600_000);
    const settled = await wa.untilSettled(store.shop, scheduled.json().id);
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'NO_CONSENT' } });
    // The shopper's own order updates keep going.
    const utility = await wa.send(store.shop, contactId, 'order_update');
    await wa.flush();
    expect((await wa.message(store.shop, utility.id)).status).toBe('sent');
    expect(wa.acceptedTo(store.fake, phone).map((a) => a.body.template?.name)).toEqual(['order_update']);

    const told = hooks.deliveries('contact.consent_changed').filter((d) => d.data.contactId === contactId);
    expect(told.map((d) => [d.data.channel, d.data.status, d.data.source, d.verified]).sort()).toEqual([
      ['messenger', 'INACTIVE', 'keyword', true],
      ['whatsapp', 'ACTIVE', 'contacts_api', true],
      ['whatsapp', 'INACTIVE', 'keyword', true],
    ]);
  });

  it("matches the store's own keywords without case or accents; a sentence that merely contains STOP is not one", async () => {
    const patch = await h.call(
      'PATCH',
      '/v1/store/settings',
      { optOutKeywords: ['Désabonner', 'BAJA'], optInKeywords: ['ALTA'] },
      { as: store.shop },
    );
    expect(patch.statusCode, patch.body).toBe(200);
    for (const [said, stops] of [
      ["please don't stop sending offers", false],
      ['  DESABONNER. ', true],
      ['baja', true],
      ['unsubscribe', true],
      ['ＳＴＯＰ', true],
    ] as const) {
      const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
      later();
      await writes(phone, 'text', said);
      expect((await contact(contactId)).whatsapp.status, said).toBe(stops ? 'INACTIVE' : 'ACTIVE');
    }
  });

  it('START (or the store’s opt-in word) gives consent back; a tap on an opt-out button withdraws it', async () => {
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    later();
    await writes(phone, 'button', 'Stop promotions', 'Stop promotions');
    expect((await contact(contactId)).whatsapp).toMatchObject({ status: 'INACTIVE', source: 'button' });
    later();
    await writes(phone, 'text', 'start');
    expect((await contact(contactId)).whatsapp).toMatchObject({ status: 'ACTIVE', source: 'keyword' });
    later();
    await writes(phone, 'button', 'No more offers', 'STOP');
    expect((await contact(contactId)).whatsapp).toMatchObject({ status: 'INACTIVE', source: 'button' });
    later();
    await writes(phone, 'text', 'alta');
    const back = await contact(contactId);
    expect(back.whatsapp).toMatchObject({ status: 'ACTIVE', source: 'keyword' });
    // Newest first: alta, the STOP tap, start, the Stop promotions tap, the sync (each WhatsApp change).
    expect(
      back.consentHistory.filter((c: Json) => c.channel === 'whatsapp').map((c: Json) => [c.status, c.detail]),
    ).toEqual([
      ['ACTIVE', 'alta'],
      ['INACTIVE', 'No more offers'],
      ['ACTIVE', 'start'],
      ['INACTIVE', 'Stop promotions'],
      ['ACTIVE', null],
    ]);
    expect((await marketing(contactId)).statusCode).toBe(202);
  });

  it("Meta's user_preferences webhook: stop withdraws consent, resume gives it back; a repeat changes nothing", async () => {
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    const preference = (value: 'stop' | 'resume') => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'user_preferences',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: store.phoneNumberId },
                contacts: [{ wa_id: phone.slice(1) }],
                user_preferences: [
                  {
                    wa_id: phone.slice(1),
                    detail: `User requested to ${value} marketing messages`,
                    category: 'marketing_messages',
                    value,
                    timestamp: Math.floor(clock.now() / 1000),
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    later();
    const stop = preference('stop');
    expect((await wa.postWebhook(stop, store.fake.appSecret)).json()).toEqual({ received: 1, ignored: 0 });
    expect((await contact(contactId)).whatsapp).toMatchObject({
      status: 'INACTIVE',
      source: 'whatsapp_user_preferences',
    });
    // Meta delivers it again: a duplicate, no second history entry.
    await wa.postWebhook(stop, store.fake.appSecret);
    expect(
      (await contact(contactId)).consentHistory.filter((c: Json) => c.source === 'whatsapp_user_preferences'),
    ).toHaveLength(2);
    later();
    await wa.postWebhook(preference('resume'), store.fake.appSecret);
    const resumed = await contact(contactId);
    expect(resumed.whatsapp).toMatchObject({ status: 'ACTIVE', source: 'whatsapp_user_preferences' });
    expect(resumed.consentHistory[0]).toMatchObject({
      channel: 'whatsapp',
      status: 'ACTIVE',
      detail: 'User requested to resume marketing messages',
    });
  });

  it('Meta refusing a marketing send with 131050 withdraws consent, by answer or by status webhook', async () => {
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    await wa.flush(); // what earlier cases queued goes first
    store.fake.failNext(
      1,
      400,
      graphErrorBody(131050, 'Unable to deliver message. Reasons can include: The user has stopped marketing messages'),
    );
    const queued = await marketing(contactId);
    expect(queued.statusCode, queued.body).toBe(202);
    await wa.flush();
    expect(await wa.message(store.shop, queued.json().id)).toMatchObject({
      status: 'failed',
      error: { code: '131050' },
    });
    expect((await contact(contactId)).whatsapp).toMatchObject({ status: 'INACTIVE', source: 'whatsapp_131050' });

    // The asynchronous way: accepted, then reported failed with 131050.
    const other = await wa.shopper(store.shop, { consent: true });
    const second = await marketing(other.contactId);
    await wa.flush();
    const sent = await wa.message(store.shop, second.json().id);
    expect(sent.status).toBe('sent');
    later();
    const failed = statusWebhook(
      [
        {
          id: sent.providerMessageId,
          status: 'failed',
          at: clock.now(),
          recipientId: other.phone.slice(1),
          errors: [{ code: 131050, title: 'Unable to deliver message' }],
        },
      ],
      store.phoneNumberId,
    );
    expect((await wa.postWebhook(failed, store.fake.appSecret)).json()).toEqual({ received: 1, ignored: 0 });
    expect((await contact(other.contactId)).whatsapp).toMatchObject({ status: 'INACTIVE', source: 'whatsapp_131050' });
    expect(phone).not.toBe(other.phone);
  });

  it('a consent change starts a journey that is triggered by consent_changed', async () => {
    const journey = await h.call(
      'PUT',
      '/v1/journeys/after_stop',
      {
        name: 'After a stop',
        enabled: true,
        trigger: {
          event: 'consent_changed',
          when: [
            { field: 'event.sub_name', op: 'eq', value: 'whatsapp' },
            { field: 'event.data.status', op: 'eq', value: 'INACTIVE' },
          ],
        },
        entry: { buffer: '0s' },
        steps: [{ id: 'note', type: 'send', channel: 'whatsapp', template: 'order_update' }],
      },
      { as: store.shop },
    );
    expect(journey.statusCode, journey.body).toBe(200);
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    later();
    await writes(phone, 'text', 'unsubscribe');
    const runs = (await h.get(`/v1/journeys/after_stop/runs?contactId=${contactId}`, store.shop)).json().runs;
    expect(runs).toHaveLength(1);
    expect(runs[0].triggerEventId).toMatch(/:consent:whatsapp$/);
  });

  it('sends the store’s opt-out confirmation once, as a session reply, when the store set one', async () => {
    const { contactId, phone } = await wa.shopper(store.shop, { consent: true });
    later();
    await writes(phone, 'text', 'STOP');
    await wa.flush();
    expect(wa.acceptedTo(store.fake, phone)).toEqual([]);

    const text = 'You will not get offers from us any more. Reply START to change your mind.';
    const set = await h.call('PATCH', '/v1/store/settings', { optOutConfirmation: text }, { as: store.shop });
    expect(set.json().optOutConfirmation).toBe(text);
    const second = await wa.shopper(store.shop, { consent: true });
    later();
    const stop = inboundWebhook('text', {
      phoneNumberId: store.phoneNumberId,
      from: second.phone.slice(1),
      id: 'wamid.confirm-me',
      at: clock.now(),
      text: 'stop',
    });
    await wa.postWebhook(stop, store.fake.appSecret);
    await wa.postWebhook(stop, store.fake.appSecret);
    await wa.flush();
    const replies = wa.acceptedTo(store.fake, second.phone);
    expect(replies.map((r) => [r.type, r.body.text?.body])).toEqual([['text', text]]);
    expect(contactId).not.toBe(second.contactId);
  });

  it('on Messenger the same keyword stops marketing on every channel', async () => {
    const pageId = '1487925408000967';
    const page = await h.call(
      'PUT',
      '/v1/channels/messenger',
      { pageId, pageAccessToken: 'p', appSecret: 'page-secret', verifyToken: 'pv' },
      { as: store.shop },
    );
    expect(page.statusCode, page.body).toBe(200);
    const psid = '6783810278298931';
    later();
    const stop = pageWebhook(
      [messengerEvents.text({ psid, pageId, at: clock.now(), text: 'Stop', mid: 'm_stop_1' })],
      pageId,
    );
    const signed = signWebhook(stop, 'page-secret');
    const res = await h.call('POST', '/v1/webhooks/messenger', signed.rawBody.toString('utf8'), {
      as: null,
      headers: signed.headers,
    });
    expect(res.json()).toEqual({ received: 1, ignored: 0 });
    await wa.flush();
    const [told] = hooks.deliveries('message.inbound').filter((d) => d.data.from === psid);
    const shopper = await contact(told!.data.contactId);
    expect(shopper.messenger).toMatchObject({ status: 'INACTIVE', source: 'keyword' });
    expect(shopper.whatsapp).toMatchObject({ status: 'INACTIVE', source: 'keyword' });

    later();
    const start = pageWebhook(
      [messengerEvents.text({ psid, pageId, at: clock.now(), text: 'START', mid: 'm_start_1' })],
      pageId,
    );
    const again = signWebhook(start, 'page-secret');
    await h.call('POST', '/v1/webhooks/messenger', again.rawBody.toString('utf8'), {
      as: null,
      headers: again.headers,
    });
    // START on Messenger gives Messenger back; WhatsApp consent is WhatsApp's to give.
    const restarted = await contact(told!.data.contactId);
    expect(restarted.messenger).toMatchObject({ status: 'ACTIVE', source: 'keyword' });
    expect(restarted.whatsapp.status).toBe('INACTIVE');
  });
});

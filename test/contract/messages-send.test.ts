import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture, seedEvent } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { expectError, iso, newArrivals, orderConfirmation, runLoop, sendApi } from '../support/send-helpers.js';

describeEachDatabase('POST /v1/messages through the sandbox: rendering, the loop, statuses and stats', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const api = sendApi(h);

  it('queues an order confirmation rendered from real data, then follows it to sent, delivered and read', async () => {
    const shop = await api.sandboxStore();
    // The shopper comes from a seed 001 cart event, the order from seed 003's generate-event.
    const cart = seedEvent('add_to_cart', {
      event_id: 'cart-jessica',
      customer: { customer_id: 'jessica', name: 'Jessica Laverdetman', phone: '+919876543210' },
    });
    expect((await h.post('/v1/events', cart, shop)).statusCode).toBe(202);
    await api.order(shop, 'SKBUP2-4CPIG9', 'jessica');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);

    const queuedAt = clock.now();
    const sent = await api.queued(
      { to: { customer_id: 'jessica' }, template: 'order_confirmation', orderId: 'SKBUP2-4CPIG9' },
      shop,
    );
    const contactId = (await h.get('/v1/contacts?customer_id=jessica', shop)).json().contacts[0].id;
    expect(sent).toMatchObject({
      channel: 'sandbox',
      sender: `sandbox:${shop.store.id}`,
      recipient: '+919876543210',
      contactId,
      kind: 'template',
      category: 'utility',
      templateName: 'order_confirmation',
      campaign: null,
      source: 'api',
      status: 'queued',
      statusHistory: [{ status: 'queued', at: iso(queuedAt) }],
      providerMessageId: null,
      error: null,
      attempts: 0,
      createdAt: iso(queuedAt),
      sentAt: null,
      deliveredAt: null,
      readAt: null,
      failedAt: null,
      repliedAt: null,
    });
    // What the outbox holds is Meta's request body for the rendered template, without the recipient.
    const { to: _to, ...rendered } = fixture('whatsapp/send_template_named_params_request.json');
    expect(await api.storedPayload(sent.id, shop)).toEqual(rendered);
    // One message shows what the queue holds for the provider, besides what the send answered.
    const { payload, attemptLog, ...shown } = await api.message(sent.id, shop);
    expect(shown).toEqual({ ...sent, duplicate: undefined });
    // Queued, not yet claimed: no attempt so far.
    expect(attemptLog).toEqual([]);
    expect(payload).toEqual(await api.storedPayload(sent.id, shop));

    clock.advance(5_000);
    const sentAt = clock.now();
    await runLoop(h, clock);
    expect(await api.message(sent.id, shop)).toMatchObject({
      status: 'sent',
      sentAt: iso(sentAt),
      attempts: 1,
      providerMessageId: expect.stringMatching(/^wamid\.SANDBOX/),
    });
    expect(await api.stats('template=order_confirmation', shop)).toMatchObject({
      total: 1,
      queued: 0,
      sent: 1,
      delivered: 0,
      read: 0,
    });

    await runLoop(h, clock, 1_000);
    expect(await api.message(sent.id, shop)).toMatchObject({
      status: 'delivered',
      deliveredAt: iso(sentAt + 1_000),
      readAt: null,
    });
    await runLoop(h, clock, 2_000);
    const read = await api.message(sent.id, shop);
    expect(read).toMatchObject({
      status: 'read',
      sentAt: iso(sentAt),
      deliveredAt: iso(sentAt + 1_000),
      readAt: iso(sentAt + 3_000),
      failedAt: null,
      error: null,
    });
    expect(read.statusHistory).toEqual([
      { status: 'queued', at: iso(queuedAt) },
      { status: 'sent', at: iso(sentAt) },
      { status: 'delivered', at: iso(sentAt + 1_000) },
      { status: 'read', at: iso(sentAt + 3_000) },
    ]);

    expect(await api.stats('template=order_confirmation', shop)).toEqual({
      template: 'order_confirmation',
      total: 1,
      queued: 0,
      sent: 1,
      delivered: 1,
      read: 1,
      failed: 0,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: [],
    });
  });

  it('refuses an unknown contact, template or order and a parameter without a value, and queues nothing', async () => {
    const shop = await api.sandboxStore();
    const other = await api.sandboxStore('Other Shop');
    await api.shopper(shop, { customer_id: 'priya', name: 'Priya Shah', phone: '+919811100001' });
    await api.shopper(shop, { customer_id: 'nameless', phone: '+919811100002' });
    await api.order(shop, 'ORD-1', 'priya');
    await api.shopper(other, { customer_id: 'elsewhere', name: 'Ravi Kumar', phone: '+919811100003' });
    await api.order(other, 'ORD-OTHER', 'elsewhere');
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    const confirm = (to: Record<string, string>, extra: Record<string, unknown> = {}) =>
      api.send({ to, template: 'order_confirmation', orderId: 'ORD-1', ...extra }, shop);

    expectError(await confirm({ customer_id: 'nobody' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await confirm({ contactId: 'ct_00000000000000000000000000' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await confirm({ phone: '+919811199999' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await confirm({ customer_id: 'elsewhere' }), 404, 'CONTACT_NOT_FOUND');
    expectError(await confirm({ customer_id: 'priya' }, { template: 'no_such_template' }), 404, 'TEMPLATE_NOT_FOUND');
    expectError(await confirm({ customer_id: 'priya' }, { orderId: 'NO-SUCH-ORDER' }), 404, 'ORDER_NOT_FOUND');
    expectError(await confirm({ customer_id: 'priya' }, { orderId: 'ORD-OTHER' }), 404, 'ORDER_NOT_FOUND');

    const noOrder = expectError(
      await api.send({ to: { customer_id: 'priya' }, template: 'order_confirmation' }, shop),
      400,
      'MISSING_PARAMETER',
    );
    expect(noOrder.details).toEqual({ parameter: 'order_number' });
    const noName = expectError(await confirm({ customer_id: 'nameless' }), 400, 'MISSING_PARAMETER');
    expect(noName.details).toEqual({ parameter: 'first_name' });

    expect(
      expectError(await api.send({ to: {}, template: 'order_confirmation' }, shop), 400, 'VALIDATION_FAILED').details
        .path,
    ).toBe('body/to');
    expectError(await confirm({ customer_id: 'priya' }, { text: 'and a text' }), 400, 'VALIDATION_FAILED');

    expect((await h.get('/v1/messages', shop)).json()).toEqual({ messages: [], next: null });
    expect(await api.stats('template=order_confirmation', shop)).toMatchObject({ total: 0 });
    // The same request with everything there is queued.
    expect((await confirm({ customer_id: 'priya' })).statusCode).toBe(202);
  });

  it('refuses with CHANNEL_NOT_CONFIGURED without an account and RECIPIENT_UNREACHABLE without a phone', async () => {
    const bare = await h.newStore({ name: 'No Channels' });
    // Every store starts with the sandbox; this one disconnects it.
    expect((await h.call('DELETE', '/v1/channels/sandbox', undefined, { as: bare })).statusCode).toBe(204);
    await api.shopper(bare, { customer_id: 'asha', name: 'Asha Rao', phone: '+919811100011' });
    await api.putTemplate('order_confirmation', orderConfirmation, bare);
    await api.order(bare, 'ORD-BARE', 'asha');
    expectError(
      await api.send({ to: { customer_id: 'asha' }, template: 'order_confirmation', orderId: 'ORD-BARE' }, bare),
      409,
      'CHANNEL_NOT_CONFIGURED',
    );
    expectError(await api.send({ to: { customer_id: 'asha' }, text: 'hello' }, bare), 409, 'CHANNEL_NOT_CONFIGURED');

    const shop = await api.sandboxStore();
    await api.shopper(shop, { customer_id: 'mail-only', name: 'Meera Iyer', email: 'meera@example.com' });
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.order(shop, 'ORD-MAIL', 'mail-only');
    expectError(
      await api.send({ to: { email: 'MEERA@example.com' }, template: 'order_confirmation', orderId: 'ORD-MAIL' }, shop),
      409,
      'RECIPIENT_UNREACHABLE',
    );
    // The sandbox stands in for WhatsApp only: no Messenger page is connected.
    expectError(
      await api.send(
        { to: { email: 'meera@example.com' }, channel: 'messenger', template: 'Order Receipt Push', params: {} },
        shop,
      ),
      409,
      'CHANNEL_NOT_CONFIGURED',
    );
    expect((await h.get('/v1/messages', shop)).json().messages).toEqual([]);
  });

  it('needs consent for a marketing template: NO_CONSENT until the shopper is ACTIVE, then it is queued', async () => {
    const shop = await api.sandboxStore();
    const contactId = await api.shopper(shop, { customer_id: 'kiran', name: 'Kiran Desai', phone: '+919811100021' });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = {
      to: { phone: '09811100021' },
      template: 'new_arrivals',
      params: { collection: 'Winter Kurtas' },
      campaign: 'winter',
    };

    const refused = expectError(await api.send(promo, shop), 409, 'NO_CONSENT');
    expect(refused.message).toContain('ACTIVE');
    expect(await api.stats('campaign=winter', shop)).toMatchObject({ total: 0 });

    await api.shopper(shop, { phone: '+919811100021', whatsapp_status: 'ACTIVE' });
    const sent = await api.queued(promo, shop);
    expect(sent).toMatchObject({ contactId, category: 'marketing', campaign: 'winter', templateName: 'new_arrivals' });
    expect((await api.storedPayload(sent.id, shop)).template.components).toEqual([
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Kiran' },
          { type: 'text', text: 'Winter Kurtas' },
        ],
      },
    ]);
  });

  it('keeps to the frequency cap: the third marketing message in 24 h is refused (queued ones count), utility still goes', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, {
      customer_id: 'dev',
      name: 'Dev Patel',
      phone: '+919811100031',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.order(shop, 'ORD-DEV', 'dev');
    const promo = (collection: string) =>
      api.send({ to: { customer_id: 'dev' }, template: 'new_arrivals', params: { collection } }, shop);

    expect((await promo('one')).statusCode).toBe(202);
    await runLoop(h, clock, 3_000); // the first is sent and read
    expect((await promo('two')).statusCode).toBe(202); // the second is still queued
    const capped = expectError(await promo('three'), 409, 'FREQUENCY_CAP');
    expect(capped.message).toContain('2');
    expect(
      (await api.send({ to: { customer_id: 'dev' }, template: 'order_confirmation', orderId: 'ORD-DEV' }, shop))
        .statusCode,
    ).toBe(202);

    clock.advance(24 * 3_600_000);
    expect((await promo('next day')).statusCode).toBe(202);
  });

  it('never lets more than the cap reach a shopper when marketing sends race each other', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, {
      customer_id: 'race',
      name: 'Rohan Das',
      phone: '+919811100111',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.send(
          {
            to: { customer_id: 'race' },
            template: 'new_arrivals',
            params: { collection: `Drop ${i}` },
            campaign: 'race',
          },
          shop,
        ),
      ),
    );
    for (const a of answers) expect([202, 409], a.body).toContain(a.statusCode);
    expect(answers.filter((a) => a.statusCode === 202).length).toBeGreaterThanOrEqual(2);
    await runLoop(h, clock, 3_000);
    const stats = await api.stats('campaign=race', shop);
    expect(stats.sent).toBe(2);
    expect(
      stats.failureReasons.map((r: { code: string }) => r.code).filter((c: string) => c !== 'FREQUENCY_CAP'),
    ).toEqual([]);
  });

  it('answers FREQUENCY_CAP at once to racing marketing sends beyond the cap (queued ones count)', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, {
      customer_id: 'race-2',
      name: 'Reva Das',
      phone: '+919811100121',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.send(
          { to: { customer_id: 'race-2' }, template: 'new_arrivals', params: { collection: `Drop ${i}` } },
          shop,
        ),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 202, 409, 409, 409, 409]);
  });

  it("follows the store's own cap from its settings", async () => {
    const shop = await h.newStore({ name: 'Chatty Shop' });
    // Settings are written before the store's first request (the auth cache keeps a store for 5 s).
    await api.setSettings(shop, { marketingFrequencyCap: { max: 3, hours: 1 } });
    expect((await h.call('PUT', '/v1/channels/sandbox', undefined, { as: shop })).statusCode).toBe(200);
    await api.shopper(shop, { customer_id: 'sam', name: 'Sam Roy', phone: '+919811100041', whatsapp_status: 'ACTIVE' });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = () =>
      api.send({ to: { customer_id: 'sam' }, template: 'new_arrivals', params: { collection: 'Sale' } }, shop);
    for (let i = 0; i < 3; i++) expect((await promo()).statusCode).toBe(202);
    expect(expectError(await promo(), 409, 'FREQUENCY_CAP').message).toContain('3');
    clock.advance(3_600_000 + 1);
    expect((await promo()).statusCode).toBe(202);
  });

  it('sends once for one Idempotency-Key: the repeat answers 200 duplicate:true with the same message', async () => {
    const shop = await api.sandboxStore();
    const other = await api.sandboxStore('Other Shop');
    for (const as of [shop, other]) {
      await api.shopper(as, { customer_id: 'lata', name: 'Lata Menon', phone: '+919811100051' });
      await api.order(as, 'ORD-LATA', 'lata');
      await api.putTemplate('order_confirmation', orderConfirmation, as);
    }
    const body = { to: { customer_id: 'lata' }, template: 'order_confirmation', orderId: 'ORD-LATA', campaign: 'idem' };
    const first = await api.send(body, shop, { 'idempotency-key': 'confirm-ORD-LATA' });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json().duplicate).toBe(false);

    const again = await api.send(body, shop, { 'idempotency-key': 'confirm-ORD-LATA' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), duplicate: true });
    // The key in the body is the same key.
    const inBody = await api.send({ ...body, idempotencyKey: 'confirm-ORD-LATA' }, shop);
    expect(inBody.statusCode).toBe(200);
    expect(inBody.json().id).toBe(first.json().id);
    // Another store's key space is its own.
    expect((await api.send(body, other, { 'idempotency-key': 'confirm-ORD-LATA' })).statusCode).toBe(202);

    await runLoop(h, clock, 1_000, 2_000);
    const afterSend = await api.send(body, shop, { 'idempotency-key': 'confirm-ORD-LATA' });
    expect(afterSend.statusCode).toBe(200);
    expect(afterSend.json()).toMatchObject({ id: first.json().id, status: 'read', attempts: 1, duplicate: true });
    expect((await h.get('/v1/messages?campaign=idem', shop)).json().messages.map((m: { id: string }) => m.id)).toEqual([
      first.json().id,
    ]);
    expect(await api.stats('campaign=idem', shop)).toMatchObject({ total: 1, sent: 1, read: 1 });
    // A new key is a new message.
    expect((await api.send(body, shop, { 'idempotency-key': 'confirm-ORD-LATA-2' })).statusCode).toBe(202);
  });

  it('makes one message of the same key sent five times at once', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, { customer_id: 'tara', name: 'Tara Roy', phone: '+919811100101' });
    await api.putTemplate('order_confirmation', orderConfirmation, shop);
    await api.order(shop, 'ORD-TARA', 'tara');
    const body = {
      to: { customer_id: 'tara' },
      template: 'order_confirmation',
      orderId: 'ORD-TARA',
      campaign: 'burst',
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => api.send(body, shop, { 'idempotency-key': 'burst-1' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    await runLoop(h, clock, 3_000);
    expect(await api.stats('campaign=burst', shop)).toMatchObject({ total: 1, sent: 1, read: 1 });
  });

  it('answers a repeated key with its message even when a new send would be over the cap that message filled', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, { customer_id: 'ira', name: 'Ira Sen', phone: '+919811100081', whatsapp_status: 'ACTIVE' });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = (key: string) =>
      api.send({ to: { customer_id: 'ira' }, template: 'new_arrivals', params: { collection: 'Wool' } }, shop, {
        'idempotency-key': key,
      });
    const first = await promo('promo-1');
    const second = await promo('promo-2');
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    // The client did not hear the second answer and retries it: it is the same message, not a third one over the cap.
    const retried = await promo('promo-2');
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: second.json().id, duplicate: true });
  });

  it('answers a repeated key with its message after the shopper opted out (nothing new is queued either way)', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, {
      customer_id: 'jai',
      name: 'Jai Verma',
      phone: '+919811100091',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const promo = () =>
      api.send({ to: { customer_id: 'jai' }, template: 'new_arrivals', params: { collection: 'Wool' } }, shop, {
        'idempotency-key': 'jai-promo',
      });
    const first = await promo();
    expect(first.statusCode, first.body).toBe(202);
    await api.shopper(shop, { customer_id: 'jai', whatsapp_status: 'INACTIVE' });
    const retried = await promo();
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: first.json().id, duplicate: true });
  });

  it('checks the rules again at send time: a shopper who opts out before the send gets nothing (NO_CONSENT)', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, {
      customer_id: 'nisha',
      name: 'Nisha Gupta',
      phone: '+919811100061',
      whatsapp_status: 'ACTIVE',
    });
    await api.putTemplate('new_arrivals', newArrivals, shop);
    const queued = await api.queued(
      { to: { customer_id: 'nisha' }, template: 'new_arrivals', params: { collection: 'Sarees' }, campaign: 'optout' },
      shop,
    );

    clock.advance(1_000);
    await api.shopper(shop, { customer_id: 'nisha', whatsapp_status: 'INACTIVE' });
    const failedAt = clock.now();
    await runLoop(h, clock, 1_000, 2_000);

    const message = await api.message(queued.id, shop);
    expect(message).toMatchObject({
      status: 'failed',
      providerMessageId: null,
      sentAt: null,
      deliveredAt: null,
      readAt: null,
      failedAt: iso(failedAt),
    });
    expect(message.error).toEqual({ code: 'NO_CONSENT', reason: expect.stringContaining('ACTIVE') });
    expect(message.statusHistory.map((s: { status: string }) => s.status)).toEqual(['queued', 'failed']);
    expect(await api.stats('campaign=optout', shop)).toEqual({
      campaign: 'optout',
      total: 1,
      queued: 0,
      sent: 0,
      delivered: 0,
      read: 0,
      failed: 1,
      replied: 0,
      possiblyDuplicated: 0,
      failureReasons: [{ code: 'NO_CONSENT', reason: message.error.reason, count: 1 }],
    });
  });

  it('refuses free-form text to a shopper who never wrote (OUTSIDE_WINDOW); a template goes', async () => {
    const shop = await api.sandboxStore();
    await api.shopper(shop, { customer_id: 'omar', name: 'Omar Khan', phone: '+919811100071' });
    expectError(
      await api.send({ to: { customer_id: 'omar' }, text: 'Your parcel is at the door' }, shop),
      409,
      'OUTSIDE_WINDOW',
    );
    expectError(
      await api.send(
        {
          to: { customer_id: 'omar' },
          interactive: {
            type: 'button',
            body: { text: 'Still want it?' },
            action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] },
          },
        },
        shop,
      ),
      409,
      'OUTSIDE_WINDOW',
    );
    expect((await h.get('/v1/messages', shop)).json().messages).toEqual([]);
  });
});

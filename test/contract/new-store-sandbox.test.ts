import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { whatsappKit } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * Every new store has the offline sandbox connected, so it can send from its first minute (the
 * README's send-template to page "sandbox" works for a store made with `storewire stores
 * create`); a WhatsApp number, once connected, takes over; DELETE /v1/channels/sandbox removes it.
 */
describeEachDatabase('the sandbox of every new store', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  const receipt = (id: string) => {
    const seed = fixture('seeds/002_order_receipt.json');
    return { ...seed, request: { ...seed.request, page_id: 'sandbox', id }, recipient: { id: '+919811140001' } };
  };

  it('a new store lists the sandbox, sends to page "sandbox", and its messages are delivered', async () => {
    const shop = await h.newStore({ name: 'Fresh Shop' });
    const channels = (await h.get('/v1/channels', shop)).json().channels;
    expect(channels).toEqual([
      {
        channel: 'sandbox',
        accountId: `sandbox:${shop.store.id}`,
        status: 'active',
        statusReason: null,
        webhookUrl: null,
        recentErrors: [],
      },
    ]);
    await h.post('/v1/contacts', { customer_id: 'john', name: 'John Doe', phone: '+919811140001' }, shop);
    const sent = await h.post('/v1/messages/send-template', receipt('fresh-1'), shop);
    expect(sent.statusCode, sent.body).toBe(200);
    const id = sent.json().message_id;
    for (let i = 0; i < 5; i++) {
      clock.advance(2_000);
      await h.app.messaging.tick();
    }
    expect((await h.get(`/v1/messages/${id}`, shop)).json()).toMatchObject({ channel: 'sandbox', status: 'read' });
  });

  it('a WhatsApp number, once connected, takes over; without any account a send is CHANNEL_NOT_CONFIGURED', async () => {
    const { shop, fake } = await wa.store();
    expect((await h.get('/v1/channels', shop)).json().channels.map((c: Json) => c.channel)).toEqual([
      'sandbox',
      'whatsapp',
    ]);
    const { contactId, phone } = await wa.shopper(shop);
    const queued = await wa.send(shop, contactId);
    expect(await wa.untilSettled(shop, queued.id)).toMatchObject({ channel: 'whatsapp', status: 'sent' });
    expect(wa.acceptedTo(fake, phone)).toHaveLength(1);

    expect((await h.call('DELETE', '/v1/channels/sandbox', undefined, { as: shop })).statusCode).toBe(204);
    expect((await h.call('DELETE', '/v1/channels/whatsapp', undefined, { as: shop })).statusCode).toBe(204);
    expect((await h.call('DELETE', '/v1/channels/whatsapp', undefined, { as: shop })).statusCode).toBe(204);
    expect((await h.get('/v1/channels', shop)).json().channels).toEqual([]);
    const refused = await h.post('/v1/messages', { to: { contactId }, template: 'order_update' }, shop);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'CHANNEL_NOT_CONFIGURED']);
    expect((await h.call('DELETE', '/v1/channels/telegram', undefined, { as: shop })).statusCode).toBe(400);
  });
});

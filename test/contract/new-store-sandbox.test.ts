import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { repoRoot } from '../support/processes.js';
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
    // A second time there is none left to disconnect.
    expect((await h.call('DELETE', '/v1/channels/whatsapp', undefined, { as: shop })).statusCode).toBe(404);
    expect((await h.get('/v1/channels', shop)).json().channels).toEqual([]);
    const refused = await h.post('/v1/messages', { to: { contactId }, template: 'order_update' }, shop);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'CHANNEL_NOT_CONFIGURED']);
    expect((await h.call('DELETE', '/v1/channels/telegram', undefined, { as: shop })).statusCode).toBe(400);
  });

  it("the README: Order Receipt Push is refused (10040) on a real number; the README's WhatsApp way goes through it", async () => {
    const { shop, fake, phoneNumberId } = await wa.store();
    await h.post('/v1/contacts', { customer_id: 'mituj-1', name: 'Mituj', phone: '9711166382' }, shop);
    const messenger = receipt('real-1');
    messenger.request.page_id = phoneNumberId;
    messenger.recipient.id = '9711166382';
    const refused = await h.post('/v1/messages/send-template', messenger, shop);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({
      code: 10040,
      message: 'Invalid params: template "Order Receipt Push" is a messenger template; this message goes by whatsapp',
      request_id: 'real-1',
    });

    // The README's own template and request, with the number's phone number id as page_id.
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    /** The JSON body (-d '…') of the README's curl command that holds `marker`. */
    const body = (marker: string) => {
      const command = readme.slice(readme.lastIndexOf('curl ', readme.indexOf(marker)));
      return JSON.parse(/-d '(\{[^']*)'/.exec(command)![1]!);
    };
    const put = await h.call('PUT', '/v1/templates/order_confirmation', body('v1/templates/order_confirmation'), {
      as: shop,
    });
    expect(put.statusCode, put.body).toBe(200);
    const request = body('"tour-receipt-wa-1"') as Json;
    expect(request.request.page_id).toBe('sandbox');
    request.request.page_id = phoneNumberId;
    const sent = await h.post('/v1/messages/send-template', request, shop);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await wa.untilSettled(shop, sent.json().message_id)).toMatchObject({ channel: 'whatsapp', status: 'sent' });
    expect(fake.accepted.at(-1)!.body.template).toMatchObject({
      name: 'order_confirmation',
      language: { code: 'en_US' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', parameter_name: 'first_name', text: 'Mituj' },
            { type: 'text', parameter_name: 'order_number', text: '44212809' },
            { type: 'text', parameter_name: 'total', text: '₹300' },
          ],
        },
      ],
    });
  });
});

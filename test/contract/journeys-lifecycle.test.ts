import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';
import { seedEvent } from '../support/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The order-lifecycle ready-made journeys on a virtual clock: receipt, shipping updates, failed delivery, COD to prepaid, browse abandonment. */
describeEachDatabase('journeys: ready-made order lifecycle and browse abandonment', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const j = journeyKit(h, clock);

  const bodyText = async (as: Parameters<typeof j.sent>[0], messageId: string) =>
    JSON.stringify((await h.get(`/v1/messages/${messageId}`, as)).json().payload);

  it('order receipt: one receipt per order, at once, with the order number and total; a replayed order sends nothing more', async () => {
    const as = await j.store('order_receipt');
    const shopper = await j.shopper(as, { whatsapp_status: 'INACTIVE' });
    await j.order(as, 'ORD-R-1', shopper.customerId);
    await j.settle();
    const receipts = await j.sent(as, 'order_receipt', 'receipt');
    expect(receipts).toHaveLength(1);
    // A utility message: no marketing consent needed.
    expect(receipts[0]).toMatchObject({ templateName: 'order_receipt', category: 'utility', status: 'sent' });
    expect(await bodyText(as, receipts[0].id)).toContain('ORD-R-1');
    expect(await bodyText(as, receipts[0].id)).toContain('1,200.00');

    await j.order(as, 'ORD-R-1', shopper.customerId, { status: 'IN_PROGRESS' });
    await j.order(as, 'ORD-R-2', shopper.customerId);
    await j.pass(HOUR);
    const all = await j.sent(as, 'order_receipt');
    expect(all).toHaveLength(2);
    expect((await j.runs(as, 'order_receipt', shopper.contactId)).map((r: { key: string }) => r.key).sort()).toEqual([
      'ORD-R-1',
      'ORD-R-2',
    ]);
  });

  it('shipping updates: shipped, out for delivery and delivered each send their template; other statuses send nothing', async () => {
    const as = await j.store('shipping_updates');
    const shopper = await j.shopper(as);
    await j.order(as, 'ORD-S-1', shopper.customerId);
    for (const status of ['packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered']) {
      await j.shipment(as, 'ORD-S-1', status);
      await j.pass(HOUR);
    }
    const sent = await j.sent(as, 'shipping_updates');
    expect(sent.map((m: { templateName: string }) => m.templateName).reverse()).toEqual([
      'shipment_shipped',
      'shipment_out_for_delivery',
      'shipment_delivered',
    ]);
    expect(await bodyText(as, sent[0].id)).toContain('ORD-S-1');
  });

  it('failed delivery: asks with a button per resolution; the tap ends the wait (and reaches the store as a reply); no answer in 24 h brings one reminder', async () => {
    const as = await j.store('failed_delivery');
    const tapper = await j.shopper(as);
    const silent = await j.shopper(as);
    const ndr = {
      ndrCode: '0',
      reason: 'Exception',
      resolutions: [
        { resolutionCode: 'ACTF001', action: 'I would like to request another delivery attempt' },
        { resolutionCode: 'ACTF003', action: 'I would like to cancel my order' },
      ],
    };
    await j.order(as, 'ORD-N-1', tapper.customerId);
    await j.order(as, 'ORD-N-2', silent.customerId);
    await j.shipment(as, 'ORD-N-1', 'failed_delivery', { ndr });
    await j.shipment(as, 'ORD-N-2', 'failed_delivery', { ndr });
    await j.settle();
    const asked = await j.sent(as, 'failed_delivery', 'ask');
    expect(asked).toHaveLength(2);
    const payload = (
      await h.get(`/v1/messages/${asked.find((m: { recipient: string }) => m.recipient === tapper.phone).id}`, as)
    ).json().payload;
    expect(JSON.stringify(payload)).toContain('ndr:reattempt');

    // The shopper taps "Deliver again" in the sandbox: Storewire receives it like a WhatsApp button reply.
    const message = asked.find((m: { recipient: string }) => m.recipient === tapper.phone);
    const reply = await h.post(
      '/v1/channels/sandbox/inbound',
      { from: tapper.phone, replyTo: message.id, button: { id: 'ndr:reattempt', title: 'Deliver again' } },
      as,
    );
    expect(reply.statusCode, reply.body).toBe(200);
    expect((await h.get(`/v1/messages/${message.id}`, as)).json().repliedAt).toBe(new Date(clock.now()).toISOString());
    const events = (await h.get(`/v1/contacts/${tapper.contactId}`, as)).json().recentEvents;
    expect(events.filter((e: { name: string }) => e.name === 'whatsapp_message_received')).toEqual([
      expect.objectContaining({ subName: 'reply' }),
    ]);
    await j.pass(25 * HOUR);
    const [tapRun] = await j.runs(as, 'failed_delivery', tapper.contactId);
    expect(
      (await j.run(as, tapRun.id)).steps.map((s: { stepId: string; outcome: string }) => `${s.stepId}:${s.outcome}`),
    ).toEqual(['ask:sent', 'answer:event_came', 'done:exited']);
    const [silentRun] = await j.runs(as, 'failed_delivery', silent.contactId);
    expect(
      (await j.run(as, silentRun.id)).steps.map((s: { stepId: string; outcome: string }) => `${s.stepId}:${s.outcome}`),
    ).toEqual(['ask:sent', 'answer:timed_out', 'ask_again:sent', 'done:exited']);
    expect(await j.sent(as, 'failed_delivery')).toHaveLength(3);
    // The choice is on the order's shipment, matched to the resolution the shipment event offered (seed 004's read).
    const order = (await h.get('/v1/orders/ORD-N-1', as)).json();
    expect(order.items[0].ndrResolutionDetails).toEqual({
      resolutionCode: 'ACTF001',
      action: 'I would like to request another delivery attempt',
      choice: 'ndr:reattempt',
      title: 'Deliver again',
      chosenAt: expect.any(String),
      messageId: message.id,
    });
    expect((await h.get('/v1/orders/ORD-N-2', as)).json().items[0].ndrResolutionDetails).toBeUndefined();
  });

  it('COD to prepaid: a cash-on-delivery order gets the payment link after 10 minutes; a prepaid one and a dispatched one get nothing', async () => {
    const as = await j.store('cod_to_prepaid');
    expect(
      (await h.call('PUT', '/v1/journey-settings', { paymentLinkBase: 'https://shop.example/pay/' }, { as }))
        .statusCode,
    ).toBe(200);
    const cod = await j.shopper(as);
    const prepaid = await j.shopper(as);
    const shippedFast = await j.shopper(as);
    await j.order(as, 'ORD-C-1', cod.customerId, { paymentType: 'COD' });
    await j.order(as, 'ORD-C-2', prepaid.customerId, { paymentType: 'PREPAID' });
    await j.order(as, 'ORD-C-3', shippedFast.customerId, { paymentType: 'COD' });
    await j.pass(5 * MINUTE);
    await j.shipment(as, 'ORD-C-3', 'shipped');
    await j.pass(HOUR);
    const links = await j.sent(as, 'cod_to_prepaid');
    expect(links.map((m: { recipient: string }) => m.recipient)).toEqual([cod.phone]);
    expect(await bodyText(as, links[0].id)).toContain('https://shop.example/pay/ORD-C-1');
    expect((await j.runs(as, 'cod_to_prepaid', prepaid.contactId))[0]).toMatchObject({
      status: 'exited',
      exitReason: 'exit_step',
    });
    expect((await j.runs(as, 'cod_to_prepaid', shippedFast.contactId))[0]).toMatchObject({
      status: 'exited',
      exitReason: 'event:shipment_update',
    });
  });

  it('browse abandonment: a product view reminds once after 2 h with the product; adding to cart meanwhile ends it', async () => {
    const as = await j.store('browse_abandonment');
    const browser = await j.shopper(as);
    const buyer = await j.shopper(as);
    await j.event(as, 'product_view', browser.customerId);
    await j.event(as, 'product_view', buyer.customerId);
    await j.pass(HOUR);
    await j.event(as, 'add_to_cart', buyer.customerId);
    await j.pass(3 * HOUR);
    const sent = await j.sent(as, 'browse_abandonment');
    expect(sent.map((m: { recipient: string }) => m.recipient)).toEqual([browser.phone]);
    expect(await bodyText(as, sent[0].id)).toContain(String(seedEvent('product_view').event_data.title));
    expect((await j.runs(as, 'browse_abandonment', buyer.contactId))[0]).toMatchObject({
      status: 'exited',
      exitReason: 'event:cart_update',
    });
    // Re-entry once per 7 days: another view tomorrow starts nothing.
    await j.pass(24 * HOUR);
    await j.event(as, 'product_view', browser.customerId);
    await j.pass(3 * HOUR);
    expect(await j.runs(as, 'browse_abandonment', browser.contactId)).toHaveLength(1);
  });
});

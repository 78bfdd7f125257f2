import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';
import { seedEvent } from '../support/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Seed 001's flow: a cart left behind, reminders on a virtual clock, and the stop the moment the shopper buys. */
describeEachDatabase('journeys: cart abandonment', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const j = journeyKit(h, clock);

  it('enabling the ready-made journey stores it (version 1) with the templates it needs', async () => {
    const as = await j.store();
    const before = (await h.get('/v1/journeys/cart_abandonment', as)).json();
    expect(before).toMatchObject({ id: 'cart_abandonment', enabled: false, readyMade: true, version: null });
    const res = await h.post('/v1/journeys/cart_abandonment/enable', {}, as);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: 'cart_abandonment', enabled: true, version: 1 });
    expect(res.json().installedTemplates.sort()).toEqual([
      'cart_reminder_1',
      'cart_reminder_2',
      'cart_reminder_discount',
    ]);
    expect((await h.get('/v1/templates/cart_reminder_1', as)).statusCode).toBe(200);
    const list = (await h.get('/v1/journeys', as)).json().journeys;
    expect(list.map((x: { id: string }) => x.id)).toEqual([
      'browse_abandonment',
      'cart_abandonment',
      'cod_to_prepaid',
      'failed_delivery',
      'order_receipt',
      'shipping_updates',
    ]);
    expect(list.find((x: { id: string }) => x.id === 'cart_abandonment').enabled).toBe(true);
  });

  it('a cart refilled within the buffer makes one run; reminders go at 1 h and 24 h after the last change, each once', async () => {
    const as = await j.store('cart_abandonment');
    await h.call('PUT', '/v1/journey-settings', { discountCode: 'COMEBACK10' }, { as });
    const shopper = await j.shopper(as);
    const t0 = clock.now();
    await j.event(as, 'add_to_cart', shopper.customerId);
    await j.pass(5 * MINUTE);
    await j.event(as, 'add_to_cart', shopper.customerId);
    const runs = await j.runs(as, 'cart_abandonment', shopper.contactId);
    expect(runs).toHaveLength(1);
    // The second event reset the buffer: the run starts 15 minutes after it.
    expect(runs[0]).toMatchObject({
      status: 'active',
      stepId: 'wait_1h',
      dueAt: new Date(t0 + 20 * MINUTE).toISOString(),
    });

    await j.pass(HOUR + 14 * MINUTE);
    expect(await j.sent(as, 'cart_abandonment')).toHaveLength(0);
    await j.pass(MINUTE);
    const first = await j.sent(as, 'cart_abandonment', 'reminder_1');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      templateName: 'cart_reminder_1',
      channel: 'sandbox',
      recipient: shopper.phone,
      source: 'journey',
    });

    await j.pass(23 * HOUR);
    expect(await j.sent(as, 'cart_abandonment', 'reminder_2')).toHaveLength(1);
    await j.pass(48 * HOUR);
    const third = await j.sent(as, 'cart_abandonment', 'reminder_3');
    expect(third).toHaveLength(1);
    expect(JSON.stringify((await h.get(`/v1/messages/${third[0].id}`, as)).json().payload)).toContain('COMEBACK10');

    // Days more: nothing repeats, the run is over.
    await j.pass(72 * HOUR);
    expect(await j.sent(as, 'cart_abandonment')).toHaveLength(3);
    const [run] = await j.runs(as, 'cart_abandonment', shopper.contactId);
    expect(run).toMatchObject({ status: 'completed', stepId: null, exitReason: null });
    const detail = await j.run(as, run.id);
    expect(detail.steps.map((s: { stepId: string; outcome: string }) => `${s.stepId}:${s.outcome}`)).toEqual([
      'wait_1h:waited',
      'reminder_1:sent',
      'wait_24h:waited',
      'reminder_2:sent',
      'wait_72h:waited',
      'reminder_3:sent',
    ]);
  });

  it('an order placed between reminders ends the journey: no further message', async () => {
    const as = await j.store('cart_abandonment');
    const shopper = await j.shopper(as);
    await j.event(as, 'add_to_cart', shopper.customerId);
    await j.pass(15 * MINUTE + HOUR);
    expect(await j.sent(as, 'cart_abandonment', 'reminder_1')).toHaveLength(1);

    await j.pass(3 * HOUR);
    await j.order(as, 'ORD-CART-1', shopper.customerId);
    await j.pass(5 * 24 * HOUR);
    expect(await j.sent(as, 'cart_abandonment')).toHaveLength(1);
    const [run] = await j.runs(as, 'cart_abandonment', shopper.contactId);
    expect(run).toMatchObject({ status: 'exited', exitReason: 'order_placed:ORD-CART-1' });

    const stats = (await h.get('/v1/journeys/cart_abandonment/stats', as)).json();
    expect(stats).toMatchObject({
      runs: { total: 1, exited: 1 },
      exited: { order_placed: 1 },
      converted: 1,
      revenue: { INR: 1200 },
    });
    const reminder1 = stats.steps.find((s: { stepId: string }) => s.stepId === 'reminder_1');
    expect(reminder1).toMatchObject({ entered: 1, sent: 1, converted: 1, revenue: { INR: 1200 } });
    expect(stats.steps.find((s: { stepId: string }) => s.stepId === 'wait_24h')).toMatchObject({
      entered: 1,
      outcomes: { exited: 1 },
    });
  });

  it('emptying the cart or starting checkout ends it before the first reminder', async () => {
    const as = await j.store('cart_abandonment');
    const emptied = await j.shopper(as);
    const checkout = await j.shopper(as);
    await j.event(as, 'add_to_cart', emptied.customerId);
    await j.event(as, 'add_to_cart', checkout.customerId);
    await j.pass(30 * MINUTE);
    const removal = seedEvent('remove_from_cart').event_data as Record<string, unknown>;
    await j.event(as, 'remove_from_cart', emptied.customerId, {
      event_data: { ...removal, line_items: [], empty_cart: true },
    });
    const res = await h.post(
      '/v1/events',
      {
        event_id: `checkout-${checkout.customerId}`,
        event_name: 'checkout_started',
        timestamp: new Date(clock.now()).toISOString(),
        customer: { customer_id: checkout.customerId },
        event_data: {},
      },
      as,
    );
    expect(res.statusCode, res.body).toBe(202);
    await j.pass(4 * 24 * HOUR);
    expect(await j.sent(as, 'cart_abandonment')).toHaveLength(0);
    expect((await j.runs(as, 'cart_abandonment', emptied.contactId))[0]).toMatchObject({
      status: 'exited',
      exitReason: 'cart_emptied',
    });
    expect((await j.runs(as, 'cart_abandonment', checkout.contactId))[0]).toMatchObject({
      status: 'exited',
      exitReason: 'event:checkout_started',
    });
  });

  it('a disabled journey takes no one; a shopper without marketing consent is skipped with the reason', async () => {
    const as = await j.store('cart_abandonment');
    const noConsent = await j.shopper(as, { whatsapp_status: 'INACTIVE' });
    await j.event(as, 'add_to_cart', noConsent.customerId);
    await j.pass(2 * HOUR);
    const [run] = await j.runs(as, 'cart_abandonment', noConsent.contactId);
    const detail = await j.run(as, run.id);
    expect(detail.steps.find((s: { stepId: string }) => s.stepId === 'reminder_1')).toMatchObject({
      outcome: 'not_sent',
      detail: 'NO_CONSENT',
    });

    expect((await h.post('/v1/journeys/cart_abandonment/disable', {}, as)).json()).toMatchObject({ enabled: false });
    const later = await j.shopper(as);
    await j.event(as, 'add_to_cart', later.customerId);
    await j.pass(2 * HOUR);
    expect(await j.runs(as, 'cart_abandonment', later.contactId)).toEqual([]);
  });
});

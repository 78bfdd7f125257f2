import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { iso, orderConfirmation, runLoop, sendApi } from '../support/send-helpers.js';

/** docs/channels.md: the sandbox's outcomes by the ending of the recipient's number. */
describeEachDatabase(
  'the sandbox: failures, throughput retries and a suspended sender, as the API shows them',
  (target) => {
    const clock = new ManualClock();
    const h = useHarness(target, { clock });
    const api = sendApi(h);

    /** A sandbox store with a shopper of this phone, an order and the order confirmation template. */
    const storeWithShoppers = async (...phones: string[]) => {
      const shop = await api.sandboxStore();
      await api.putTemplate('order_confirmation', orderConfirmation, shop);
      for (const [i, phone] of phones.entries()) {
        await api.shopper(shop, { customer_id: `shopper-${i}`, name: `Shopper ${i}`, phone });
        await api.order(shop, `ORD-${i}`, `shopper-${i}`);
      }
      return shop;
    };
    const confirm = (shop: Awaited<ReturnType<typeof storeWithShoppers>>, i: number, campaign = 'outcomes') =>
      api.queued(
        { to: { customer_id: `shopper-${i}` }, template: 'order_confirmation', orderId: `ORD-${i}`, campaign },
        shop,
      );
    const channels = async (shop: Awaited<ReturnType<typeof storeWithShoppers>>) =>
      (await h.get('/v1/channels', shop)).json().channels;

    it('…0000: accepted, then failed with 131026; the stats name the reason', async () => {
      const shop = await storeWithShoppers('+919811110000');
      const queued = await confirm(shop, 0);
      const sentAt = clock.now();
      await runLoop(h, clock);
      expect(await api.message(queued.id, shop)).toMatchObject({ status: 'sent', sentAt: iso(sentAt), error: null });

      await runLoop(h, clock, 1_000);
      const failed = await api.message(queued.id, shop);
      expect(failed).toMatchObject({
        status: 'failed',
        sentAt: iso(sentAt),
        failedAt: iso(sentAt + 1_000),
        deliveredAt: null,
        readAt: null,
      });
      expect(failed.error).toEqual({ code: '131026', reason: expect.stringContaining('Message undeliverable') });
      expect(failed.statusHistory).toEqual([
        { status: 'queued', at: queued.createdAt },
        { status: 'sent', at: iso(sentAt) },
        { status: 'failed', at: iso(sentAt + 1_000), detail: expect.stringContaining('131026') },
      ]);
      // Nothing later moves it back.
      await runLoop(h, clock, 5_000);
      expect((await api.message(queued.id, shop)).status).toBe('failed');

      expect(await api.stats('campaign=outcomes', shop)).toEqual({
        campaign: 'outcomes',
        total: 1,
        queued: 0,
        sent: 1,
        delivered: 0,
        read: 0,
        failed: 1,
        replied: 0,
        possiblyDuplicated: 0,
        failureReasons: [{ code: '131026', reason: failed.error.reason, count: 1 }],
      });
      expect(
        (await h.get('/v1/messages?status=failed', shop)).json().messages.map((m: { id: string }) => m.id),
      ).toEqual([queued.id]);
    });

    it('…0429: refused once with 130429, retried after a backoff of at least a second, then delivered and read', async () => {
      const shop = await storeWithShoppers('+919811110429');
      const queued = await confirm(shop, 0);
      const firstTry = clock.now();
      await runLoop(h, clock);
      const waiting = await api.message(queued.id, shop);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1, sentAt: null, providerMessageId: null });
      expect(waiting.error).toEqual({ code: '130429', reason: expect.stringContaining('throughput') });
      const retryAt = Date.parse(waiting.nextAttemptAt);
      expect(retryAt - firstTry).toBeGreaterThanOrEqual(1_000);
      expect(retryAt - firstTry).toBeLessThanOrEqual(1_200);

      // Not before its time: no hot loop.
      await runLoop(h, clock, 500);
      expect(await api.message(queued.id, shop)).toMatchObject({ status: 'queued', attempts: 1 });

      clock.set(retryAt);
      await runLoop(h, clock);
      expect(await api.message(queued.id, shop)).toMatchObject({ status: 'sent', attempts: 2, sentAt: iso(retryAt) });
      await runLoop(h, clock, 1_000, 2_000);
      const read = await api.message(queued.id, shop);
      expect(read).toMatchObject({
        status: 'read',
        attempts: 2,
        sentAt: iso(retryAt),
        deliveredAt: iso(retryAt + 1_000),
        readAt: iso(retryAt + 3_000),
        failedAt: null,
      });
      expect(read.statusHistory.map((s: { status: string }) => s.status)).toEqual([
        'queued',
        'sent',
        'delivered',
        'read',
      ]);
      expect(await api.stats('campaign=outcomes', shop)).toMatchObject({
        total: 1,
        sent: 1,
        delivered: 1,
        read: 1,
        failed: 0,
        failureReasons: [],
      });
    });

    it('…0190: the sandbox sender is suspended and every message waits; PUT /v1/channels/sandbox reactivates it and they go', async () => {
      const shop = await storeWithShoppers('+919811110190', '+919811112345');
      const expired = await confirm(shop, 0);
      await runLoop(h, clock);

      const suspended = (await channels(shop)).find((c: { channel: string }) => c.channel === 'sandbox');
      expect(suspended).toMatchObject({
        channel: 'sandbox',
        accountId: `sandbox:${shop.store.id}`,
        status: 'suspended',
        statusReason: expect.stringContaining('190'),
      });
      const kept = await api.message(expired.id, shop);
      expect(kept).toMatchObject({
        status: 'queued',
        attempts: 0,
        sentAt: null,
        failedAt: null,
        error: { code: '190' },
      });

      // A message to a reachable shopper waits too while the sender is suspended.
      const waiting = await confirm(shop, 1);
      await runLoop(h, clock, 1_000, 60_000);
      expect(await api.message(waiting.id, shop)).toMatchObject({
        status: 'queued',
        sentAt: null,
        attempts: 0,
        error: { code: 'SENDER_SUSPENDED' },
      });
      expect(await api.message(expired.id, shop)).toMatchObject({ status: 'queued', sentAt: null, attempts: 0 });

      const reactivated = await h.call('PUT', '/v1/channels/sandbox', undefined, { as: shop });
      expect(reactivated.statusCode, reactivated.body).toBe(200);
      expect(reactivated.json()).toMatchObject({ status: 'active', statusReason: null });
      expect((await channels(shop))[0]).toMatchObject({ channel: 'sandbox', status: 'active', statusReason: null });

      // Replacing the credentials releases the waiting messages: they go at the next round.
      await runLoop(h, clock);
      const gone = await api.message(waiting.id, shop);
      expect(gone).toMatchObject({
        status: 'sent',
        attempts: 1,
        providerMessageId: expect.stringMatching(/^wamid\.SANDBOX/),
      });
      await runLoop(h, clock, 3_000);
      expect((await api.message(waiting.id, shop)).status).toBe('read');
      // The number ending in 0190 is refused again: it stays queued, never failed, never sent.
      expect(await api.message(expired.id, shop)).toMatchObject({ status: 'queued', sentAt: null, failedAt: null });
    });

    it('…0400: refused with 132001 at send: failed at once with the reason, never sent, not retried', async () => {
      const shop = await storeWithShoppers('+919811110400');
      const queued = await confirm(shop, 0, 'unknown-template');
      const at = clock.now();
      await runLoop(h, clock, 2_000, 60_000);
      const failed = await api.message(queued.id, shop);
      expect(failed).toMatchObject({
        status: 'failed',
        attempts: 1,
        sentAt: null,
        providerMessageId: null,
        failedAt: iso(at),
      });
      expect(failed.error).toEqual({ code: '132001', reason: expect.stringContaining('template name does not exist') });
      expect(await api.stats('campaign=unknown-template', shop)).toMatchObject({
        total: 1,
        sent: 0,
        failed: 1,
        failureReasons: [{ code: '132001', reason: failed.error.reason, count: 1 }],
      });
    });
  },
);

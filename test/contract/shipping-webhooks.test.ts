import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { fixtureText } from '../support/shopify.js';

type Json = Record<string, any>;

/** Shiprocket's published tracking webhook sample, byte for byte. */
const SAMPLE = fixtureText('shipping/shiprocket_tracking_webhook.sample.json');
const SAMPLE_ORDER = '1373900_150876814';
const PATH = '/v1/shipping/tracking-webhook';

describeEachDatabase('shipping partner webhook (Shiprocket)', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  let token = '';

  const send = (body: string | object, key: string | null = token) =>
    h.call('POST', PATH, typeof body === 'string' ? body : JSON.stringify(body), {
      as: null,
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'x-api-key': key }) },
    });
  const timeline = async (orderId: string) => {
    const read = await h.get(`/v1/orders/${orderId}`);
    expect(read.statusCode).toBe(200);
    return read.json().items[0] as Json;
  };
  /** The sample with another status, time and AWB. */
  const update = (awb: string, orderId: string, code: number, label: string, at: string, extra: Json = {}) => ({
    ...fixture('shipping/shiprocket_tracking_webhook.sample.json'),
    awb,
    order_id: orderId,
    shipment_status_id: code,
    shipment_status: label,
    current_status: label,
    current_timestamp: at,
    scans: [
      {
        date: at.replace(/^(\d{2}) (\d{2}) (\d{4})/, '$3-$2-$1'),
        status: 'X',
        activity: `${label} scan`,
        location: 'Mumbai Hub',
        'sr-status': String(code),
        'sr-status-label': label,
      },
    ],
    ...extra,
  });

  async function createOrder(orderId: string) {
    const res = await h.post('/v1/generate-event', {
      eventTypeKey: 'orderCreated',
      params: [
        { name: 'externalOrderId', value: orderId },
        { name: 'phone', value: '+919876543210' },
        { name: 'totalCost', value: 500 },
        { name: 'status', value: 'INITIALIZED' },
        { name: 'date', value: '2023-05-18 10:00:00' },
        { name: 'currency', value: 'INR' },
        {
          name: 'items',
          value: [
            {
              externalItemId: `${orderId}-1`,
              name: 'Tea',
              quantity: 1,
              cost: 500,
              url: 'https://s.example/p',
              imageUrl: 'https://s.example/i.png',
            },
          ],
        },
      ],
    });
    expect(res.statusCode).toBe(200);
  }

  it('gives the store a token with PUT, shown once; the webhook path names no forbidden word', async () => {
    const res = await h.call('PUT', `/v1/stores/${h.shop.store.id}/connectors/shiprocket`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ connector: 'shiprocket', webhookUrl: PATH, tokenHeader: 'x-api-key' });
    expect(body.token).toMatch(/^sw_ship_/);
    token = body.token;
    // Shiprocket refuses callback URLs containing "shiprocket", "kartrocket", "sr" or "kr".
    expect(PATH).not.toMatch(/shiprocket|kartrocket|sr|kr/i);
    const shown = await h.get(`/v1/stores/${h.shop.store.id}/connectors/shiprocket`);
    expect(shown.json()).toMatchObject({ connector: 'shiprocket', ignored: [] });
    expect(JSON.stringify(shown.json())).not.toContain(token);
  });

  it('refuses a missing or wrong token with 401 and stores nothing', async () => {
    await createOrder(SAMPLE_ORDER);
    for (const key of [null, '', 'sw_ship_wrong']) {
      const res = await send(SAMPLE, key);
      expect(res.statusCode, String(key)).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
    expect((await timeline(SAMPLE_ORDER)).forwardTrackingTimeline.statusLog).toEqual([]);
  });

  it("puts Shiprocket's sample on the order's timeline; a redelivery is a duplicate", async () => {
    const res = await send(SAMPLE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 0, ignored: [] });
    const item = await timeline(SAMPLE_ORDER);
    expect(item).toMatchObject({
      shipmentId: '19041424751540',
      latestStatus: 'in_transit',
      latestRemark: 'In Transit - Shipment Received at Facility',
    });
    expect(item.forwardTrackingTimeline).toMatchObject({
      courierName: 'Delhivery Surface',
      trackingID: '19041424751540',
    });
    // "23 05 2023 11:43:52" is India's time; the store's zone is Asia/Kolkata too.
    expect(item.forwardTrackingTimeline.statusLog).toEqual([
      {
        status: 'in_transit',
        updatedAt: '2023-05-23 11:43:52',
        remark: 'In Transit - Shipment Received at Facility',
        location: 'Mumbai_MiraRdIndEstate_I (Maharashtra)',
      },
    ]);
    const again = await send(SAMPLE);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const contact = (await h.get('/v1/contacts?phone=%2B919876543210')).json().contacts[0];
    const detail = (await h.get(`/v1/contacts/${contact.id}`)).json();
    expect(detail.recentEvents[0]).toMatchObject({
      name: 'shipment_update',
      subName: 'in_transit',
      source: 'shiprocket',
    });
  });

  it('maps NDR and RTO onto the timeline, offering the NDR actions; a late update does not take it back', async () => {
    await createOrder('SR-2');
    const steps = [
      update('AWB2', 'SR-2', 17, 'OUT FOR DELIVERY', '24 05 2023 09:00:00'),
      update('AWB2', 'SR-2', 21, 'UNDELIVERED', '24 05 2023 18:00:00'),
    ];
    for (const step of steps) expect((await send(step)).json().accepted).toBe(1);
    let item = await timeline('SR-2');
    expect(item.latestStatus).toBe('failed_delivery');
    expect(item.ndrDetails).toMatchObject({
      reason: 'UNDELIVERED scan',
      resolutions: [{ resolutionCode: 're-attempt' }, { resolutionCode: 'return' }],
    });

    expect((await send(update('AWB2', 'SR-2', 9, 'RTO INITIATED', '26 05 2023 10:00:00'))).json().accepted).toBe(1);
    expect((await send(update('AWB2', 'SR-2', 46, 'RTO IN INTRANSIT', '27 05 2023 10:00:00'))).json().accepted).toBe(1);
    // An in-transit scan from before the failure arrives last.
    expect((await send(update('AWB2', 'SR-2', 18, 'IN TRANSIT', '23 05 2023 20:00:00'))).json().accepted).toBe(1);
    item = await timeline('SR-2');
    expect(item.latestStatus).toBe('rto_in_transit');
    expect(item.forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual([
      'in_transit',
      'out_for_delivery',
      'failed_delivery',
      'rto_initiated',
      'rto_in_transit',
    ]);
  });

  it('marks the order delivered when the shipment is', async () => {
    await createOrder('SR-6');
    const res = await send(update('AWB6', 'SR-6', 7, 'DELIVERED', '25 05 2023 12:00:00'));
    expect(res.json()).toMatchObject({ accepted: 2, ignored: [] });
    const o = (await h.get('/v1/orders/SR-6')).json();
    expect([o.status, o.items[0].latestStatus]).toEqual(['DELIVERED', 'delivered']);
    // For an order Storewire does not have, the shipment is kept and the order part is ignored.
    const orphan = await send(update('AWB7', 'SR-7', 7, 'DELIVERED', '25 05 2023 12:00:00'));
    expect(orphan.json()).toMatchObject({
      accepted: 1,
      ignored: [expect.objectContaining({ code: 'ORDER_NOT_FOUND' })],
    });
  });

  it('reads a customer return as the return leg, never as the order delivered', async () => {
    await createOrder('SR-3');
    expect(
      (await send(update('RET3', 'SR-3', 7, 'DELIVERED', '28 05 2023 10:00:00', { is_return: 1 }))).json().accepted,
    ).toBe(1);
    const o = (await h.get('/v1/orders/SR-3')).json();
    expect(o.status).toBe('INITIALIZED');
    expect(o.items[0].forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual(['rto_delivered']);
  });

  it('keeps a shipment for an order that has not arrived yet, and shows it once it does', async () => {
    expect((await send(update('AWB4', 'SR-4', 6, 'SHIPPED', '20 05 2023 10:00:00'))).json().accepted).toBe(1);
    expect((await h.get('/v1/orders/SR-4')).statusCode).toBe(404);
    await createOrder('SR-4');
    expect((await timeline('SR-4')).latestStatus).toBe('shipped');
  });

  it('answers 200 to a status it does not map and counts it; 400 to a body that is no tracking update', async () => {
    const unknown = await send(update('AWB5', 'SR-5', 16, 'CANCELLATION REQUESTED', '20 05 2023 10:00:00'));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.json()).toMatchObject({
      accepted: 0,
      ignored: [expect.objectContaining({ code: 'UNKNOWN_STATUS' })],
    });
    const ignored = (await h.get(`/v1/stores/${h.shop.store.id}/connectors/shiprocket`)).json().ignored;
    expect(ignored).toEqual([
      expect.objectContaining({ reason: 'UNKNOWN_STATUS', count: 1, topic: 'status 16 CANCELLATION REQUESTED' }),
    ]);

    const noAwb = await send({ order_id: 'SR-5', current_status: 'IN TRANSIT' });
    expect(noAwb.statusCode).toBe(400);
    expect(noAwb.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const noTime = await send(update('AWB5', 'SR-5', 18, 'IN TRANSIT', 'soon', { scans: [] }));
    expect([noTime.statusCode, noTime.json().error.code]).toEqual([400, 'INVALID_TIMESTAMP']);
    expect([(await send('{"awb":')).statusCode, (await send('{"awb":')).json().error.code]).toEqual([
      400,
      'INVALID_JSON',
    ]);
  });

  it('a new token replaces the old one at once', async () => {
    const old = token;
    token = (await h.call('PUT', `/v1/stores/${h.shop.store.id}/connectors/shiprocket`)).json().token;
    expect(token).not.toBe(old);
    expect((await send(SAMPLE, old)).statusCode).toBe(401);
    expect((await send(SAMPLE, token)).statusCode).toBe(200);
  });
});

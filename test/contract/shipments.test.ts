import { expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';

/** Seed 004's example order; its first item carries the shipment timeline this suite rebuilds. */
const seed = fixture('seeds/004_order_read_response.json');
const seedTimeline = seed.items[0].forwardTrackingTimeline;
const seedNdr = seed.items[0].ndrDetails;
const SEED_SHIPMENT = seed.items[0].shipmentId as string; // "11204761"

type Json = Record<string, any>;

/** Seed 004's four status updates as POST /v1/shipments/events items, keyed by status. */
function seedUpdates(orderId: string, shipmentId = SEED_SHIPMENT): Record<string, Json> {
  const updates: Record<string, Json> = {};
  for (const entry of seedTimeline.statusLog) {
    updates[entry.status] = {
      shipmentId,
      orderId,
      status: entry.status,
      updatedAt: entry.updatedAt,
      trackingId: seedTimeline.trackingID,
      courierName: seedTimeline.courierName,
      remark: entry.remark,
      location: entry.location,
      ...(entry.status === 'failed_delivery' ? { ndrDetails: seedNdr } : {}),
    };
  }
  return updates;
}

const item = (id: string, cost: number) => ({
  externalItemId: id,
  name: `Roasted Makhanas ${id}`,
  quantity: 1,
  cost,
  url: `https://shop.example/p/${id}`,
  imageUrl: seed.items[0].productImageUrl,
});

describeEachDatabase('shipment events (seed 004 timelines)', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });

  /** orderCreated through seed 003's API, with two items and seed 004's COD params. */
  async function createOrder(orderId: string, customerId: string, itemIds = [`${orderId}-1`, `${orderId}-2`]) {
    const res = await h.post('/v1/generate-event', {
      eventTypeKey: 'orderCreated',
      params: [
        { name: 'externalOrderId', value: orderId },
        { name: 'externalCustomerId', value: customerId },
        { name: 'totalCost', value: 1000 },
        { name: 'status', value: 'INITIALIZED' },
        { name: 'date', value: '2023-12-19 14:52:09' },
        { name: 'currency', value: 'INR' },
        { name: 'paymentType', value: 'COD' },
        { name: 'shippingAddress', value: seed.shippingAddress },
        { name: 'items', value: itemIds.map((id) => item(id, 500)) },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', orderId });
  }

  const ship = (body: unknown) => h.post('/v1/shipments/events', body);
  const readOrder = async (orderId: string) => {
    const res = await h.get(`/v1/orders/${orderId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it("rebuilds seed 004's timeline from updates sent out of order and resent", async () => {
    await createOrder('SH-1', 'ship-shopper-1');
    const u = seedUpdates('SH-1');
    const first = await ship([u.failed_delivery, u.created]);
    expect([first.statusCode, first.json()]).toEqual([202, { accepted: 2, duplicates: 0, rejected: [], warnings: [] }]);
    const second = await ship({ events: [u.out_for_delivery, u.packed, u.created] });
    expect([second.statusCode, second.json()]).toEqual([
      202,
      { accepted: 2, duplicates: 1, rejected: [], warnings: [] },
    ]);

    const order = await readOrder('SH-1');
    expect(order.paymentType).toBe('COD');
    expect(order.isCOD).toBe(1);
    expect(order.shippingAddress).toEqual(seed.shippingAddress);
    expect(order.externalShipmentIds).toEqual([seedTimeline.trackingID]);
    expect(order.items).toHaveLength(2);
    for (const [index, line] of order.items.entries()) {
      expect(line).toMatchObject({
        orderItemID: `SH-1-${index + 1}`,
        lineItemSequenceNumber: index + 1,
        shipmentId: SEED_SHIPMENT,
        latestStatus: 'failed_delivery',
        statusUpdatedAt: '2023-12-21 11:17:51',
        latestRemark: 'manual update - failed delivery',
        timeLine: 'forwardTrackingTimeline',
      });
      // The seed's own timeline and NDR block, entry for entry, in time order.
      expect(line.forwardTrackingTimeline).toEqual(seedTimeline);
      expect(line.ndrDetails).toEqual(seedNdr);
    }
  });

  it('moves on when a newer update arrives, files a late one in place, and drops the NDR once delivered', async () => {
    await createOrder('SH-2', 'ship-shopper-2');
    const u = seedUpdates('SH-2', 'SHP-2');
    expect((await ship(Object.values(u))).json()).toMatchObject({ accepted: 4 });
    const delivered = {
      ...u.created,
      status: 'delivered',
      updatedAt: '2023-12-22 10:05:00',
      remark: 'delivered to customer',
      location: 'New Delhi',
    };
    expect((await ship(delivered)).json()).toMatchObject({ accepted: 1 });
    // A carrier's in_transit scan from before out_for_delivery turns up after the delivery.
    const late = { ...u.created, status: 'in_transit', updatedAt: '2023-12-20T09:00:00+05:30', remark: 'reached hub' };
    expect((await ship(late)).json()).toMatchObject({ accepted: 1 });

    const [line] = (await readOrder('SH-2')).items;
    expect(line).toMatchObject({
      latestStatus: 'delivered',
      statusUpdatedAt: '2023-12-22 10:05:00',
      latestRemark: 'delivered to customer',
    });
    expect(line.ndrDetails).toEqual({});
    expect(line.forwardTrackingTimeline.statusLog.map((e: Json) => [e.status, e.updatedAt])).toEqual([
      ['created', '2023-12-19 14:52:17'],
      ['packed', '2023-12-19 18:58:39'],
      ['in_transit', '2023-12-20 09:00:00'],
      ['out_for_delivery', '2023-12-21 11:15:20'],
      ['failed_delivery', '2023-12-21 11:17:51'],
      ['delivered', '2023-12-22 10:05:00'],
    ]);
    expect(line.forwardTrackingTimeline.statusLog.at(-1)).toEqual({
      remark: 'delivered to customer',
      location: 'New Delhi',
      status: 'delivered',
      updatedAt: '2023-12-22 10:05:00',
    });
  });

  it('records the return to origin after a failed delivery', async () => {
    await createOrder('SH-3', 'ship-shopper-3');
    const u = seedUpdates('SH-3', 'SHP-3');
    const rto = (status: string, updatedAt: string) => ({ ...u.created, status, updatedAt, remark: status });
    const res = await ship([
      rto('rto_delivered', '2023-12-26 12:00:00'),
      u.failed_delivery,
      rto('rto_initiated', '2023-12-22 09:00:00'),
      rto('rto_in_transit', '2023-12-23 09:00:00'),
    ]);
    expect(res.json()).toMatchObject({ accepted: 4, rejected: [] });
    const [line] = (await readOrder('SH-3')).items;
    expect(line).toMatchObject({ latestStatus: 'rto_delivered', statusUpdatedAt: '2023-12-26 12:00:00' });
    expect(line.ndrDetails).toEqual({});
    expect(line.forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual([
      'failed_delivery',
      'rto_initiated',
      'rto_in_transit',
      'rto_delivered',
    ]);
  });

  it('offers the NDR of the latest failed attempt, whatever the arrival order; ids may be numbers', async () => {
    await createOrder('30328900', 'ship-shopper-11', ['30328909', '30328910']);
    const base = { shipmentId: 11204799, orderId: 30328900, itemIds: [30328909, 30328910] };
    const firstNdr = { ndrCode: 1, reason: 'Customer not available', resolutions: [seedNdr.resolutions[0]] };
    const res = await ship([
      { ...base, status: 'failed_delivery', updatedAt: '2023-12-22 18:00:00', ndrDetails: seedNdr },
      { ...base, status: 'out_for_delivery', updatedAt: '2023-12-22 09:00:00' },
      { ...base, status: 'failed_delivery', updatedAt: '2023-12-21 18:00:00', ndr: firstNdr },
      { ...base, status: 'failed_delivery', updatedAt: '2023-12-22 18:00:00', ndrDetails: seedNdr },
    ]);
    expect(res.json()).toMatchObject({ accepted: 3, duplicates: 1 });
    const order = await readOrder('30328900');
    for (const line of order.items) {
      expect(line).toMatchObject({
        shipmentId: '11204799',
        latestStatus: 'failed_delivery',
        statusUpdatedAt: '2023-12-22 18:00:00',
        ndrDetails: seedNdr,
      });
    }
    // A late scan from before the second attempt changes nothing: that attempt is still on offer.
    await ship({ ...base, status: 'out_for_delivery', updatedAt: '2023-12-21 09:00:00' });
    expect((await readOrder('30328900')).items[0].ndrDetails).toEqual(seedNdr);
    // A third attempt with its own reason replaces it; ndrCode is always text, as in the seed.
    await ship({ ...base, status: 'failed_delivery', updatedAt: '2023-12-23 18:00:00', ndr: firstNdr });
    expect((await readOrder('30328900')).items[0].ndrDetails).toEqual({ ...firstNdr, ndrCode: '1' });
  });

  it("shows times on the wall clock of the store's own time zone", async () => {
    const us = await h.newStore({ name: 'US Shop', defaultCountry: 'US', timeZone: 'America/New_York' });
    const order = await h.call(
      'POST',
      '/v1/generate-event',
      {
        eventTypeKey: 'orderCreated',
        params: [
          { name: 'externalOrderId', value: 'US-1' },
          { name: 'email', value: 'ny@example.com' },
          { name: 'totalCost', value: 500 },
          { name: 'status', value: 'INITIALIZED' },
          { name: 'date', value: '2023-12-19T10:00:00Z' },
          { name: 'items', value: [item('US-1-a', 500)] },
        ],
      },
      { as: us },
    );
    expect(order.json()).toMatchObject({ status: 'accepted' });
    const base = { shipmentId: 'US-S1', orderId: 'US-1' };
    await h.post(
      '/v1/shipments/events',
      [
        { ...base, status: 'created', updatedAt: '2023-12-19 14:52:17' },
        { ...base, status: 'shipped', updatedAt: '2023-12-21T11:17:51+05:30' },
      ],
      us,
    );
    const read = (await h.get('/v1/orders/US-1', us)).json();
    expect(read.orderDate).toBe('2023-12-19 05:00:00');
    expect(read.items[0].forwardTrackingTimeline.statusLog.map((e: Json) => e.updatedAt)).toEqual([
      '2023-12-19 14:52:17',
      '2023-12-21 00:47:51',
    ]);
  });

  it("keeps an update with a customer block naming someone new on the order's shopper", async () => {
    await createOrder('SH-12', 'ship-shopper-12');
    const res = await ship({
      shipmentId: 'S12',
      orderId: 'SH-12',
      status: 'shipped',
      updatedAt: '2023-12-20 10:00:00',
      customer: { email: 'courier-copy@example.com' },
    });
    expect(res.json()).toMatchObject({ accepted: 1 });
    const recent = (await h.get('/v1/customers/ship-shopper-12/recent-events')).json().recent_events;
    expect(recent[0]).toEqual({
      event_name: 'shipment_update',
      sub_event_name: 'shipped',
      timestamp: '2023-12-20 10:00:00',
    });
  });

  it('gives each item the timeline of the shipment that lists it, else of the whole-order shipment', async () => {
    await createOrder('SH-4', 'ship-shopper-4', ['SH-4-a', 'SH-4-b']);
    const base = { orderId: 'SH-4', courierName: 'Delhivery' };
    expect(
      (
        await ship({
          ...base,
          shipmentId: 'S4-a',
          itemIds: ['SH-4-a'],
          trackingId: 'AWB-A',
          status: 'shipped',
          updatedAt: '2023-12-20 10:00:00',
        })
      ).statusCode,
    ).toBe(202);
    clock.advance(1000);
    expect(
      (
        await ship({
          ...base,
          shipmentId: 'S4-b',
          itemIds: ['SH-4-b'],
          trackingId: 'AWB-B',
          status: 'delivered',
          updatedAt: '2023-12-21 10:00:00',
        })
      ).statusCode,
    ).toBe(202);
    // A later update may leave itemIds out: the shipment keeps the items it named.
    expect(
      (await ship({ ...base, shipmentId: 'S4-a', status: 'in_transit', updatedAt: '2023-12-20 18:00:00' })).statusCode,
    ).toBe(202);

    let order = await readOrder('SH-4');
    expect(order.externalShipmentIds).toEqual(['AWB-A', 'AWB-B']);
    expect(
      order.items.map((i: Json) => [i.orderItemID, i.shipmentId, i.latestStatus, i.forwardTrackingTimeline.trackingID]),
    ).toEqual([
      ['SH-4-a', 'S4-a', 'in_transit', 'AWB-A'],
      ['SH-4-b', 'S4-b', 'delivered', 'AWB-B'],
    ]);
    expect(order.items[0].forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual([
      'shipped',
      'in_transit',
    ]);

    await createOrder('SH-5', 'ship-shopper-5', ['SH-5-a', 'SH-5-b']);
    await ship({ orderId: 'SH-5', shipmentId: 'S5-all', status: 'packed', updatedAt: '2023-12-20 10:00:00' });
    await ship({
      orderId: 'SH-5',
      shipmentId: 'S5-b',
      itemIds: ['SH-5-b'],
      status: 'shipped',
      updatedAt: '2023-12-20 11:00:00',
    });
    order = await readOrder('SH-5');
    expect(order.items.map((i: Json) => [i.orderItemID, i.shipmentId, i.latestStatus])).toEqual([
      ['SH-5-a', 'S5-all', 'packed'],
      ['SH-5-b', 'S5-b', 'shipped'],
    ]);
    // Without a tracking id, the shipment is listed by its own id.
    expect([...order.externalShipmentIds].sort()).toEqual(['S5-all', 'S5-b']);
  });

  it('takes one update, an array or an envelope, with ISO, local and epoch times', async () => {
    await createOrder('SH-6', 'ship-shopper-6');
    const base = { shipmentId: 'S6', orderId: 'SH-6' };
    const single = await ship({ ...base, status: 'created', updatedAt: '2023-12-19T09:22:17Z' });
    expect([single.statusCode, single.json()]).toEqual([
      202,
      { accepted: 1, duplicates: 0, rejected: [], warnings: [] },
    ]);
    const array = await ship([{ ...base, status: 'packed', updatedAt: 1703000000 }]);
    expect(array.json()).toMatchObject({ accepted: 1 });
    const envelope = await ship({
      events: [{ ...base, status: 'shipped', updatedAt: 1703100000000, eventId: 'S6-shipped' }],
    });
    expect(envelope.json()).toMatchObject({ accepted: 1 });
    // An explicit eventId is the idempotency key, even with other content.
    const replay = await ship({ ...base, status: 'shipped', updatedAt: '2023-12-21 00:00:00', eventId: 'S6-shipped' });
    expect(replay.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const [line] = (await readOrder('SH-6')).items;
    expect(line.forwardTrackingTimeline.statusLog.map((e: Json) => [e.status, e.updatedAt])).toEqual([
      ['created', '2023-12-19 14:52:17'],
      ['packed', '2023-12-19 21:03:20'],
      ['shipped', '2023-12-21 00:50:00'],
    ]);
  });

  it('refuses a bad status or time with the field path, and stores the rest of a batch', async () => {
    await createOrder('SH-7', 'ship-shopper-7');
    const good = { shipmentId: 'S7', orderId: 'SH-7', status: 'created', updatedAt: '2023-12-19 15:00:00' };
    const badStatus = await ship({ ...good, status: 'lost_in_space' });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { path: '/status' } });
    for (const updatedAt of ['yesterday', '2023-12-32 10:00:00', '2023-12-19 25:00:00', '']) {
      const res = await ship({ ...good, updatedAt });
      expect(res.statusCode, updatedAt).toBe(400);
      expect(res.json().error.details.path, updatedAt).toBe('/updatedAt');
    }
    const badTime = await ship({ ...good, updatedAt: '2023-13-01 10:00:00' });
    expect(badTime.json().error).toMatchObject({ code: 'INVALID_TIMESTAMP', details: { path: '/updatedAt' } });

    const batch = await ship([
      good,
      { ...good, status: 'teleported' },
      { ...good, status: 'packed', updatedAt: 'soon' },
      { ...good, status: 'shipped', updatedAt: '2023-12-20 09:00:00' },
    ]);
    expect(batch.statusCode).toBe(202);
    const body = batch.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: Json) => [r.index, r.error.code, r.error.path])).toEqual([
      [1, 'VALIDATION_FAILED', '/status'],
      [2, 'INVALID_TIMESTAMP', '/updatedAt'],
    ]);
    const [line] = (await readOrder('SH-7')).items;
    expect(line.forwardTrackingTimeline.statusLog.map((e: Json) => e.status)).toEqual(['created', 'shipped']);
    // Ids of only spaces name nothing: refused like any other bad field, and the batch goes on.
    for (const [field, status] of [
      ['shipmentId', 'in_transit'],
      ['orderId', 'out_for_delivery'],
    ]) {
      const blank = await ship([
        { ...good, status, updatedAt: '2023-12-20 10:00:00' },
        { ...good, status: 'delivered', [field!]: '   ' },
      ]);
      expect([blank.statusCode, blank.json().accepted, blank.json().rejected], field).toEqual([
        202,
        1,
        [{ index: 1, error: { code: 'VALIDATION_FAILED', message: expect.any(String), path: `/${field}` } }],
      ]);
    }
    const allBad = await ship([{ ...good, status: 'x' }, { shipmentId: 'S7' }]);
    expect([allBad.statusCode, allBad.json().error.code, allBad.json().error.details.rejected.length]).toEqual([
      400,
      'INVALID_EVENTS',
      2,
    ]);
    expect((await ship({ events: [] })).json().error.code).toBe('EMPTY_BATCH');
    expect((await ship('{"shipmentId":')).json().error.code).toBe('INVALID_JSON');
    const noKey = await h.call('POST', '/v1/shipments/events', good, { as: null });
    expect([noKey.statusCode, noKey.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('records a shipment for an order that does not exist yet and shows it once the order arrives', async () => {
    const u = seedUpdates('SH-8', 'S8');
    expect((await ship([u.created, u.packed])).json()).toMatchObject({ accepted: 2, rejected: [] });
    const missing = await h.get('/v1/orders/SH-8');
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'ORDER_NOT_FOUND']);

    await createOrder('SH-8', 'ship-shopper-8');
    const order = await readOrder('SH-8');
    expect(order.externalShipmentIds).toEqual([seedTimeline.trackingID]);
    expect(order.items[1]).toMatchObject({
      shipmentId: 'S8',
      latestStatus: 'packed',
      statusUpdatedAt: '2023-12-19 18:58:39',
    });
    expect(order.items[1].forwardTrackingTimeline.statusLog).toEqual(seedTimeline.statusLog.slice(0, 2));
  });

  it("keeps each store's shipments to itself", async () => {
    await createOrder('SH-9', 'ship-shopper-9');
    const other = await h.newStore({ name: 'Other Shop' });
    const res = await h.post(
      '/v1/shipments/events',
      { shipmentId: 'S9', orderId: 'SH-9', status: 'delivered', updatedAt: '2023-12-22 10:00:00' },
      other,
    );
    expect(res.statusCode).toBe(202);
    const order = await readOrder('SH-9');
    expect(order.externalShipmentIds).toEqual([]);
    expect(order.items[0]).toMatchObject({
      shipmentId: null,
      latestStatus: null,
      statusUpdatedAt: null,
      latestRemark: null,
    });
    expect(order.items[0].ndrDetails).toEqual({});
    expect(order.items[0].forwardTrackingTimeline).toEqual({ courierName: null, trackingID: null, statusLog: [] });
  });

  it("puts shipment updates in the order's contact's recent events, status as sub event", async () => {
    await createOrder('SH-10', 'ship-shopper-10');
    const u = seedUpdates('SH-10', 'S10');
    await ship([u.packed, u.failed_delivery, u.created, u.out_for_delivery]);
    const res = await h.get('/v1/customers/ship-shopper-10/recent-events?event_count=10');
    expect(res.statusCode).toBe(200);
    expect(res.json().recent_events).toEqual([
      { event_name: 'shipment_update', sub_event_name: 'failed_delivery', timestamp: '2023-12-21 11:17:51' },
      { event_name: 'shipment_update', sub_event_name: 'out_for_delivery', timestamp: '2023-12-21 11:15:20' },
      { event_name: 'shipment_update', sub_event_name: 'packed', timestamp: '2023-12-19 18:58:39' },
      { event_name: 'shipment_update', sub_event_name: 'created', timestamp: '2023-12-19 14:52:17' },
      expect.objectContaining({ event_name: 'order_created' }),
    ]);
    const contactId = (await h.get('/v1/contacts?customer_id=ship-shopper-10')).json().contacts[0].id;
    const contact = (await h.get(`/v1/contacts/${contactId}`)).json();
    expect(contact.recentEvents[0]).toMatchObject({
      name: 'shipment_update',
      subName: 'failed_delivery',
      source: 'shipment_api',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { adaptShiprocketTracking, shiprocketTime } from './tracking.js';
import { asReturn, shiprocketStatus } from './statuses.js';

const ctx = { storeId: 'st_1', defaultCountry: 'IN', timeZone: 'UTC' };

describe('shiprocketTime', () => {
  it("reads both of Shiprocket's formats as India's time, whatever the store's zone", () => {
    expect(shiprocketTime('23 05 2023 11:43:52')).toBe(Date.parse('2023-05-23T06:13:52Z'));
    expect(shiprocketTime('2023-05-23 11:43:46')).toBe(Date.parse('2023-05-23T06:13:46Z'));
    expect(shiprocketTime('NA')).toBeNull();
    expect(shiprocketTime(null)).toBeNull();
  });
});

describe('shiprocketStatus', () => {
  it('prefers the code, and reads labels in any spelling', () => {
    expect(shiprocketStatus(18, 'DELIVERED')).toBe('in_transit');
    expect(shiprocketStatus('21', null)).toBe('failed_delivery');
    expect(shiprocketStatus(null, 'rto_ofd')).toBe('rto_in_transit');
    expect(shiprocketStatus(undefined, 'Out For Delivery')).toBe('out_for_delivery');
    expect(shiprocketStatus(16, 'CANCELLATION REQUESTED')).toBeNull();
  });

  it('reads a return leg as RTO statuses', () => {
    expect(asReturn('delivered')).toBe('rto_delivered');
    expect(asReturn('in_transit')).toBe('rto_in_transit');
    expect(asReturn('cancelled')).toBe('cancelled');
  });
});

describe('adaptShiprocketTracking', () => {
  it('dedupes on AWB, status and time, so a redelivery is the same event', () => {
    const body = {
      awb: 'A1',
      order_id: 'O1',
      shipment_status_id: 18,
      shipment_status: 'IN TRANSIT',
      current_timestamp: '23 05 2023 11:43:52',
    };
    const first = adaptShiprocketTracking(body, ctx);
    const second = adaptShiprocketTracking({ ...body }, ctx);
    if (first.kind !== 'events' || second.kind !== 'events') throw new Error('not events');
    expect(first.events[0]!.eventId).toBe(second.events[0]!.eventId);
    expect(first.events[0]!.shipment).toMatchObject({
      shipmentId: 'A1',
      orderId: 'O1',
      status: 'in_transit',
      trackingId: 'A1',
    });
  });
});

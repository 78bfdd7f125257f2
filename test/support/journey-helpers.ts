import { expect } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import type { ManualClock } from './clock.js';
import { seedEvent } from './fixtures.js';
import type { Harness } from './harness.js';

type Json = any;

/** Helpers for the journey suites: a sandbox store, shoppers, seed 001 events, and the virtual clock driving the scheduler. */
export function journeyKit(h: Harness, clock: ManualClock) {
  let shoppers = 0;
  const kit = {
    /** A store sending through the sandbox, with the ready-made journeys given enabled. */
    async store(...enable: string[]): Promise<StoreCredentials> {
      const as = await h.newStore({ name: `Journey Shop ${Date.now() % 100000}` });
      expect((await h.call('PUT', '/v1/channels/sandbox', undefined, { as })).statusCode).toBe(200);
      for (const id of enable) {
        const res = await h.post(`/v1/journeys/${id}/enable`, {}, as);
        expect(res.statusCode, res.body).toBe(200);
      }
      return as;
    },
    /** A shopper who agreed to WhatsApp marketing; returns their customer id and contact id. */
    async shopper(
      as: StoreCredentials,
      extra: Record<string, unknown> = {},
    ): Promise<{ customerId: string; contactId: string; phone: string }> {
      const n = ++shoppers;
      const customerId = `shopper-${n}`;
      const phone = `+9198200${String(n).padStart(5, '0')}`;
      const res = await h.post(
        '/v1/contacts',
        { customer_id: customerId, name: `Priya ${n}`, phone, whatsapp_status: 'ACTIVE', ...extra },
        as,
      );
      expect(res.statusCode, res.body).toBe(200);
      return { customerId, contactId: res.json().contacts[0].id, phone };
    },
    /** A seed 001 event from the shopper at the clock's time (or `at`). */
    async event(
      as: StoreCredentials,
      name: 'add_to_cart' | 'remove_from_cart' | 'product_view' | 'collection_view',
      customerId: string,
      overrides: Record<string, unknown> = {},
    ): Promise<void> {
      const body = seedEvent(name, {
        event_id: `${name}-${customerId}-${clock.now()}-${Math.random().toString(36).slice(2, 8)}`,
        customer: { customer_id: customerId },
        timestamp: new Date(clock.now()).toISOString(),
        ...overrides,
      });
      const res = await h.post('/v1/events', body, as);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json().accepted, res.body).toBe(1);
    },
    /** Seed 003 orderCreated from the shopper. */
    async order(
      as: StoreCredentials,
      orderId: string,
      customerId: string,
      extra: Record<string, unknown> = {},
    ): Promise<void> {
      const res = await h.post(
        '/v1/generate-event',
        {
          eventTypeKey: 'orderCreated',
          params: Object.entries({
            externalOrderId: orderId,
            externalCustomerId: customerId,
            totalCost: '1200.00',
            status: 'INITIALIZED',
            date: new Date(clock.now()).toISOString(),
            currency: 'INR',
            items: [
              {
                externalItemId: 'denim',
                name: 'Denim Shirt - Blue',
                quantity: 2,
                cost: 600,
                url: 'https://sample.com/denim',
                imageUrl: 'https://sample.com/denim.jpg',
              },
            ],
            ...extra,
          }).map(([name, value]) => ({ name, value })),
        },
        as,
      );
      expect(res.statusCode, res.body).toBe(200);
    },
    /** A shipment status (POST /v1/shipments/events). */
    async shipment(
      as: StoreCredentials,
      orderId: string,
      status: string,
      extra: Record<string, unknown> = {},
    ): Promise<void> {
      const res = await h.post(
        '/v1/shipments/events',
        { shipmentId: `SH-${orderId}`, orderId, status, updatedAt: new Date(clock.now()).toISOString(), ...extra },
        as,
      );
      expect([200, 202]).toContain(res.statusCode);
      expect(res.json().accepted ?? (res.json().status === 'accepted' ? 1 : 0), res.body).toBe(1);
    },
    /** Runs the scheduler and the send loop until nothing is due at the clock's time. */
    async settle(): Promise<void> {
      for (let i = 0; i < 5; i++) {
        await h.app.journeys.drain();
        await h.app.messaging.tick();
      }
    },
    /** Moves the clock by `ms` (in hops of at most an hour, so every due step runs at its time) and settles. */
    async pass(ms: number): Promise<void> {
      const end = clock.now() + ms;
      while (clock.now() < end) {
        clock.set(Math.min(end, clock.now() + 3_600_000));
        await kit.settle();
      }
    },
    /** The messages a journey step sent the shopper (via the message log's campaign). */
    async sent(as: StoreCredentials, journeyId: string, stepId?: string): Promise<Json[]> {
      const res = await h.get(`/v1/messages?limit=500`, as);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .messages.filter(
          (m: Json) => typeof m.campaign === 'string' && m.campaign.startsWith(`journey:${journeyId}:${stepId ?? ''}`),
        );
    },
    async runs(as: StoreCredentials, journeyId: string, contactId?: string): Promise<Json[]> {
      const res = await h.get(`/v1/journeys/${journeyId}/runs${contactId ? `?contactId=${contactId}` : ''}`, as);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().runs;
    },
    async run(as: StoreCredentials, runId: string): Promise<Json> {
      const res = await h.get(`/v1/journey-runs/${runId}`, as);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
  };
  return kit;
}

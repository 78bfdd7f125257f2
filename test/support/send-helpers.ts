import { expect } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { getMessage } from '../../src/storage/message-queries.js';
import type { ManualClock } from './clock.js';
import type { Harness } from './harness.js';

/**
 * Helpers for the messaging contract suites: shoppers, orders and templates made through the
 * public API, sending, and running the send loop on a manual clock.
 */

type Json = any;
type Response = { statusCode: number; body: string; json(): Json };

/** A WhatsApp utility template with named parameters bound to the contact and the order (docs/templates.md). */
export const orderConfirmation = {
  channel: 'whatsapp',
  language: 'en_US',
  category: 'utility',
  body: { text: 'Thank you, {{first_name}}! Your order number is {{order_number}}.' },
  parameters: { first_name: '{{ contact.first_name }}', order_number: '{{ order.id }}' },
};

/** A WhatsApp marketing template (needs the shopper's consent, counts towards the frequency cap). */
export const newArrivals = {
  channel: 'whatsapp',
  language: 'en',
  category: 'marketing',
  body: { text: 'Hi {{1}}, new arrivals are in: {{2}}' },
  parameters: { 1: "{{ contact.first_name | default: 'there' }}", 2: '{{ params.collection }}' },
};

export function expectError(res: Response, status: number, code: string): Json {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.code, res.body).toBe(code);
  return res.json().error;
}

export function sendApi(h: Harness) {
  const api = {
    /** A fresh store with the offline sandbox as its WhatsApp sender. */
    async sandboxStore(name = 'Sandbox Shop'): Promise<StoreCredentials> {
      const as = await h.newStore({ name });
      const res = await h.call('PUT', '/v1/channels/sandbox', undefined, { as });
      expect(res.statusCode, res.body).toBe(200);
      return as;
    },
    async putTemplate(name: string, definition: unknown, as?: StoreCredentials): Promise<void> {
      const res = await h.call('PUT', `/v1/templates/${encodeURIComponent(name)}`, definition, { as });
      expect(res.statusCode, res.body).toBe(200);
    },
    /** A shopper through the contacts API; returns the contact id. */
    async shopper(as: StoreCredentials, contact: Record<string, unknown>): Promise<string> {
      const res = await h.post('/v1/contacts', contact, as);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rejected, res.body).toEqual([]);
      return res.json().contacts[0].id as string;
    },
    /** Seed 003 orderCreated for a shopper known by customer id. */
    async order(as: StoreCredentials, orderId: string, customerId: string): Promise<void> {
      const res = await h.post(
        '/v1/generate-event',
        {
          eventTypeKey: 'orderCreated',
          params: Object.entries({
            externalOrderId: orderId,
            externalCustomerId: customerId,
            totalCost: '1200.00',
            status: 'INITIALIZED',
            date: '2026-11-21 10:00:00',
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
          }).map(([key, value]) => ({ name: key, value })),
        },
        as,
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('accepted');
    },
    send(body: unknown, as?: StoreCredentials, headers?: Record<string, string>) {
      return h.call('POST', '/v1/messages', body, { as, headers });
    },
    /** A send that must be queued (202); returns the message as the API shows it. */
    async queued(body: unknown, as?: StoreCredentials): Promise<Json> {
      const res = await api.send(body, as);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toMatchObject({ status: 'queued', duplicate: false });
      return res.json();
    },
    async message(id: string, as?: StoreCredentials): Promise<Json> {
      const res = await h.get(`/v1/messages/${id}`, as);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    /** The provider request body the outbox holds for a message, read from storage (GET /v1/messages/{id} shows it too). */
    async storedPayload(id: string, as: StoreCredentials = h.shop): Promise<Json> {
      return (await getMessage(h.app.storage.db, as.store.id, id))?.payload;
    },
    async stats(query: string, as?: StoreCredentials): Promise<Json> {
      const res = await h.get(`/v1/stats/messages?${query}`, as);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    },
    /** PATCH /v1/store/settings. */
    async setSettings(as: StoreCredentials, settings: Record<string, unknown>): Promise<void> {
      const res = await h.call('PATCH', '/v1/store/settings', settings, { as });
      expect(res.statusCode, res.body).toBe(200);
    },
  };
  return api;
}

/** Runs one round of the send loop, then moves the clock by each step and runs another round. */
export async function runLoop(h: Harness, clock: ManualClock, ...stepsMs: number[]): Promise<void> {
  await h.app.messaging.tick();
  for (const ms of stepsMs) {
    clock.advance(ms);
    await h.app.messaging.tick();
  }
}

export const iso = (at: number) => new Date(at).toISOString();

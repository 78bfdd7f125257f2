import { expect } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import type { ManualClock } from './clock.js';
import type { FakeWhatsApp } from './fake-meta/index.js';
import { fixture, seedEvent } from './fixtures.js';
import type { Harness } from './harness.js';

type Json = any;

/**
 * A store with one of everything the API can name — a contact, an event, a product, an order
 * with a shipment, a template, a sent message, a journey and its run, a webhook subscription
 * with a failed delivery, Shopify and shipping connectors, WhatsApp, Messenger and sandbox
 * accounts, and an order whose tracking page offers both of its forms — made through the API,
 * for the isolation and fuzz suites. Every id is the
 * store's own (`tag` makes them distinct), so another store's answers can be searched for them.
 */
export interface World {
  tag: string;
  as: StoreCredentials;
  storeId: string;
  contactId: string;
  customerId: string;
  email: string;
  phone: string;
  eventId: string;
  productId: string;
  orderId: string;
  shipmentId: string;
  templateName: string;
  messageId: string;
  journeyId: string;
  runId: string;
  subscriptionId: string;
  deliveryId: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  pageId: string;
  shopDomain: string;
  shopifySecret: string;
  shippingToken: string;
  /** An order of a shopper not yet on WhatsApp whose delivery failed: its page offers the opt-in and the courier's choices. */
  pageOrderId: string;
  pageShipmentId: string;
  /** That order's tracking page, `/t/<token>`. */
  trackingPath: string;
  /** A member of the store's team (an agent), added through the team API. */
  memberUserId: string;
}

/** The courier's resolutions after the page order's failed delivery (seed 004's ndrDetails). */
export const WORLD_NDR = {
  ndrCode: '0',
  reason: 'Customer not available',
  resolutions: [
    { resolutionCode: 'ACTF001', action: 'I would like to request another delivery attempt' },
    { resolutionCode: 'ACTF003', action: 'I would like to cancel my order' },
  ],
};

const ok = (res: { statusCode: number; body: string }, what: string) => {
  expect(res.statusCode, `${what}: ${res.body}`).toBeGreaterThanOrEqual(200);
  expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
  return JSON.parse(res.body || 'null') as Json;
};

export async function buildWorld(
  h: Harness,
  clock: ManualClock,
  tag: string,
  whatsapp: FakeWhatsApp,
  failingReceiverUrl: string,
): Promise<World> {
  const as = await h.newStore({ name: `Isolation ${tag}` });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) =>
    h.call(method, url, body, { as });
  const w = {
    tag,
    as,
    storeId: as.store.id,
    customerId: `iso-customer-${tag}`,
    email: `iso-${tag}@example.com`,
    phone: tag === 'a' ? '+919811100101' : '+919811100202',
    eventId: `iso-event-${tag}`,
    productId: `iso-product-${tag}`,
    orderId: `iso-order-${tag}`,
    shipmentId: `iso-shipment-${tag}`,
    templateName: `iso_template_${tag}`,
    journeyId: `iso_journey_${tag}`,
    phoneNumberId: tag === 'a' ? '300000000000101' : '300000000000202',
    appSecret: `iso-app-secret-${tag}`,
    verifyToken: `iso-verify-token-${tag}`,
    pageId: tag === 'a' ? '400000000000101' : '400000000000202',
    shopDomain: `iso-${tag}.myshopify.com`,
    shopifySecret: `shpss_iso_${tag}`,
    pageOrderId: `iso-page-order-${tag}`,
    pageShipmentId: `iso-page-shipment-${tag}`,
  } as World;

  ok(await call('PUT', '/v1/channels/sandbox'), 'sandbox');
  ok(
    await call('PUT', '/v1/channels/whatsapp', {
      phoneNumberId: w.phoneNumberId,
      accessToken: whatsapp.accessToken,
      appSecret: w.appSecret,
      verifyToken: w.verifyToken,
      apiBaseUrl: whatsapp.url,
    }),
    'whatsapp',
  );
  ok(
    await call('PUT', '/v1/channels/messenger', {
      pageId: w.pageId,
      pageAccessToken: 'page-token',
      appSecret: `${w.appSecret}-page`,
      verifyToken: `${w.verifyToken}-page`,
    }),
    'messenger',
  );
  ok(
    await call('PUT', `/v1/templates/${w.templateName}`, {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hello {{1}}' },
      parameters: { 1: "{{ contact.first_name | default: 'there' }}" },
    }),
    'template',
  );
  const contact = ok(
    await call('POST', '/v1/contacts', {
      customer_id: w.customerId,
      email: w.email,
      phone: w.phone,
      name: `Shopper ${tag}`,
      whatsapp_status: 'ACTIVE',
    }),
    'contact',
  );
  w.contactId = contact.contacts[0].id;
  ok(
    await call(
      'POST',
      '/v1/events',
      seedEvent('product_view', {
        event_id: w.eventId,
        timestamp: new Date(clock.now()).toISOString(),
        customer: { customer_id: w.customerId },
        event_data: { ...fixture('seeds/001_product_view.json').event_data, product_id: w.productId },
      }),
    ),
    'event',
  );
  const order = fixture('seeds/003_order_created.json');
  order.params = order.params.map((p: Json) => {
    const name = String(p.name).toLowerCase();
    if (name === 'externalorderid') return { ...p, value: w.orderId };
    if (name === 'externalcustomerid') return { ...p, value: w.customerId };
    if (name === 'email') return { ...p, value: w.email };
    if (name === 'phone') return { ...p, value: w.phone };
    return p;
  });
  ok(await call('POST', '/v1/generate-event', order), 'order');
  ok(
    await call('POST', '/v1/shipments/events', {
      shipmentId: w.shipmentId,
      orderId: w.orderId,
      status: 'shipped',
      updatedAt: new Date(clock.now()).toISOString(),
      remark: 'shipped',
      location: 'Delhi',
    }),
    'shipment',
  );
  const subscription = ok(
    await call('POST', '/v1/webhooks/subscriptions', {
      url: failingReceiverUrl,
      secret: `whsec_isolation_suite_${tag}`,
    }),
    'subscription',
  );
  w.subscriptionId = subscription.id;
  const message = ok(
    await call('POST', '/v1/messages', { to: { contactId: w.contactId }, template: w.templateName }),
    'message',
  );
  w.messageId = message.id;
  ok(
    await call('PUT', `/v1/journeys/${w.journeyId}`, {
      name: `Isolation ${tag}`,
      enabled: true,
      trigger: { event: `iso_go_${tag}` },
      entry: { buffer: '0s', key: 'event.order_id' },
      steps: [
        { id: 'pause', type: 'wait', duration: '30d' },
        { id: 'hello', type: 'send', channel: 'whatsapp', template: w.templateName },
      ],
    }),
    'journey',
  );
  const run = ok(
    await call('POST', `/v1/journeys/${w.journeyId}/trigger`, {
      to: { customer_id: w.customerId },
      orderId: w.orderId,
    }),
    'trigger',
  );
  w.runId = run.id ?? run.run?.id;
  ok(
    await call('PUT', `/v1/stores/${w.storeId}/connectors/shopify`, {
      shopDomain: w.shopDomain,
      appSecret: w.shopifySecret,
    }),
    'shopify',
  );
  w.shippingToken = ok(await call('PUT', `/v1/stores/${w.storeId}/connectors/shiprocket`), 'shiprocket').token;
  w.memberUserId = ok(
    await call('POST', '/v1/store/members', { email: `iso-member-${tag}@team.example`, role: 'agent' }),
    'member',
  ).member.userId;

  // The tracking page's order: a shopper not on WhatsApp, a delivery that failed with the courier's choices.
  const pageCustomer = `iso-page-customer-${tag}`;
  ok(
    await call('POST', '/v1/contacts', {
      customer_id: pageCustomer,
      email: `iso-page-${tag}@example.com`,
      phone: tag === 'a' ? '+919811100111' : '+919811100212',
      name: `Page shopper ${tag}`,
      whatsapp_status: 'INACTIVE',
    }),
    'page contact',
  );
  ok(
    await call('POST', '/v1/generate-event', {
      ...order,
      params: order.params.map((p: Json) => {
        const name = String(p.name).toLowerCase();
        if (name === 'externalorderid') return { ...p, value: w.pageOrderId };
        if (name === 'externalcustomerid') return { ...p, value: pageCustomer };
        if (name === 'email') return { ...p, value: `iso-page-${tag}@example.com` };
        if (name === 'phone') return { ...p, value: tag === 'a' ? '+919811100111' : '+919811100212' };
        return p;
      }),
    }),
    'page order',
  );
  for (const [i, status] of ['shipped', 'failed_delivery'].entries()) {
    ok(
      await call('POST', '/v1/shipments/events', {
        shipmentId: w.pageShipmentId,
        orderId: w.pageOrderId,
        status,
        updatedAt: new Date(clock.now() + i * 60_000).toISOString(),
        trackingId: `iso-page-trk-${tag}`,
        courierName: 'SELF',
        remark: status,
        ...(status === 'failed_delivery' ? { ndr: WORLD_NDR } : {}),
      }),
      `page shipment ${status}`,
    );
  }
  const pageOrder = ok(await call('GET', `/v1/orders/${w.pageOrderId}`), 'page order read');
  w.trackingPath = new URL(pageOrder.trackingUrl).pathname;

  // The message goes out; its status webhook to the store fails at the receiver until it is given up.
  await h.app.messaging.tick();
  for (let i = 0; i < 16; i++) {
    clock.advance(2 * 24 * 3_600_000);
    await h.app.messaging.webhooks.runOnce();
  }
  const deliveries = ok(await call('GET', '/v1/webhooks/deliveries?status=failed'), 'deliveries').deliveries;
  expect(deliveries.length, 'a failed delivery').toBeGreaterThan(0);
  w.deliveryId = deliveries[0].id;
  return w;
}

/** Every id and secret of a world that another store must never see in an answer. */
export const markersOf = (w: World): string[] => [
  w.storeId,
  w.contactId,
  w.customerId,
  w.email,
  w.phone,
  w.eventId,
  w.productId,
  w.orderId,
  w.shipmentId,
  w.templateName,
  w.messageId,
  w.journeyId,
  w.runId,
  w.subscriptionId,
  w.deliveryId,
  w.phoneNumberId,
  w.pageId,
  w.shopDomain,
  w.pageOrderId,
  w.pageShipmentId,
  w.trackingPath.slice(3),
  w.memberUserId,
];

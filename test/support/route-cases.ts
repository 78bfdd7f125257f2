import { fixture, seedEvent } from './fixtures.js';
import type { Harness } from './harness.js';
import type { World } from './world.js';

/**
 * How to call each store-key route of /openapi.json for a world's store: its path parameters
 * (real ids of that store), query and a valid body. A route the server has but this table does
 * not is a failure of the isolation suite: every new route gets its case.
 *
 * `sameNameIsOwn`: the path names a resource by a name the caller chooses (a template, a
 * journey), so another store calling it acts on its own resource of that name, legitimately.
 * `again`: the call removes what it names; this puts it back, so that the isolation suite's
 * next positive control (the key's, then each role's) finds it again.
 * `answered`: the call changed how the world's store is reached (a new API key): told every
 * answer to a call made for that store, it keeps the world up to date.
 */
export interface RouteCase {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  sameNameIsOwn?: boolean;
  again?: (h: Harness, w: World) => Promise<void>;
  answered?: (w: World, res: { statusCode: number; body: string }) => void;
}

/** Routes anyone may call: they show no store's data. */
export const PUBLIC_ROUTES = new Set(['GET /healthz', 'GET /metrics']);

/**
 * Routes that take no store key, each tried its own way in test/isolation-own-ways.test.ts:
 * signed webhooks, the ingest URL, the sessions themselves, sign-in links, the tracking page.
 * (Segment's routes, with a write key, are found there by their security scheme.)
 */
export const OWN_WAY_ROUTES = new Set([
  'POST /v1/ingest/{ingestToken}/events',
  'GET /v1/webhooks/whatsapp',
  'POST /v1/webhooks/whatsapp',
  'GET /v1/webhooks/messenger',
  'POST /v1/webhooks/messenger',
  'POST /v1/shopify/webhooks',
  'POST /v1/shipping/tracking-webhook',
  'POST /v1/session',
  'GET /v1/session',
  'DELETE /v1/session',
  'GET /sign-in/{token}',
  'GET /t/{token}',
  'POST /t/{token}/whatsapp',
  'POST /t/{token}/delivery',
]);

let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

export const STORE_KEY_CASES: Record<string, (w: World) => RouteCase> = {
  'POST /v1/events': (w) => ({
    body: seedEvent('product_view', { event_id: unique('iso-ev'), customer: { customer_id: w.customerId } }),
  }),
  'POST /v1/generate-event': (w) => ({
    body: {
      eventTypeKey: 'orderDelivered',
      params: [
        { name: 'externalOrderId', value: w.orderId },
        { name: 'externalCustomerId', value: w.customerId },
      ],
    },
  }),
  'POST /v1/shipments/events': (w) => ({
    body: {
      shipmentId: w.shipmentId,
      orderId: w.orderId,
      status: 'in_transit',
      updatedAt: new Date().toISOString(),
      remark: 'moving',
      location: 'Pune',
    },
  }),
  'POST /v1/contacts': (w) => ({ body: { customer_id: w.customerId, name: `Renamed ${w.tag}` } }),
  'GET /v1/contacts': (w) => ({ query: `email=${encodeURIComponent(w.email)}` }),
  'GET /v1/contacts/export': () => ({}),
  'GET /v1/contacts/{id}': (w) => ({ params: { id: w.contactId } }),
  'GET /v1/contacts/{id}/timeline': (w) => ({ params: { id: w.contactId }, query: 'limit=20' }),
  'GET /v1/orders': () => ({ query: 'limit=50' }),
  'GET /v1/orders/{orderId}': (w) => ({ params: { orderId: w.orderId } }),
  'POST /v1/orders/{orderId}/whatsapp-subscription': (w) => ({
    params: { orderId: w.orderId },
    body: { contactPhone: w.phone, email: w.email, accountId: w.storeId, whatsAppStatus: 'ACTIVE' },
  }),
  'GET /v1/products/{productId}': (w) => ({ params: { productId: w.productId }, query: 'variant_id=45471627190248' }),
  'GET /v1/customers/{customer_id}/recent-events': (w) => ({
    params: { customer_id: w.customerId },
    query: 'event_count=5',
  }),
  'GET /fetch-user-events': (w) => ({ query: `customer_id=${encodeURIComponent(w.customerId)}&event_count=5` }),
  'PUT /v1/channels/whatsapp': (w) => ({
    body: {
      phoneNumberId: w.phoneNumberId,
      accessToken: 'token',
      appSecret: w.appSecret,
      verifyToken: w.verifyToken,
      apiBaseUrl: 'http://127.0.0.1:9',
    },
  }),
  'PUT /v1/channels/messenger': (w) => ({
    body: {
      pageId: w.pageId,
      pageAccessToken: 'page-token',
      appSecret: `${w.appSecret}-page`,
      verifyToken: `${w.verifyToken}-page`,
    },
  }),
  'PUT /v1/channels/sandbox': () => ({}),
  // Channel names are every store's own: B removing "messenger" removes B's page.
  'DELETE /v1/channels/{channel}': () => ({
    params: { channel: 'messenger' },
    sameNameIsOwn: true,
    again: (h, w) => putBack(h, w, 'PUT /v1/channels/messenger'),
  }),
  'GET /v1/channels': () => ({}),
  'PUT /v1/templates/{name}': (w) => ({
    params: { name: w.templateName },
    sameNameIsOwn: true,
    body: {
      channel: 'whatsapp',
      language: 'en',
      category: 'utility',
      body: { text: 'Hello {{1}}' },
      parameters: { 1: "{{ contact.first_name | default: 'there' }}" },
    },
  }),
  'GET /v1/templates/{name}': (w) => ({ params: { name: w.templateName } }),
  'DELETE /v1/templates/{name}': (w) => ({
    params: { name: w.templateName },
    again: (h) => putBack(h, w, 'PUT /v1/templates/{name}'),
  }),
  'GET /v1/templates': () => ({}),
  'POST /v1/templates/{name}/preview': (w) => ({
    params: { name: w.templateName },
    body: { contactId: w.contactId },
  }),
  'POST /v1/templates/{name}/validate': (w) => ({
    params: { name: w.templateName },
    // Checks the caller's draft only: a store naming another's template checks its own draft.
    sameNameIsOwn: true,
    body: { channel: 'whatsapp', language: 'en', category: 'utility', body: { text: 'Hello' } },
  }),
  'POST /v1/messages': (w) => ({ body: { to: { contactId: w.contactId }, template: w.templateName } }),
  'GET /v1/messages': (w) => ({ query: `contact=${w.contactId}` }),
  'GET /v1/messages/{id}': (w) => ({ params: { id: w.messageId } }),
  'GET /v1/stats/messages': (w) => ({ query: `template=${w.templateName}` }),
  'GET /v1/overview': () => ({ query: 'period=30d' }),
  'GET /v1/live': (w) => ({ query: `topic=contact:${w.contactId}` }),
  'POST /v1/messages/send-template': (w) => {
    const seed = fixture('seeds/002_order_receipt.json');
    return {
      body: {
        ...seed,
        request: { ...seed.request, page_id: 'sandbox', id: unique('req') },
        recipient: { id: w.phone },
      },
    };
  },
  'POST /v1/webhooks/subscriptions': () => ({
    body: { url: 'https://example.com/isolation', secret: 'whsec_isolation_suite_x' },
  }),
  'GET /v1/webhooks/subscriptions': () => ({}),
  'DELETE /v1/webhooks/subscriptions/{id}': (w) => ({
    params: { id: w.subscriptionId },
    again: async (h) => {
      w.subscriptionId = (await putBack(h, w, 'POST /v1/webhooks/subscriptions')).id;
    },
  }),
  'GET /v1/webhooks/deliveries': () => ({}),
  'POST /v1/webhooks/deliveries/{id}/retry': (w) => ({
    params: { id: w.deliveryId },
    // A retried delivery is pending: the next control retries another that failed.
    again: async (h) => {
      const failed = (await h.get('/v1/webhooks/deliveries?status=failed', w.as)).json().deliveries;
      if (failed.length === 0) throw new Error('no failed delivery left to retry');
      w.deliveryId = failed[0].id;
    },
  }),
  'PUT /v1/stores/{id}/connectors/shopify': (w) => ({
    params: { id: w.storeId },
    body: { shopDomain: w.shopDomain, appSecret: w.shopifySecret },
  }),
  'PUT /v1/stores/{id}/connectors/shiprocket': (w) => ({ params: { id: w.storeId } }),
  'GET /v1/stores/{id}/connectors': (w) => ({ params: { id: w.storeId } }),
  'GET /v1/stores/{id}/connectors/{name}': (w) => ({ params: { id: w.storeId, name: 'shopify' } }),
  'DELETE /v1/stores/{id}/connectors/{name}': (w) => ({
    params: { id: w.storeId, name: 'shiprocket' },
    again: async (h) => {
      w.shippingToken = (await putBack(h, w, 'PUT /v1/stores/{id}/connectors/shiprocket')).token;
    },
  }),
  'GET /v1/store/settings': () => ({}),
  'PATCH /v1/store/settings': () => ({ body: { optOutKeywords: ['BAJA'] } }),
  'GET /v1/journeys': () => ({}),
  'GET /v1/journeys/{id}': (w) => ({ params: { id: w.journeyId } }),
  'PUT /v1/journeys/{id}': (w) => ({
    params: { id: w.journeyId },
    sameNameIsOwn: true,
    body: {
      name: `Isolation ${w.tag}`,
      enabled: true,
      trigger: { event: `iso_go_${w.tag}` },
      entry: { buffer: '0s', key: 'event.order_id' },
      steps: [
        { id: 'pause', type: 'wait', duration: '30d' },
        { id: 'hello', type: 'send', channel: 'whatsapp', template: w.templateName },
      ],
    },
  }),
  'POST /v1/journeys/{id}/enable': (w) => ({ params: { id: w.journeyId }, body: {} }),
  'POST /v1/journeys/{id}/disable': (w) => ({ params: { id: w.journeyId }, body: {} }),
  'POST /v1/journeys/{id}/trigger': (w) => ({
    params: { id: w.journeyId },
    body: { to: { contactId: w.contactId }, orderId: unique('iso-trigger') },
  }),
  'POST /v1/journeys/{id}/simulate': (w) => ({ params: { id: w.journeyId }, body: { to: { contactId: w.contactId } } }),
  'GET /v1/journeys/{id}/runs': (w) => ({ params: { id: w.journeyId } }),
  'GET /v1/journey-runs/{runId}': (w) => ({ params: { runId: w.runId } }),
  'GET /v1/journeys/{id}/stats': (w) => ({ params: { id: w.journeyId } }),
  'GET /v1/journey-settings': () => ({}),
  'PUT /v1/journey-settings': () => ({ body: { discountCode: 'ISO10' } }),
  // A new key for the store that called: the world keeps using its store's current key.
  'POST /v1/store/api-key': () => ({
    answered: (w, res) => {
      if (res.statusCode === 201) w.as.apiKey = JSON.parse(res.body).apiKey;
    },
  }),
  'POST /v1/store/ingest-token': () => ({
    answered: (w, res) => {
      if (res.statusCode === 201) w.as.ingestToken = JSON.parse(res.body).ingestToken;
    },
  }),
  'GET /v1/store/members': () => ({}),
  'POST /v1/store/members': () => ({ body: { email: `${unique('iso-member')}@team.example`, role: 'agent' } }),
  'PATCH /v1/store/members/{userId}': (w) => ({ params: { userId: w.memberUserId }, body: { role: 'marketer' } }),
  'DELETE /v1/store/members/{userId}': (w) => ({
    params: { userId: w.memberUserId },
    again: async (h) => {
      w.memberUserId = (await putBack(h, w, 'POST /v1/store/members')).member.userId;
    },
  }),
  'POST /v1/channels/sandbox/inbound': (w) => ({ body: { from: w.phone, text: 'hello there' } }),
};

/** Calls another route's case with the world's key: what puts back what a deletion removed. */
async function putBack(h: Harness, w: World, key: string): Promise<any> {
  const [method, path] = key.split(' ') as ['PUT', string];
  const c = STORE_KEY_CASES[key]!(w);
  const res = await h.call(method, caseUrl(path, c), c.body, { as: w.as });
  if (res.statusCode >= 300) throw new Error(`${key}, to put back what was removed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The URL of a case: path parameters filled in, query appended. */
export function caseUrl(path: string, c: RouteCase): string {
  const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = c.params?.[name];
    if (value === undefined) throw new Error(`${path}: the case gives no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return c.query ? `${filled}?${c.query}` : filled;
}

import { expect, it } from 'vitest';
import type { StoreCredentials } from '../../src/engine/stores.js';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { journeyKit } from '../support/journey-helpers.js';

type Json = any;

const NDR = {
  ndrCode: '0',
  reason: 'Customer not available',
  resolutions: [
    { resolutionCode: 'ACTF001', action: 'I would like to request another delivery attempt' },
    { resolutionCode: 'ACTF003', action: 'I would like to cancel my order' },
  ],
};

/** The hosted order-tracking page (seed 004's customer portal) over real HTTP handling, on both databases. */
describeEachDatabase('the order-tracking page', (target) => {
  const clock = new ManualClock(Date.parse('2026-11-21T10:00:00Z'));
  const h = useHarness(target, { clock });
  const j = journeyKit(h, clock);
  let orders = 0;

  /** A shopper's order with two items, shipped by SELF, and the path of its page. */
  async function order(as: StoreCredentials, options: { whatsapp?: 'ACTIVE' | 'INACTIVE'; failed?: boolean } = {}) {
    const n = ++orders;
    const customerId = `track-${n}`;
    const synced = await h.post(
      '/v1/contacts',
      {
        customer_id: customerId,
        name: 'Mituj',
        phone: `+91971116${String(n).padStart(4, '0')}`,
        email: `mituj${n}@eshopbox.example`,
        whatsapp_status: options.whatsapp ?? 'INACTIVE',
      },
      as,
    );
    expect(synced.statusCode, synced.body).toBe(200);
    const orderId = `TL-${n}`;
    const created = await h.post(
      '/v1/generate-event',
      {
        eventTypeKey: 'orderCreated',
        params: Object.entries({
          externalOrderId: orderId,
          externalCustomerId: customerId,
          customerOrderNumber: `TestLabel${n}`,
          totalCost: '800.00',
          status: 'IN_PROGRESS',
          date: '2026-11-19T09:22:09Z',
          currency: 'INR',
          items: [
            {
              externalItemId: 'SK101',
              name: 'Roasted Makhanas <Olive Oil>',
              quantity: 2,
              cost: 150,
              url: 'https://shop.example/makhanas',
              imageUrl: 'https://cdn.example/makhanas.jpg',
              invoiceUrl: 'https://invoices.example/TL.pdf',
            },
            {
              externalItemId: 'SK102',
              name: 'Tea',
              quantity: 1,
              cost: 500,
              url: 'javascript:alert(1)',
              imageUrl: 'data:image/gif;base64,R0lGODlh',
            },
          ],
        }).map(([name, value]) => ({ name, value })),
      },
      as,
    );
    expect(created.statusCode, created.body).toBe(200);
    const statuses = ['created', 'shipped', 'out_for_delivery', ...(options.failed ? ['failed_delivery'] : [])];
    for (const [i, status] of statuses.entries()) {
      const res = await h.post(
        '/v1/shipments/events',
        {
          shipmentId: `SH-${n}`,
          orderId,
          status,
          updatedAt: new Date(Date.parse('2026-11-20T08:00:00Z') + i * 3_600_000).toISOString(),
          trackingId: `TRK-${n}-5977`,
          courierName: 'SELF',
          remark: status === 'failed_delivery' ? 'customer not reachable' : '',
          ...(status === 'failed_delivery' ? { ndr: NDR } : {}),
        },
        as,
      );
      expect([200, 202], res.body).toContain(res.statusCode);
    }
    const read = (await h.get(`/v1/orders/${orderId}`, as)).json();
    return { orderId, customerId, path: new URL(read.trackingUrl).pathname, trackingUrl: read.trackingUrl as string };
  }

  const page = async (path: string) => h.call('GET', path, undefined, { as: null });
  const formToken = (html: string, action: string) => {
    const form = html.slice(html.indexOf(`action="${action}"`));
    return /name="form_token" value="([^"]+)"/.exec(form)![1]!;
  };
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    h.call('POST', path, new URLSearchParams(fields).toString(), {
      as: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  it('shows the order in the store name: items with images, quantities and prices, each shipment with courier, tracking id and status log, the invoice', async () => {
    const { path, orderId } = await order(h.shop);
    expect(path).toMatch(/^\/t\/[A-Za-z0-9_-]{22}$/);
    expect(path).not.toContain(orderId);
    const res = await page(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Order TestLabel1 · Test Shop</title>');
    expect(html).toContain('<strong>Test Shop</strong>');
    expect(html).toContain('<h1>Order TestLabel1</h1>');
    expect(html).toContain('Roasted Makhanas &lt;Olive Oil&gt;');
    expect(html).toContain('<img src="https://cdn.example/makhanas.jpg" alt="" width="64" height="64" loading="lazy"');
    expect(html).toMatch(/Quantity 2 × ₹150\.00 = <strong>₹300\.00<\/strong>/);
    expect(html).toContain('total <strong>₹800.00</strong>');
    expect(html).toContain('Courier: <strong>SELF</strong> · Tracking ID: <strong>TRK-1-5977</strong>');
    const log = [...html.matchAll(/<li><strong>([^<]+)<\/strong> <time datetime="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(log).toEqual([
      ['Out for delivery', '2026-11-20T10:00:00.000Z'],
      ['Shipped', '2026-11-20T09:00:00.000Z'],
      ['Created', '2026-11-20T08:00:00.000Z'],
    ]);
    expect(html).toContain(
      '<a href="https://invoices.example/TL.pdf" rel="noreferrer noopener">Download the invoice</a>',
    );
    // Links from the store's data are http(s) only; no script anywhere.
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('data:image');
    expect(html).not.toMatch(/<script/i);
    expect(Buffer.byteLength(html)).toBeLessThan(12_000);
  });

  it('answers an unknown, malformed or guessed link with a plain 404 page that names no store or order', async () => {
    const { orderId } = await order(h.shop);
    for (const path of ['/t/AAAAAAAAAAAAAAAAAAAAAA', '/t/short', `/t/${orderId}`, '/t/%3Cscript%3E']) {
      const res = await page(path);
      expect(res.statusCode, path).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1>Page not found</h1>');
      expect(res.body).not.toContain('Test Shop');
      expect(res.body).not.toContain(orderId);
    }
  });

  it('shows the store branding: its logo and accent colour', async () => {
    const shop = await h.newStore({ name: 'Brand & Co' });
    const set = await h.call(
      'PATCH',
      '/v1/store/settings',
      { logoUrl: 'https://cdn.example/logo.png', accentColor: '#FFD700' },
      { as: shop },
    );
    expect(set.statusCode, set.body).toBe(200);
    const refused = await h.call(
      'PATCH',
      '/v1/store/settings',
      { logoUrl: 'http://cdn.example/logo.png' },
      { as: shop },
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('https');
    const { path } = await order(shop);
    const html = (await page(path)).body;
    expect(html).toContain('<img src="https://cdn.example/logo.png" alt="Brand &amp; Co" height="48">');
    // A light accent gets dark text on its buttons, and headings keep the dark ink.
    expect(html).toContain('--accent:#FFD700;--on-accent:#000;--accent-text:#1f2328');
  });

  it('"Send me updates on WhatsApp" does what the opt-in API does (consent source tracking_page) and then shows the subscribed state', async () => {
    const { path, orderId } = await order(h.shop);
    const before = (await page(path)).body;
    expect(before).toContain(
      '<label for="wa-optin"><input type="checkbox" id="wa-optin" name="subscribe" value="1" required> <span>Send me updates on WhatsApp</span></label>',
    );
    expect((await h.get(`/v1/orders/${orderId}`)).json().isWhatsAppEnabledForNotifications).toBe('0');
    const fields = { form_token: formToken(before, `${path}/whatsapp`), subscribe: '1' };
    const res = await post(`${path}/whatsapp`, fields, { origin: 'http://localhost:80', host: 'localhost:80' });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${path}?done=whatsapp`);
    const after = (await page(`${path}?done=whatsapp`)).body;
    expect(after).toContain('Done: you will get updates about your orders on WhatsApp.');
    expect(after).toMatch(/You get updates about your orders on WhatsApp at \+91 •+\d{4}\./);
    expect(after).not.toContain('name="subscribe"');
    const read = (await h.get(`/v1/orders/${orderId}`)).json();
    expect(read.isWhatsAppEnabledForNotifications).toBe('1');
    const contact = (await h.get(`/v1/contacts/${read.contactId}`)).json();
    expect(contact.whatsapp).toMatchObject({ status: 'ACTIVE', source: 'tracking_page' });

    // The same form again (a double tap, a replay): one event, nothing more.
    const events = async () =>
      (await h.get(`/v1/contacts/${read.contactId}`))
        .json()
        .recentEvents.filter((e: Json) => e.name === 'whatsapp_subscription_updated').length;
    expect(await events()).toBe(1);
    expect((await post(`${path}/whatsapp`, fields)).statusCode).toBe(303);
    expect(await events()).toBe(1);
  });

  it('refuses a form without its token, with another page’s token, an expired one, or one posted from another site', async () => {
    const mine = await order(h.shop);
    const other = await order(h.shop);
    const html = (await page(mine.path)).body;
    const token = formToken(html, `${mine.path}/whatsapp`);
    const otherToken = formToken((await page(other.path)).body, `${other.path}/whatsapp`);
    const refused = [
      await post(`${mine.path}/whatsapp`, { subscribe: '1' }),
      await post(`${mine.path}/whatsapp`, { subscribe: '1', form_token: otherToken }),
      await post(`${mine.path}/whatsapp`, { subscribe: '1', form_token: `${token}x` }),
      await post(`${mine.path}/whatsapp`, { subscribe: '1', form_token: token }, { origin: 'https://evil.example' }),
      await post(`${mine.path}/delivery`, { form_token: token, shipment: 'SH-x', resolution: 'ACTF001' }),
    ];
    for (const res of refused) {
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('This form has expired. Open your order again and repeat your choice.');
    }
    clock.advance(2 * 60 * 60 * 1000 + 1);
    expect((await post(`${mine.path}/whatsapp`, { subscribe: '1', form_token: token })).statusCode).toBe(403);
    expect((await h.get(`/v1/orders/${mine.orderId}`)).json().isWhatsAppEnabledForNotifications).toBe('0');
    const unknown = await post('/t/AAAAAAAAAAAAAAAAAAAAAA/whatsapp', { subscribe: '1', form_token: token });
    expect(unknown.statusCode).toBe(404);
  });

  it('does not offer the box to a shopper already on WhatsApp', async () => {
    const { path } = await order(h.shop, { whatsapp: 'ACTIVE' });
    const html = (await page(path)).body;
    expect(html).not.toContain('name="subscribe"');
    expect(html).toContain('You get updates about your orders on WhatsApp at');
  });

  it('offers the courier’s resolutions after a failed delivery; the choice is recorded as a WhatsApp tap is: on the order, to the store webhook, and the journey’s wait ends', async () => {
    const shop = await j.store('failed_delivery');
    const subscribed = await h.post(
      '/v1/webhooks/subscriptions',
      { url: 'https://hooks.example/in', events: ['message.reply'] },
      shop,
    );
    expect(subscribed.statusCode, subscribed.body).toBe(201);
    const { path, orderId } = await order(shop, { whatsapp: 'ACTIVE', failed: true });
    await j.settle();
    expect(await j.sent(shop, 'failed_delivery', 'ask')).toHaveLength(1);

    const html = (await page(path)).body;
    expect(html).toContain(
      '<legend>We could not deliver this shipment (Customer not available). What would you like us to do?</legend>',
    );
    expect(html).toMatch(
      /<label for="shipment-0-r0"><input type="radio" id="shipment-0-r0" name="resolution" value="ACTF001" required> <span>I would like to request another delivery attempt<\/span><\/label>/,
    );
    const fields = { form_token: formToken(html, `${path}/delivery`), shipment: 'SH-4', resolution: 'ACTF003' };
    fields.shipment = /name="shipment" value="([^"]+)"/.exec(html)![1]!;
    const notOffered = await post(`${path}/delivery`, { ...fields, resolution: 'ACTF999' });
    expect(notOffered.statusCode).toBe(409);
    // The page open in a second tab: its form has a token of its own.
    const secondTab = formToken((await page(path)).body, `${path}/delivery`);
    const res = await post(`${path}/delivery`, fields);
    expect([res.statusCode, res.headers.location]).toEqual([303, `${path}?done=delivery`]);
    const twice = await post(`${path}/delivery`, { ...fields, form_token: secondTab, resolution: 'ACTF001' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('Your choice for this delivery was already sent to the shop.');

    const item = (await h.get(`/v1/orders/${orderId}`, shop)).json().items[0];
    expect(item.ndrResolutionDetails).toEqual({
      resolutionCode: 'ACTF003',
      action: 'I would like to cancel my order',
      choice: 'ACTF003',
      title: 'I would like to cancel my order',
      chosenAt: new Date(clock.now()).toISOString(),
      messageId: null,
    });
    const deliveries = (await h.get('/v1/webhooks/deliveries?type=message.reply', shop)).json().deliveries;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].data).toEqual({
      eventId: expect.stringMatching(/^tracking_page:ndr:/),
      contactId: item.contactId ?? expect.any(String),
      channel: 'tracking_page',
      at: new Date(clock.now()).toISOString(),
      replyTo: null,
      reply: { id: 'ACTF003', title: 'I would like to cancel my order' },
      orderId,
      shipmentId: fields.shipment,
    });
    await j.pass(25 * 60 * 60 * 1000);
    const runs = await j.runs(shop, 'failed_delivery');
    expect((await j.run(shop, runs[0].id)).steps.map((s: Json) => `${s.stepId}:${s.outcome}`)).toEqual([
      'ask:sent',
      'answer:event_came',
      'done:exited',
    ]);
    // No reminder was sent, and the choice stayed the page's.
    expect(await j.sent(shop, 'failed_delivery')).toHaveLength(1);
    expect((await h.get(`/v1/orders/${orderId}`, shop)).json().items[0].ndrResolutionDetails.choice).toBe('ACTF003');

    const after = (await page(path)).body;
    expect(after).toContain('You asked: <strong>I would like to cancel my order</strong>');
    expect(after).not.toContain('name="resolution"');
    // Replayed a day later, the form has expired.
    const again = await post(`${path}/delivery`, fields);
    expect(again.statusCode).toBe(403);
    expect((await h.get('/v1/webhooks/deliveries?type=message.reply', shop)).json().deliveries).toHaveLength(1);
  });

  it('gives templates the page as order.tracking_url', async () => {
    const { orderId, trackingUrl } = await order(h.shop);
    const put = await h.call(
      'PUT',
      '/v1/templates/track_it',
      {
        channel: 'whatsapp',
        language: 'en',
        category: 'utility',
        body: { text: 'Follow your order here: {{1}}' },
        parameters: { 1: '{{ order.tracking_url }}' },
      },
      {},
    );
    expect(put.statusCode, put.body).toBeLessThan(300);
    const preview = await h.post('/v1/templates/track_it/preview', { orderId });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().preview.body).toBe(`Follow your order here: ${trackingUrl}`);
  });
});

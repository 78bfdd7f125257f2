import { beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.js';
import { describeEachDatabase } from '../support/databases.js';
import { FIXTURE_PHONE_NUMBER_ID, inboundWebhook, type InboundKind } from '../support/fake-meta/index.js';
import { fixture } from '../support/fixtures.js';
import { useHarness } from '../support/harness.js';
import { iso, whatsappKit, type WhatsAppShop } from '../support/whatsapp-shop.js';

type Json = any;

/**
 * What shoppers send on WhatsApp, from Meta's published webhook fixtures: each becomes an event
 * on the shopper, opens the 24-hour window, may create an order or answer one of our messages,
 * and is delivered, signed, to the store's webhook subscription.
 */
describeEachDatabase('WhatsApp webhooks in: shopper messages, carts and replies', (target) => {
  const clock = new ManualClock();
  const h = useHarness(target, { clock });
  const wa = whatsappKit(h, clock);
  let store: WhatsAppShop;
  let hooks: Awaited<ReturnType<typeof wa.subscribe>>;

  beforeAll(async () => {
    store = await wa.store({ account: { phoneNumberId: FIXTURE_PHONE_NUMBER_ID } });
    hooks = await wa.subscribe(store.shop);
  });

  /** The fixture of that kind as Meta would send it now, from this shopper; the wamid of the shopper's message. */
  const inbound = async (kind: InboundKind, phone: string, options: Record<string, unknown> = {}) => {
    const payload = inboundWebhook(kind, { from: phone.slice(1), at: clock.now(), ...options }) as Json;
    const res = await wa.postWebhook(payload, store.fake.appSecret);
    expect(res.statusCode, res.body).toBe(200);
    return { wamid: payload.entry[0].changes[0].value.messages[0].id as string, answer: res.json() };
  };
  const contact = async (contactId: string) => (await h.get(`/v1/contacts/${contactId}`, store.shop)).json();
  const eventsOf = async (contactId: string, wamid: string) =>
    (await contact(contactId)).recentEvents.filter((e: Json) => e.data?.providerMessageId === wamid);
  const freeForm = (contactId: string) =>
    h.post('/v1/messages', { to: { contactId }, text: 'Yes, it comes in blue too.' }, store.shop);
  const deliveriesAbout = (type: string, wamid: string) =>
    hooks.deliveries(type).filter((d) => String(d.data.eventId).includes(wamid));

  it('a text opens the 24-hour window: a free-form reply refused before is accepted and sent after', async () => {
    const { contactId, phone } = await wa.shopper(store.shop);
    const refused = await freeForm(contactId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('OUTSIDE_WINDOW');

    const { wamid, answer } = await inbound('text', phone);
    expect(wamid).toBe(fixture('whatsapp/webhook_text.json').entry[0].changes[0].value.messages[0].id);
    expect(answer).toEqual({ received: 1, ignored: 0 });
    const [event] = await eventsOf(contactId, wamid);
    expect(event).toMatchObject({
      name: 'whatsapp_message_received',
      subName: 'text',
      kind: 'activity',
      source: 'whatsapp',
      occurredAt: iso(Math.floor(clock.now() / 1000) * 1000),
    });
    expect(event.data.text).toBe('Does it come in another color?');
    // The shopper's WhatsApp profile name is kept beside the name the store gave them, not over it.
    expect(await contact(contactId)).toMatchObject({
      name: 'Priya Shah',
      whatsapp: { profileName: 'Sheena Nelson' },
    });

    const reply = await freeForm(contactId);
    expect(reply.statusCode, reply.body).toBe(202);
    await wa.flush();
    expect(wa.acceptedTo(store.fake, phone).map((a) => a.body.text)).toEqual([{ body: 'Yes, it comes in blue too.' }]);
    const told = deliveriesAbout('message.inbound', wamid);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      verified: true,
      data: { contactId, channel: 'whatsapp', from: phone, text: 'Does it come in another color?', replyTo: null },
    });
  });

  it("the WhatsApp profile name goes beside the store's name: never over it, and greets a shopper the store has not named", async () => {
    const phone = '+919811155501';
    await inbound('text', phone, { name: 'Ravi K', id: 'wamid.profile-name-1' });
    const found = (await h.get(`/v1/contacts?phone=${encodeURIComponent(phone)}`, store.shop)).json().contacts;
    expect(found).toHaveLength(1);
    const contactId = found[0].id as string;
    expect(await contact(contactId)).toMatchObject({ name: null, whatsapp: { profileName: 'Ravi K' } });
    const greeting = async () =>
      (await h.post('/v1/templates/order_update/preview', { contactId }, store.shop)).json().preview.body;
    expect(await greeting()).toBe('Hi Ravi, your order is on its way.');

    // The store names the shopper; a later message under another profile name changes only the profile name.
    const synced = await h.post('/v1/contacts', { phone, name: 'Ravindra Kumar' }, store.shop);
    expect(synced.json().contacts[0].id).toBe(contactId);
    clock.advance(60_000);
    await inbound('text', phone, { name: 'Ravi 🚀', id: 'wamid.profile-name-2' });
    expect(await contact(contactId)).toMatchObject({ name: 'Ravindra Kumar', whatsapp: { profileName: 'Ravi 🚀' } });
    expect(await greeting()).toBe('Hi Ravindra, your order is on its way.');
  });

  it('a question about a catalog product is a product_inquiry naming the product, told to the store as message.inbound', async () => {
    const { contactId, phone } = await wa.shopper(store.shop);
    const { wamid } = await inbound('product_inquiry', phone);
    const [event] = await eventsOf(contactId, wamid);
    expect(event).toMatchObject({
      name: 'whatsapp_message_received',
      subName: 'product_inquiry',
      kind: 'activity',
      source: 'whatsapp',
    });
    expect(event.data).toMatchObject({
      text: 'Is this still available?',
      product: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' },
    });
    expect((await freeForm(contactId)).statusCode).toBe(202);

    await wa.flush();
    const told = deliveriesAbout('message.inbound', wamid);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      verified: true,
      data: {
        contactId,
        from: phone,
        text: 'Is this still available?',
        product: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' },
        replyTo: null,
      },
    });
  });

  it('a cart sent from WhatsApp becomes order WA-…: INITIALIZED, source whatsapp, priced as the cart priced it, named from the catalog', async () => {
    // A product view named one of the two products before; the other is known only by its retailer id.
    const view = await h.post(
      '/v1/events',
      {
        event_id: 'view-di9ozbzfi4',
        event_name: 'product_view',
        timestamp: '2026-11-20T09:00:00Z',
        customer: { customer_id: 'browser-1' },
        event_data: {
          product_id: 'di9ozbzfi4',
          title: 'Linen Shirt - White',
          price: 30,
          currency: 'USD',
          product_url: 'https://shop.example/p/linen',
          image_url: 'https://shop.example/linen.jpg',
        },
      },
      store.shop,
    );
    expect(view.statusCode, view.body).toBe(202);
    const { contactId, phone } = await wa.shopper(store.shop);
    const { wamid } = await inbound('order', phone);

    const [event] = await eventsOf(contactId, wamid);
    expect(event).toMatchObject({
      name: 'whatsapp_message_received',
      subName: 'order',
      kind: 'activity',
      source: 'whatsapp',
    });
    const orders = (await contact(contactId)).orders;
    expect(orders).toHaveLength(1);
    const orderId: string = orders[0].orderId;
    expect(orderId).toMatch(/^WA-[0-9A-F]{12}$/);

    const res = await h.get(`/v1/orders/${orderId}`, store.shop);
    expect(res.statusCode, res.body).toBe(200);
    const order = res.json();
    expect(order).toMatchObject({ orderId, status: 'INITIALIZED', source: 'whatsapp', currency: 'USD', contactId });
    expect(Number(order.orderTotal)).toBe(85);
    expect(
      order.items.map((i: Json) => ({
        id: i.itemID,
        name: i.productName,
        quantity: Number(i.quantity),
        price: Number(i.customerPrice),
        total: Number(i.lineItemTotal),
      })),
    ).toEqual([
      { id: 'di9ozbzfi4', name: 'Linen Shirt - White', quantity: 2, price: 30, total: 60 },
      { id: 'nqryix03ez', name: 'nqryix03ez', quantity: 1, price: 25, total: 25 },
    ]);
    expect(order.items[0].productUrl).toBe('https://shop.example/p/linen');
    expect((await freeForm(contactId)).statusCode).toBe(202);

    await wa.flush();
    const told = hooks.deliveries('order.created').filter((d) => d.data.orderId === orderId);
    expect(told).toHaveLength(1);
    expect(told[0]!.verified).toBe(true);
    expect(told[0]!.data).toMatchObject({ contactId, source: 'whatsapp', total: 85, currency: 'USD' });
    expect(told[0]!.data.items).toEqual([
      expect.objectContaining({ productRetailerId: 'di9ozbzfi4', name: 'Linen Shirt - White', quantity: 2, price: 30 }),
      expect.objectContaining({ productRetailerId: 'nqryix03ez', quantity: 1, price: 25 }),
    ]);
  });

  it('a button reply to one of our messages marks it replied and is told to the store as message.reply', async () => {
    const { contactId, phone } = await wa.shopper(store.shop);
    const queued = await wa.send(store.shop, contactId, 'order_update', { campaign: 'button-replies' });
    await wa.tick();
    const ours = (await wa.message(store.shop, queued.id)).providerMessageId as string;
    expect(ours).toBe(wa.acceptedTo(store.fake, phone)[0]!.id);

    clock.advance(60_000);
    const repliedAt = Math.floor(clock.now() / 1000) * 1000;
    const { wamid } = await inbound('button_reply', phone, { contextId: ours });
    const [event] = await eventsOf(contactId, wamid);
    expect(event).toMatchObject({ name: 'whatsapp_message_received', subName: 'reply', source: 'whatsapp' });
    expect(event.data.reply).toEqual({ id: 'cancel-button', title: 'Cancel' });
    const replied = await wa.message(store.shop, queued.id);
    expect(replied).toMatchObject({ repliedAt: iso(repliedAt), status: 'sent' });
    expect(replied.statusHistory.at(-1)).toEqual({ status: 'replied', at: iso(repliedAt) });
    expect((await h.get('/v1/stats/messages?campaign=button-replies', store.shop)).json()).toMatchObject({
      total: 1,
      replied: 1,
    });
    expect((await freeForm(contactId)).statusCode).toBe(202);

    // The fixture as published answers a message Storewire did not send: a reply to nothing of ours.
    const { wamid: stray } = await inbound('button_reply', phone, { id: 'wamid.stray-reply' });
    expect((await wa.message(store.shop, queued.id)).repliedAt).toBe(iso(repliedAt));

    await wa.flush();
    const told = deliveriesAbout('message.reply', wamid);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      verified: true,
      data: { contactId, replyTo: queued.id, reply: { id: 'cancel-button', title: 'Cancel' } },
    });
    expect(deliveriesAbout('message.reply', stray)).toMatchObject([{ data: { replyTo: null } }]);
  });

  it('a redelivered inbound webhook is one event, one order and one store webhook', async () => {
    const { contactId, phone } = await wa.shopper(store.shop);
    const text = inboundWebhook('text', { from: phone.slice(1), at: clock.now(), id: 'wamid.redelivered-text' });
    const cart = inboundWebhook('order', { from: phone.slice(1), at: clock.now(), id: 'wamid.redelivered-cart' });
    for (let i = 0; i < 2; i++) {
      for (const payload of [text, cart])
        expect((await wa.postWebhook(payload, store.fake.appSecret)).statusCode).toBe(200);
      await wa.flush();
    }
    clock.advance(3_600_000);
    expect((await wa.postWebhook(text, store.fake.appSecret)).statusCode).toBe(200);
    await wa.flush();

    expect(await eventsOf(contactId, 'wamid.redelivered-text')).toHaveLength(1);
    expect(await eventsOf(contactId, 'wamid.redelivered-cart')).toHaveLength(1);
    expect((await contact(contactId)).orders).toHaveLength(1);
    expect(deliveriesAbout('message.inbound', 'wamid.redelivered-text')).toHaveLength(1);
    expect(deliveriesAbout('order.created', 'wamid.redelivered-cart')).toHaveLength(1);
  });
});

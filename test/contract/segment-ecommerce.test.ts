import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { useHarness } from '../support/harness.js';
import { contactBy, segmentPost, track } from '../support/segment.js';

/** Segment's E-commerce Spec v2, as Storewire's products, carts and orders. */
describeEachDatabase('Segment e-commerce events', (target) => {
  const h = useHarness(target);
  const send = async (...messages: Record<string, unknown>[]) => {
    const res = await segmentPost(h, '/v1/batch', { batch: messages });
    expect(res.statusCode).toBe(200);
    return res.json();
  };
  const kurta = {
    product_id: 'P-1',
    sku: 'KU-1-BL',
    name: 'Kurta',
    variant: 'Blue',
    price: 999.5,
    currency: 'INR',
    url: 'https://shop.example/p/1',
    image_url: 'https://cdn.example/1.jpg',
  };
  const scarf = {
    product_id: 'P-2',
    name: 'Scarf',
    price: 250,
    currency: 'INR',
    image_url: 'https://cdn.example/2.jpg',
  };

  it('Product Viewed is a product_view that keeps the product; Product List Viewed a collection_view', async () => {
    const who = { userId: 'ec-view' };
    expect(
      await send(
        track('Product Viewed', kurta, who),
        track('Product List Viewed', { list_id: 'summer', products: [scarf, { name: 'no id' }] }, who),
      ),
    ).toMatchObject({
      accepted: 2,
      warnings: [{ index: 1, code: 'PRODUCT_WITHOUT_ID' }],
    });
    const product = (await h.get('/v1/products/P-1?variant_id=Blue')).json();
    expect(product).toMatchObject({
      productId: 'P-1',
      variantId: 'Blue',
      title: 'Kurta',
      price: 999.5,
      currency: 'INR',
      url: 'https://shop.example/p/1',
      imageUrl: 'https://cdn.example/1.jpg',
    });
    // A list names no currency: the product is kept, its price is not.
    expect((await h.get('/v1/products/P-2')).json()).toMatchObject({ title: 'Scarf', price: null });
    const contact = await contactBy(h, 'customer_id', 'ec-view');
    expect(contact.recentEvents.map((e: { name: string }) => e.name)).toEqual(['collection_view', 'product_view']);
    expect(contact.cart).toBeNull();
  });

  it('Product Added and Product Removed change the cart one product at a time', async () => {
    const who = { userId: 'ec-cart' };
    await send(
      track('Product Added', { ...kurta, quantity: 1, cart_url: 'https://shop.example/cart/9' }, who),
      track('Product Added', { ...kurta, quantity: 2 }, who),
      track('Product Added', scarf, who),
    );
    let cart = (await contactBy(h, 'customer_id', 'ec-cart')).cart;
    expect(cart).toMatchObject({
      status: 'active',
      total: 3248.5,
      currency: 'INR',
      cartLink: 'https://shop.example/cart/9',
      recentProductImage: 'https://cdn.example/2.jpg',
    });
    expect(cart.lines).toEqual([
      expect.objectContaining({
        productId: 'P-1',
        variantId: 'Blue',
        title: 'Kurta',
        quantity: 3,
        linePrice: 2998.5,
        productUrl: 'https://shop.example/p/1',
      }),
      expect.objectContaining({ productId: 'P-2', variantId: null, quantity: 1, linePrice: 250 }),
    ]);

    await send(track('Product Removed', { ...kurta, quantity: 1 }, who));
    cart = (await contactBy(h, 'customer_id', 'ec-cart')).cart;
    expect(cart.lines.map((l: { productId: string; quantity: number }) => [l.productId, l.quantity])).toEqual([
      ['P-1', 2],
      ['P-2', 1],
    ]);
    expect(cart.total).toBe(2249);

    // Without a quantity the whole line goes; the last line gone leaves the cart empty.
    await send(
      track('Product Removed', { product_id: 'P-1', variant: 'Blue' }, who),
      track('product_removed', { product_id: 'P-2' }, who),
    );
    const contact = await contactBy(h, 'customer_id', 'ec-cart');
    expect(contact.cart).toMatchObject({ status: 'empty', lines: [], total: 0 });
    expect(contact.recentEvents.slice(0, 2).map((e: { name: string; subName: string }) => [e.name, e.subName])).toEqual(
      [
        ['cart_update', 'remove_from_cart'],
        ['cart_update', 'remove_from_cart'],
      ],
    );

    // A late Product Added (older than the cart's last change) is recorded but changes nothing.
    const late = await send({ ...track('Product Added', scarf, who), timestamp: '2026-11-01T00:00:00Z' });
    expect(late).toMatchObject({ accepted: 1, warnings: [{ code: 'CART_NOT_CHANGED' }] });
    expect((await contactBy(h, 'customer_id', 'ec-cart')).cart.status).toBe('empty');
  });

  it('Cart Viewed and Checkout Started carry the whole cart, which replaces the one kept', async () => {
    const who = { anonymousId: 'ec-anon-cart' };
    await send(track('Product Added', scarf, who));
    await send(track('Cart Viewed', { cart_id: 'c-1', products: [{ ...kurta, quantity: 2 }] }, who));
    let cart = (await contactBy(h, 'anonymous_id', 'ec-anon-cart')).cart;
    expect(cart.lines.map((l: { productId: string; quantity: number }) => [l.productId, l.quantity])).toEqual([
      ['P-1', 2],
    ]);

    await send(
      track(
        'Checkout Started',
        {
          order_id: 'O-50',
          currency: 'INR',
          checkout_url: 'https://shop.example/checkout/50',
          products: [{ ...kurta, quantity: 1 }, scarf],
        },
        who,
      ),
    );
    const contact = await contactBy(h, 'anonymous_id', 'ec-anon-cart');
    cart = contact.cart;
    expect(cart).toMatchObject({
      status: 'active',
      total: 1249.5,
      currency: 'INR',
      cartLink: 'https://shop.example/checkout/50',
    });
    expect(contact.recentEvents[0]).toMatchObject({
      name: 'checkout_started',
      data: expect.objectContaining({ order_id: 'O-50' }),
    });
  });

  it('Order Completed creates the order, INITIALIZED, and ends the cart; only a later event makes it DELIVERED', async () => {
    const who = { userId: 'ec-order', context: { traits: { email: 'buyer@example.com' } } };
    await send(track('Product Added', kurta, who));
    const res = await send(
      track(
        'Order Completed',
        {
          order_id: 'O-100',
          checkout_id: 'ch-1',
          total: 1100,
          shipping: 50,
          tax: 50.5,
          coupon: 'DIWALI',
          currency: 'inr',
          products: [{ ...kurta, quantity: 1 }],
        },
        who,
      ),
    );
    // The spec's total includes shipping and tax: the items are not expected to add up to it.
    expect(res).toMatchObject({ accepted: 1, warnings: [] });
    let order = (await h.get('/v1/orders/O-100')).json();
    expect(order).toMatchObject({
      orderId: 'O-100',
      status: 'INITIALIZED',
      source: 'segment',
      currency: 'INR',
      orderTotal: 1100,
      shipping: 50,
      tax: 50.5,
      coupon: 'DIWALI',
      checkout_id: 'ch-1',
    });
    expect(order.items).toEqual([
      expect.objectContaining({
        itemID: 'P-1',
        productName: 'Kurta',
        quantity: 1,
        customerPrice: 999.5,
        productUrl: 'https://shop.example/p/1',
        productImageUrl: 'https://cdn.example/1.jpg',
        sku: 'KU-1-BL',
        variant: 'Blue',
      }),
    ]);
    const contact = await contactBy(h, 'email', 'buyer@example.com');
    expect(contact).toMatchObject({
      customerId: 'ec-order',
      cart: { status: 'converted' },
      orders: [{ orderId: 'O-100', status: 'INITIALIZED' }],
    });
    // Removing something the cart does not hold leaves it as it is.
    await send(track('Product Removed', scarf, who));
    expect((await contactBy(h, 'customer_id', 'ec-order')).cart.status).toBe('converted');

    await send(track('Order Updated', { order_id: 'O-100', status: 'in progress', total: 1200, currency: 'INR' }, who));
    order = (await h.get('/v1/orders/O-100')).json();
    expect(order).toMatchObject({ status: 'IN_PROGRESS', orderTotal: 1200, coupon: 'DIWALI' });
    expect(order.items).toHaveLength(1);

    await send(track('Order Delivered', { order_id: 'O-100' }, who));
    expect((await h.get('/v1/orders/O-100')).json().status).toBe('DELIVERED');
    // The next Product Added starts a new cart; the ordered one does not come back.
    await send(track('Product Added', scarf, who));
    const next = (await contactBy(h, 'customer_id', 'ec-order')).cart;
    expect(next.status).toBe('active');
    expect(next.lines.map((l: { productId: string }) => l.productId)).toEqual(['P-2']);
  });

  it('Order Updated places an order it does not know; Order Cancelled cancels; Order Refunded notes the refund', async () => {
    const who = { userId: 'ec-order-2' };
    await send(
      track(
        'Order Updated',
        {
          order_id: 'O-200',
          revenue: 500,
          currency: 'INR',
          products: [scarf, { ...scarf, product_id: 'P-3', quantity: 1 }],
        },
        who,
      ),
    );
    expect((await h.get('/v1/orders/O-200')).json()).toMatchObject({ status: 'INITIALIZED', orderTotal: 500 });
    // Without a total the items' sum is the total.
    await send(
      track('Order Completed', { order_id: 'O-201', currency: 'INR', products: [{ ...scarf, quantity: 3 }] }, who),
    );
    expect((await h.get('/v1/orders/O-201')).json()).toMatchObject({ orderTotal: 750 });

    await send(track('Order Refunded', { order_id: 'O-200', total: 250, currency: 'INR', products: [scarf] }, who));
    expect((await h.get('/v1/orders/O-200')).json()).toMatchObject({
      status: 'INITIALIZED',
      refunded: true,
      refund: { total: 250, currency: 'INR' },
    });
    await send(track('Order Cancelled', { order_id: 'O-200' }, who));
    expect((await h.get('/v1/orders/O-200')).json().status).toBe('CANCELLED');

    // About an order Storewire does not have: recorded as ignored, not an error.
    const unknown = await send(
      track('Order Cancelled', { order_id: 'O-404' }, who),
      track('Order Refunded', { order_id: 'O-405' }, who),
    );
    expect(unknown).toMatchObject({
      accepted: 0,
      rejected: [],
      warnings: [
        { index: 0, code: 'ORDER_NOT_FOUND' },
        { index: 1, code: 'ORDER_NOT_FOUND' },
      ],
    });
    // An order event without order_id is refused; in a batch, alone.
    const noId = await send(track('Order Completed', { total: 10 }, who), track('Wishlist Viewed', {}, who));
    expect(noId).toMatchObject({
      accepted: 1,
      rejected: [{ index: 0, error: { code: 'MISSING_REQUIRED_PARAMS', path: '/properties/order_id' } }],
    });
    const lone = await segmentPost(h, '/v1/track', track('Order Completed', { currency: 'INR' }, who));
    expect([lone.statusCode, lone.json().error.code]).toEqual([400, 'MISSING_REQUIRED_PARAMS']);
    // Neither a total nor items: the order cannot be created.
    const noTotal = await segmentPost(h, '/v1/track', track('Order Completed', { order_id: 'O-202' }, who));
    expect(noTotal.json().error).toMatchObject({ code: 'MISSING_REQUIRED_PARAMS', details: { missing: ['total'] } });
  });

  it('keeps every other track event as a custom event under its own name, and pages as page_view', async () => {
    const who = { userId: 'ec-custom' };
    await send(track('Coupon Applied', { coupon_id: 'DIWALI' }, who), {
      type: 'page',
      messageId: 'ec-page-1',
      ...who,
      name: 'Pricing',
      category: 'Docs',
      properties: { url: 'https://shop.example/pricing' },
    });
    const events = (await contactBy(h, 'customer_id', 'ec-custom')).recentEvents;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Coupon Applied', data: { coupon_id: 'DIWALI' } }),
        expect.objectContaining({
          name: 'page_view',
          subName: 'Pricing',
          data: { url: 'https://shop.example/pricing', category: 'Docs' },
        }),
      ]),
    );
    const recent = (await h.get('/v1/customers/ec-custom/recent-events?event_count=5')).json();
    expect(recent.recent_events.map((e: { event_name: string }) => e.event_name).sort()).toEqual([
      'Coupon Applied',
      'page_view',
    ]);
  });
});

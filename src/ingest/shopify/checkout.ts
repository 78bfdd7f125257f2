import { toMinor } from '../../domain/money.js';
import type { CartLine, CartSnapshot, ProductSighting, StoreContext } from '../../domain/store-event.js';
import { checker } from '../validate.js';
import {
  mismatch,
  shopifyTime,
  shopperIdentity,
  text,
  type Raw,
  type ShopifyAdapted,
  type ShopifyDelivery,
} from './common.js';
import { ShopifyCheckout } from './schemas.js';

const checkoutChecker = checker(ShopifyCheckout);

/**
 * checkouts/create and checkouts/update: the shopper's cart as the abandoned checkout holds
 * it, with the recovery link as the cart link. A completed checkout (completed_at) marks the
 * cart converted, which ends recovery the way a placed order does. The checkout's updated_at
 * orders the deliveries: an older one does not change a newer cart.
 */
export function adaptCheckout(delivery: ShopifyDelivery, ctx: StoreContext): ShopifyAdapted {
  const { topic, payload } = delivery;
  const problem = checkoutChecker.check(payload);
  if (problem) return mismatch(topic, problem.message, problem.path ?? 'body');
  const updatedAt = shopifyTime(payload.updated_at);
  if (updatedAt === null)
    return mismatch(topic, `/updated_at "${String(payload.updated_at)}" is not a time`, '/updated_at');

  const who = shopperIdentity(payload, ctx);
  // Shopify creates a checkout before the shopper gives an email or phone; it sends
  // checkouts/update once they do. Until then there is nobody to file the cart on.
  if (!who.ok)
    return {
      kind: 'ignored',
      reason: { code: who.code, message: `the checkout names no shopper yet (${who.message})` },
    };

  const completed = text(payload.completed_at) !== null;
  const cart = cartOf(payload);
  return {
    kind: 'events',
    events: [
      {
        eventId: delivery.eventId,
        name: completed ? 'checkout_completed' : 'checkout_started',
        subName: null,
        kind: 'activity',
        source: 'shopify',
        occurredAt: updatedAt,
        timestamp: String(payload.updated_at),
        data: { topic, ...payload },
        identity: who.identity,
        products: productsOf(cart),
        cart: { ...cart, ...(completed ? { converted: true } : {}) },
        warnings: who.warnings,
      },
    ],
  };
}

/** The shop's currency, which Shopify's REST amounts are in (as on orders). */
function currencyOf(payload: Raw): string | null {
  return text(payload.currency) ?? text(payload.presentment_currency);
}

function cartOf(payload: Raw): CartSnapshot {
  const currency = currencyOf(payload);
  const lines: CartLine[] = (payload.line_items as Raw[]).map((item) => ({
    productId: text(item.product_id) ?? text(item.variant_id) ?? '',
    variantId: text(item.variant_id) ?? '',
    title: text(item.title),
    quantity: item.quantity as number,
    linePriceMinor:
      toMinor(item.line_price, currency) ?? multiply(toMinor(item.price, currency), item.quantity as number),
    url: null,
    imageUrl: null,
  }));
  const summed = lines.every((l) => l.linePriceMinor !== null)
    ? lines.reduce((sum, l) => sum + l.linePriceMinor!, 0)
    : null;
  return {
    lines,
    empty: lines.length === 0,
    cartLink: text(payload.abandoned_checkout_url),
    totalMinor: toMinor(payload.total_price, currency) ?? summed,
    currency,
    recentProductImage: null,
  };
}

const multiply = (unit: number | null, quantity: number) => (unit === null ? null : unit * quantity);

/** The checkout's products join the catalog with their unit price (a checkout has no links or images). */
function productsOf(cart: CartSnapshot): ProductSighting[] {
  return cart.lines
    .filter((line) => line.productId !== '')
    .map((line) => ({
      productId: line.productId,
      variantId: line.variantId,
      title: line.title,
      priceMinor:
        cart.currency && line.linePriceMinor !== null && line.quantity > 0
          ? Math.round(line.linePriceMinor / line.quantity)
          : null,
      currency: cart.currency,
      url: null,
      imageUrl: null,
    }));
}

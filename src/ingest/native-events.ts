import { resolveIdentity } from '../domain/identity.js';
import { toMinor } from '../domain/money.js';
import type {
  Adapted,
  CartLine,
  CartSnapshot,
  ProductSighting,
  Rejection,
  StoreContext,
  StoreEvent,
} from '../domain/store-event.js';
import { formatIsoUtc, parseTimestamp } from '../domain/time.js';
import { CartEventData, CollectionViewData, NativeEvent, ProductViewData } from './native-schemas.js';
import { checker } from './validate.js';

const eventChecker = checker(NativeEvent);
const cartChecker = checker(CartEventData);
const productViewChecker = checker(ProductViewData);
const collectionViewChecker = checker(CollectionViewData);

type Raw = Record<string, unknown>;
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null;

/** Seed 001's event webhook -> StoreEvent. */
export function adaptNativeEvent(raw: unknown, ctx: StoreContext): Adapted {
  const problem = eventChecker.check(raw);
  if (problem) return { ok: false, error: problem };
  const input = raw as Raw & { customer: Raw; event_data?: Raw };

  const occurredAt = parseTimestamp(input.timestamp, ctx.timeZone);
  if (occurredAt === null) {
    return fail(
      'INVALID_TIMESTAMP',
      `/timestamp "${String(input.timestamp)}" is not an ISO 8601 or epoch time`,
      '/timestamp',
    );
  }

  const who = resolveIdentity(
    {
      customerId: input.customer.customer_id,
      email: input.customer.email,
      phone: input.customer.phone,
      name: input.customer.name,
    },
    ctx.defaultCountry,
  );
  if (!who.ok) {
    const field = who.field === 'customerId' ? 'customer_id' : who.field;
    return fail(who.code, who.message, field ? `/customer/${field}` : '/customer');
  }

  const name = String(input.event_name).trim();
  const data = input.event_data ?? {};
  const event: StoreEvent = {
    eventId: input.event_id as string,
    name,
    subName: text(input.sub_event_name),
    kind: 'activity',
    source: 'native',
    occurredAt,
    timestamp: typeof input.timestamp === 'string' ? input.timestamp : formatIsoUtc(occurredAt),
    data,
    identity: who.identity,
    products: [],
    warnings: who.warnings,
  };

  if (name === 'cart_update' || (name === 'checkout_started' && Array.isArray(data.line_items))) {
    const bad = cartChecker.check(data, '/event_data');
    if (bad) return { ok: false, error: bad };
    event.cart = cartSnapshot(data);
    event.products = cartProducts(data);
    if (name === 'cart_update') event.subName = cartSubEvent(event.subName, data);
  } else if (name === 'product_view') {
    const bad = productViewChecker.check(data, '/event_data');
    if (bad) return { ok: false, error: bad };
    event.products = [productFromView(data)];
  } else if (name === 'collection_view') {
    const bad = collectionViewChecker.check(data, '/event_data');
    if (bad) return { ok: false, error: bad };
    if (text(data.product_id)) event.products = [productFromCollection(data)];
  }
  return { ok: true, event };
}

function fail(code: string, message: string, path: string): { ok: false; error: Rejection } {
  return { ok: false, error: { code, message, path } };
}

/**
 * Seed 001 documents the sub event as "add_to_cart | remove_from_cart"; a client that copies
 * the example verbatim still means one of the two, which the added/removed lists tell.
 */
function cartSubEvent(given: string | null, data: Raw): string | null {
  if (given === 'add_to_cart' || given === 'remove_from_cart') return given;
  const added = Array.isArray(data.items_added) && data.items_added.length > 0;
  const removed = Array.isArray(data.items_removed) && data.items_removed.length > 0;
  if (added && !removed) return 'add_to_cart';
  if (removed && !added) return 'remove_from_cart';
  return given;
}

function cartLine(item: Raw, currency: string | null): CartLine {
  return {
    productId: text(item.product_id)!,
    variantId: text(item.variant_id) ?? '',
    title: text(item.title),
    quantity: typeof item.quantity === 'number' ? item.quantity : 1,
    linePriceMinor: toMinor(item.line_price, currency),
    url: text(item.product_url),
    imageUrl: text(item.image_url),
  };
}

function cartSnapshot(data: Raw): CartSnapshot {
  const price = (data.price ?? {}) as Raw;
  const currency = text(price.currency);
  const lines = (data.line_items as Raw[]).map((item) => cartLine(item, currency));
  const given = toMinor(price.amount, currency);
  const summed = lines.every((l) => l.linePriceMinor !== null)
    ? lines.reduce((sum, l) => sum + l.linePriceMinor!, 0)
    : null;
  return {
    lines,
    empty: data.empty_cart === true || lines.length === 0,
    cartLink: text(data.cart_link),
    totalMinor: given ?? summed,
    currency,
    recentProductImage: text(data.recent_product_image),
  };
}

function cartProducts(data: Raw): ProductSighting[] {
  const currency = text(((data.price ?? {}) as Raw).currency);
  const all = [
    ...(data.line_items as Raw[]),
    ...((data.items_added as Raw[] | undefined) ?? []),
    ...((data.items_removed as Raw[] | undefined) ?? []),
  ];
  return all.map((item) => {
    const line = cartLine(item, currency);
    // Without a currency a price cannot be put in the catalog's minor units.
    const unit =
      currency && line.linePriceMinor !== null && line.quantity > 0
        ? Math.round(line.linePriceMinor / line.quantity)
        : null;
    return {
      productId: line.productId,
      variantId: line.variantId,
      title: line.title,
      priceMinor: unit,
      currency,
      url: line.url,
      imageUrl: line.imageUrl,
    };
  });
}

function productFromView(data: Raw): ProductSighting {
  const currency = text(data.currency);
  return {
    productId: text(data.product_id)!,
    variantId: text(data.variant_id) ?? '',
    title: text(data.title),
    priceMinor: toMinor(data.price, currency) ?? toMinor(data.line_price, currency),
    currency,
    url: text(data.product_url),
    imageUrl: text(data.image_url),
  };
}

function productFromCollection(data: Raw): ProductSighting {
  return {
    productId: text(data.product_id)!,
    variantId: text(data.variant_id) ?? '',
    title: text(data.title),
    // A collection view names no currency: its price cannot be kept without one.
    priceMinor: null,
    currency: null,
    // A collection view's URL is the collection's, not the product's.
    url: null,
    imageUrl: text(data.image_url),
  };
}

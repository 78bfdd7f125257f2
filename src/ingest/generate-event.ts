import { wellFormed } from '../domain/well-formed.js';
import { createHash } from 'node:crypto';
import { resolveIdentity, type RawIdentity } from '../domain/identity.js';
import { newId } from '../domain/ids.js';
import { toMinor } from '../domain/money.js';
import { normalizePhone } from '../domain/phone.js';
import { ORDER_CREATE_REQUIRED, ORDER_IDENTIFIER_CHOICES, ORDER_ITEM_REQUIRED } from '../domain/order-rules.js';
import {
  ORDER_STATUSES,
  type Adapted,
  type OrderFields,
  type OrderItemInput,
  type OrderStatus,
  type Rejection,
  type StoreContext,
  type StoreEvent,
} from '../domain/store-event.js';
import { formatIsoUtc, parseTimestamp } from '../domain/time.js';
import { GenerateEventBody } from './generate-event-schema.js';
import { checker } from './validate.js';

const bodyChecker = checker(GenerateEventBody);

/** Seed 003's default identifier parameters (names compared without case). */
const CUSTOMER_ID_PARAMS = ['externalcustomerid', 'contactkey', 'contact_key', 'contactid', 'contact_id'];
const EMAIL_PARAMS = ['email', 'emailaddress', 'useremail', 'contactemail'];
const PHONE_PARAMS = ['phone', 'sms', 'phonenumber'];
const NAME_PARAMS = ['name', 'customername', 'firstname'];
/** Parameters the order itself is made of; everything else is kept as order attributes. */
const ORDER_FIELD_PARAMS = new Set(['externalorderid', 'totalcost', 'status', 'date', 'currency', 'items']);
const IDENTITY_PARAMS = new Set([...CUSTOMER_ID_PARAMS, ...EMAIL_PARAMS, ...PHONE_PARAMS, 'pushtoken']);
/**
 * Order attributes that GET /v1/orders reads by name (seed 004): kept under their canonical
 * spelling, since parameter names are matched without case ("PAYMENTTYPE" is paymentType).
 */
const CANONICAL_ATTRIBUTES = new Map(
  ['paymentType', 'isCOD', 'customerOrderNumber', 'vendorOrderNumber', 'shippingAddress', 'billingAddress'].map((n) => [
    n.toLowerCase(),
    n,
  ]),
);

const ORDER_EVENTS: Record<string, string> = {
  ordercreated: 'order_created',
  orderupdated: 'order_updated',
  orderdelivered: 'order_delivered',
  ordercancelled: 'order_cancelled',
};

interface Params {
  /** lower-cased name -> value */
  byName: Map<string, unknown>;
  /** original names -> values, as stored on the event */
  original: Record<string, unknown>;
}

export interface GenerateEventInput {
  body: unknown;
  /** Idempotency-Key header, if the client sent one. */
  idempotencyKey?: string;
  receivedAt: number;
}

/** Given at all: blank text ("", "  ") counts as missing, like an absent parameter. */
const present = (value: unknown) =>
  value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
const fail = (code: string, message: string, path?: string, details?: unknown): { ok: false; error: Rejection } => ({
  ok: false,
  error: { code, message, ...(path ? { path } : {}), ...(details !== undefined ? { details } : {}) },
});

export function adaptGenerateEvent(input: GenerateEventInput, ctx: StoreContext): Adapted {
  const problem = bodyChecker.check(input.body);
  if (problem) return { ok: false, error: problem };
  const body = input.body as { eventTypeKey: string; keyValue?: unknown; params?: { name: string; value: unknown }[] };
  const params = readParams(body.params ?? []);
  const orderEvent = ORDER_EVENTS[body.eventTypeKey.toLowerCase()];

  const identityResult = identityFrom(params, body.keyValue, ctx, orderEvent === undefined);
  if (!identityResult.ok) return identityResult;

  // orderCreated, orderDelivered and orderCancelled say one fact each: the same body twice is
  // one event. An orderUpdated or a custom event may truly happen again with the same
  // parameters (an update back to an earlier total), so those are deduplicated only by a key.
  const factual =
    orderEvent === 'order_created' || orderEvent === 'order_delivered' || orderEvent === 'order_cancelled';
  const eventId = input.idempotencyKey
    ? `ge_key_${input.idempotencyKey}`
    : factual
      ? `ge_${createHash('sha256')
          .update(JSON.stringify([body.eventTypeKey, body.keyValue ?? null, body.params ?? []]))
          .digest('hex')
          .slice(0, 40)}`
      : newId('ge', input.receivedAt);

  const event: StoreEvent = {
    eventId,
    name: orderEvent ?? body.eventTypeKey,
    subName: null,
    kind: 'activity',
    source: 'generate_event',
    occurredAt: input.receivedAt,
    timestamp: formatIsoUtc(input.receivedAt),
    data: params.original,
    identity: identityResult.identity,
    products: [],
    warnings: identityResult.warnings,
  };
  if (!orderEvent) return { ok: true, event };

  const orderId = stringParam(params, 'externalorderid');
  const noOrderId = () =>
    fail('MISSING_REQUIRED_PARAMS', `${body.eventTypeKey} needs externalOrderId`, undefined, {
      missing: ['externalOrderId'],
    });

  if (orderEvent === 'order_delivered' || orderEvent === 'order_cancelled') {
    if (!orderId) return noOrderId();
    event.order = { kind: 'set_status', orderId, status: orderEvent === 'order_delivered' ? 'DELIVERED' : 'CANCELLED' };
    return { ok: true, event };
  }

  const parsed = orderFields(params, ctx);
  if (!parsed.ok) return parsed;
  // Every missing parameter is named at once (externalOrderId included), so one retry can fix them all.
  const missing = missingForCreate(params, identityResult.hasIdentifier);
  missing.push(...parsed.missingItemFields);
  if (orderEvent === 'order_created' && missing.length > 0) {
    return fail('MISSING_REQUIRED_PARAMS', `orderCreated is missing ${missing.join(', ')}`, undefined, { missing });
  }
  if (!orderId) return noOrderId();
  if (parsed.missingItemFields.length > 0) {
    return fail('MISSING_REQUIRED_PARAMS', `items are missing ${parsed.missingItemFields.join(', ')}`, undefined, {
      missing: parsed.missingItemFields,
    });
  }
  if (orderEvent === 'order_created' && parsed.fields.orderedAt !== undefined) {
    // The event happened when the order was placed. A date with an offset is echoed as written;
    // one without was in the store's time zone, which a reader of recent events cannot know,
    // so its timestamp is that instant in UTC.
    event.occurredAt = parsed.fields.orderedAt;
    const date = String(params.byName.get('date')).trim();
    event.timestamp = /(Z|[+-]\d{2}:?\d{2})$/i.test(date) ? date : formatIsoUtc(parsed.fields.orderedAt);
  }
  event.order = { kind: 'upsert', orderId, fields: parsed.fields, missingForCreate: missing };
  event.products = (parsed.fields.items ?? []).map((item) => ({
    productId: item.externalItemId,
    variantId: '',
    title: item.name,
    // An order item's cost is what this shopper paid (discounts included), not the catalog price.
    priceMinor: null,
    currency: null,
    url: item.url,
    imageUrl: item.imageUrl,
  }));
  return { ok: true, event };
}

function readParams(list: { name: string; value: unknown }[]): Params {
  const byName = new Map<string, unknown>();
  const original: Record<string, unknown> = {};
  for (const { name, value } of list) {
    byName.set(name.toLowerCase(), value);
    original[name] = value;
  }
  return { byName, original };
}

function stringParam(params: Params, name: string): string | null {
  const value = params.byName.get(name);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const firstOf = (params: Params, names: string[]) => names.map((n) => params.byName.get(n)).find(present);

function identityFrom(params: Params, keyValue: unknown, ctx: StoreContext, required: boolean) {
  const raw: RawIdentity = {
    customerId: firstOf(params, CUSTOMER_ID_PARAMS),
    email: firstOf(params, EMAIL_PARAMS),
    phone: firstOf(params, PHONE_PARAMS),
    name: firstOf(params, NAME_PARAMS),
  };
  const hasIdentifier = present(raw.customerId) || present(raw.email) || present(raw.phone);
  if (!hasIdentifier && present(keyValue)) {
    // Seed 003's example keys the event by the shopper's phone; take keyValue as whichever
    // identifier it looks like.
    const key = String(keyValue).trim();
    if (key.includes('@')) raw.email = key;
    else if (normalizePhone(key, ctx.defaultCountry)) raw.phone = key;
    else raw.customerId = key;
  }
  if (!present(raw.customerId) && !present(raw.email) && !present(raw.phone)) {
    if (required) {
      return fail(
        'NO_IDENTIFIER',
        `the event needs an identifier parameter (${ORDER_IDENTIFIER_CHOICES}, or ContactKey, EmailAddress, PhoneNumber...)`,
      );
    }
    return { ok: true as const, identity: {}, warnings: [], hasIdentifier: false };
  }
  const result = resolveIdentity(raw, ctx.defaultCountry);
  if (!result.ok) return fail(result.code, result.message, result.field ? `params/${result.field}` : undefined);
  return { ok: true as const, identity: result.identity, warnings: result.warnings, hasIdentifier };
}

function missingForCreate(params: Params, hasIdentifier: boolean): string[] {
  const missing: string[] = ORDER_CREATE_REQUIRED.filter((name) => !present(params.byName.get(name.toLowerCase())));
  if (!hasIdentifier) missing.push(ORDER_IDENTIFIER_CHOICES);
  return missing;
}

type FieldsResult = { ok: true; fields: OrderFields; missingItemFields: string[] } | { ok: false; error: Rejection };

function orderFields(params: Params, ctx: StoreContext): FieldsResult {
  const fields: OrderFields = {};
  const currency = stringParam(params, 'currency');
  if (currency) fields.currency = currency.toUpperCase();

  const status = params.byName.get('status');
  if (present(status)) {
    const upper = String(status).trim().toUpperCase();
    if (!(ORDER_STATUSES as readonly string[]).includes(upper)) {
      return invalid('status', `status must be one of ${ORDER_STATUSES.join(', ')}`);
    }
    fields.status = upper as OrderStatus;
  }
  const total = params.byName.get('totalcost');
  if (present(total)) {
    const minor = toMinor(total, fields.currency);
    if (minor === null || minor < 0 || (typeof total !== 'string' && typeof total !== 'number')) {
      return invalid('totalCost', `totalCost "${String(total)}" is not an amount`);
    }
    fields.totalCost = total;
  }
  const date = params.byName.get('date');
  if (present(date)) {
    const at = parseTimestamp(date, ctx.timeZone);
    if (at === null)
      return invalid('date', `date "${String(date)}" is not YYYY-MM-DDTHH:mm:ss (ISO 8601)`, 'INVALID_TIMESTAMP');
    fields.orderedAt = at;
  }
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params.original)) {
    const lower = name.toLowerCase();
    if (!ORDER_FIELD_PARAMS.has(lower) && !IDENTITY_PARAMS.has(lower))
      attributes[CANONICAL_ATTRIBUTES.get(lower) ?? name] = value;
  }
  if (Object.keys(attributes).length > 0) fields.attributes = attributes;

  let missingItemFields: string[] = [];
  const rawItems = params.byName.get('items');
  if (present(rawItems)) {
    const items = parseItems(rawItems, fields.currency);
    if (!items.ok) return items;
    fields.items = items.items;
    missingItemFields = items.missing;
  }
  return { ok: true, fields, missingItemFields };
}

function invalid(param: string, message: string, code = 'INVALID_PARAM'): { ok: false; error: Rejection } {
  return fail(code, message, `params/${param}`, { param });
}

type ItemsResult = { ok: true; items: OrderItemInput[]; missing: string[] } | { ok: false; error: Rejection };

/** Seed 003 passes items as a JSON string; an array is accepted as well. */
function parseItems(raw: unknown, currency: string | undefined): ItemsResult {
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = wellFormed(JSON.parse(raw));
    } catch {
      return invalid('items', 'items is neither an array nor a JSON string of one');
    }
  }
  if (!Array.isArray(list)) return invalid('items', 'items must be an array of order items');
  const items: OrderItemInput[] = [];
  const missing: string[] = [];
  for (const [index, entry] of list.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      return invalid('items', `items[${index}] is not an object`);
    const item = entry as Record<string, unknown>;
    for (const field of ORDER_ITEM_REQUIRED) if (!present(item[field])) missing.push(`items[${index}].${field}`);
    const quantity = Number(item.quantity);
    if (present(item.quantity) && (!Number.isFinite(quantity) || quantity <= 0)) {
      return invalid('items', `items[${index}].quantity must be a positive number`);
    }
    const cost = present(item.cost) ? item.cost : 0;
    if ((typeof cost !== 'string' && typeof cost !== 'number') || toMinor(cost, currency) === null) {
      return invalid('items', `items[${index}].cost "${String(item.cost)}" is not an amount`);
    }
    const { externalItemId, name, quantity: _q, cost: _c, url, imageUrl, ...extra } = item;
    items.push({
      externalItemId: String(externalItemId ?? ''),
      name: String(name ?? ''),
      quantity: present(item.quantity) ? quantity : 1,
      cost,
      url: String(url ?? ''),
      imageUrl: String(imageUrl ?? ''),
      extra,
    });
  }
  return { ok: true, items, missing };
}

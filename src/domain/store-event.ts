/**
 * The canonical event every wire format is translated into. Ingest adapters build it (pure);
 * engine.apply() stores it and applies its effects in one transaction.
 */

import type { ChannelName, ProviderError } from './messages.js';

export type EventSource =
  | 'native'
  | 'generate_event'
  | 'shipment_api'
  | 'contacts_api'
  | 'order_portal'
  | 'tracking_page'
  | 'whatsapp'
  | 'messenger'
  | 'sandbox'
  | 'segment'
  | 'shopify'
  | 'shiprocket';

/** Shopper activity shows in the recent-events API; system events (syncs, consent) do not. */
export type EventKind = 'activity' | 'system';

export interface Identity {
  customerId?: string;
  email?: string;
  /** E.164 */
  phone?: string;
  /** Messenger's page-scoped id for the shopper */
  psid?: string;
  /** A browser's id before the shopper is known (Segment's anonymousId) */
  anonymousId?: string;
  /** The name the store gives the shopper. */
  name?: string;
  /** The name the shopper gives themselves on WhatsApp: kept beside the store's, never replacing it. */
  whatsappProfileName?: string;
}

export interface Warning {
  code: string;
  message: string;
}

export interface ProductSighting {
  productId: string;
  variantId: string;
  title: string | null;
  priceMinor: number | null;
  currency: string | null;
  url: string | null;
  imageUrl: string | null;
}

export interface CartLine {
  productId: string;
  variantId: string;
  title: string | null;
  quantity: number;
  linePriceMinor: number | null;
  url: string | null;
  imageUrl: string | null;
}

export interface CartSnapshot {
  lines: CartLine[];
  empty: boolean;
  cartLink: string | null;
  totalMinor: number | null;
  currency: string | null;
  recentProductImage: string | null;
  /** The checkout was completed (Shopify's completed_at): the cart became an order, recovery ends. */
  converted?: boolean;
}

/**
 * One product put into or taken out of the cart (Segment's Product Added / Removed), for
 * sources that do not send the whole cart: the engine applies it to the cart it keeps.
 */
export interface CartChange {
  op: 'add' | 'remove';
  productId: string;
  variantId: string;
  title: string | null;
  /** Units added or removed; null on a removal means the whole line. */
  quantity: number | null;
  unitPriceMinor: number | null;
  currency: string | null;
  url: string | null;
  imageUrl: string | null;
  /** A link back to the cart, when the source gives one. */
  cartLink: string | null;
}

export const ORDER_STATUSES = [
  'ABANDONED_SHOPPING_CART',
  'INITIALIZED',
  'IN_PROGRESS',
  'DELIVERED',
  'CANCELLED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  externalItemId: string;
  name: string;
  quantity: number;
  costMinor: number;
  url: string;
  imageUrl: string;
  /** Everything else the store sent for the item (category, description, sku...). */
  extra: Record<string, unknown>;
}

/** A decimal amount as the store sent it ("258.0", 990), already checked to be one. */
export type Amount = string | number;

/**
 * An item as an event gives it. Its cost stays decimal until the order's currency is known,
 * which an update may leave to the order it updates (a JPY order has no minor digits).
 */
export type OrderItemInput = Omit<OrderItem, 'costMinor'> & { cost: Amount };

export interface OrderFields {
  status?: OrderStatus;
  totalCost?: Amount;
  currency?: string;
  orderedAt?: number;
  items?: OrderItemInput[];
  /** Other parameters (payment type, addresses...), merged key by key on update. */
  attributes?: Record<string, unknown>;
  /**
   * When the source last changed the order (Shopify's updated_at). Webhooks arrive late and out
   * of order: an update older than the one already applied changes nothing.
   */
  sourceUpdatedAt?: number;
}

export type OrderChange =
  | {
      kind: 'upsert';
      orderId: string;
      fields: OrderFields;
      /** Required fields this event lacks; it may only update an existing order. */
      missingForCreate: string[];
      /** Fields used only when the event creates the order (an update that may come first). */
      defaultsForCreate?: OrderFields;
      /** 'ignore': an event about an order that does not exist is ignored (ORDER_NOT_FOUND). */
      whenMissing?: 'create' | 'ignore';
      /**
       * The total includes charges no item carries (shipping, taxes, order discounts: Shopify's
       * total_price), so the items are not expected to add up to it.
       */
      totalIncludesCharges?: boolean;
    }
  | { kind: 'set_status'; orderId: string; status: 'DELIVERED' | 'CANCELLED' };

export const SHIPMENT_STATUSES = [
  'created',
  'packed',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'failed_delivery',
  'delivered',
  'rto_initiated',
  'rto_in_transit',
  'rto_delivered',
  'cancelled',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface NdrResolution {
  resolutionCode: string;
  action: string;
}

export interface NdrDetails {
  ndrCode: string | null;
  reason: string | null;
  resolutions: NdrResolution[];
}

export interface ShipmentEntry {
  shipmentId: string;
  orderId: string;
  status: ShipmentStatus;
  remark: string;
  location: string;
  trackingId: string | null;
  courierName: string | null;
  ndr: NdrDetails | null;
  /** Order item ids this shipment carries; empty means the whole order. */
  itemIds: string[];
}

export interface ContactProfile {
  name?: string;
  attributes?: Record<string, unknown>;
  /**
   * When the source last changed this profile (Shopify's customer updated_at), kept in the
   * named attribute as ISO 8601: a profile older than the one applied changes nothing.
   */
  sourceUpdatedAt?: { attribute: string; at: number };
}

/**
 * Marketing consent the event gives or withdraws, per channel (a channel not named is left as
 * it is). `source` says where it came from: a contact sync's own word, order_portal, keyword,
 * opt_out_button, whatsapp_user_preferences, whatsapp_131050.
 */
export interface ConsentChange {
  /** WhatsApp (and the sandbox standing in for it). */
  whatsappStatus?: 'ACTIVE' | 'INACTIVE';
  messengerStatus?: 'ACTIVE' | 'INACTIVE';
  source: string;
  /** What the shopper wrote or tapped, or the provider's words. */
  detail?: string;
}

export interface StoreEvent {
  /** Idempotency key within the store: the client's event id, or one derived from content. */
  eventId: string;
  name: string;
  subName: string | null;
  kind: EventKind;
  source: EventSource;
  occurredAt: number;
  /** The time as the client wrote it, echoed back by the recent-events API. */
  timestamp: string;
  /** The payload as received, kept for templates and the event history. */
  data: Record<string, unknown>;
  identity: Identity;
  products: ProductSighting[];
  cart?: CartSnapshot;
  cartChange?: CartChange;
  order?: OrderChange;
  shipment?: ShipmentEntry;
  profile?: ContactProfile;
  consent?: ConsentChange;
  /** A provider's report on a message Storewire sent. */
  messageStatus?: MessageStatusChange;
  /** A message from the shopper: opens the customer-service window, may answer a message. */
  inbound?: InboundMessage;
  /**
   * The shopper chose what to do about a failed delivery elsewhere than on WhatsApp (the hosted
   * tracking page): recorded on the order's shipment and told to the store as a button tap is.
   */
  ndrChoice?: NdrChoiceMade;
  /**
   * The event may only apply to an existing contact that holds every identifier given (seed
   * 004's opt-in matches phone AND email); otherwise it is ignored with CONTACT_NOT_FOUND.
   */
  matchExistingOnly?: boolean;
  warnings: Warning[];
}

export interface NdrChoiceMade {
  orderId: string;
  shipmentId: string;
  /** The channel the store's webhook names: where the shopper chose. */
  channel: 'tracking_page';
  resolutionCode: string;
  action: string;
}

export interface MessageStatusChange {
  channel: ChannelName;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  errors: ProviderError[];
}

export interface InboundMessage {
  channel: ChannelName;
  providerMessageId: string;
  /** The provider id of the message this one answers, if any. */
  replyTo: string | null;
  /** What the store's webhook is told: a question, a tapped button or list row, or a cart. */
  notify: 'message.inbound' | 'message.reply' | 'order.created';
  text: string | null;
  reply: { id: string; title: string } | null;
  product: { catalogId: string; productRetailerId: string } | null;
  /** Item names, links and images come from the store's catalog when it knows the product. */
  fillItemsFromCatalog: boolean;
}

/** What an adapter returns for one input: an event, or why it was refused. */
export type Adapted = { ok: true; event: StoreEvent } | { ok: false; error: Rejection };

export interface Rejection {
  code: string;
  message: string;
  path?: string;
  details?: unknown;
}

/** What the store context gives an adapter: how to read local phone numbers and times. */
export interface StoreContext {
  storeId: string;
  defaultCountry: string;
  timeZone: string;
}

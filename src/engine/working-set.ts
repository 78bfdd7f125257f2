import type { MessageRecord } from '../domain/messages.js';
import type { WebhookEventType } from '../webhooks-out/event-types.js';
import type { NewIdentity } from '../storage/contacts.js';
import type { PendingStatus } from '../storage/messages.js';
import type {
  CartRecord,
  ContactRecord,
  EventRecord,
  NdrChoice,
  OrderRecord,
  ProductRecord,
  ShipmentRecord,
} from '../domain/records.js';

/** What engine.apply reads before deciding anything: the rows a batch of events can touch. */
export interface Snapshot {
  duplicateIds: Set<string>;
  /** "kind:value" -> contact id */
  identities: Map<string, string>;
  contacts: Map<string, ContactRecord>;
  /** by contact id */
  carts: Map<string, CartRecord>;
  /** Contacts whose cart was looked for (found or not): a cart of anyone else is unknown. */
  cartsLoadedFor: Set<string>;
  orders: Map<string, OrderRecord>;
  shipments: Map<string, ShipmentRecord>;
  /** by productKey(productId, variantId) */
  products: Map<string, ProductRecord>;
  /** Messages statuses and replies refer to, by messageKey(channel, provider id). */
  messages: Map<string, MessageRecord>;
}

export const messageKey = (channel: string, providerMessageId: string) => `${channel}\u0000${providerMessageId}`;

/** Something to tell the store's webhook subscribers, written in the same transaction. */
export interface WebhookItem {
  type: WebhookEventType;
  payload: Record<string, unknown>;
}

/** Everything one batch writes, decided in memory and then written set by set. */
export interface Changes {
  /** New and changed contacts (never one that was merged away). */
  contacts: Map<string, ContactRecord>;
  /** Contacts created by this batch (a merge of one of them needs no database update). */
  createdContacts: Set<string>;
  identities: NewIdentity[];
  merges: { from: string; into: string }[];
  /**
   * Contacts this batch created and then merged away: they are still written, as pointers to
   * the contact they became, so their ids resolve exactly as with one transaction per event.
   */
  createdThenMerged: { contact: ContactRecord; into: string }[];
  events: EventRecord[];
  carts: Map<string, CartRecord>;
  deletedCarts: Set<string>;
  orders: Map<string, OrderRecord>;
  shipments: Map<string, ShipmentRecord>;
  products: Map<string, ProductRecord>;
  /** Messages whose status changed, by id. */
  messages: Map<string, MessageRecord>;
  /** Statuses of messages not known (yet) by their provider id. */
  pendingStatuses: PendingStatus[];
  webhooks: WebhookItem[];
  /** Shoppers' answers to failed deliveries, for the orders' shipments. */
  ndrChoices: { orderId: string; choice: NdrChoice }[];
}

/**
 * The snapshot as the batch changes it. Every decision of a later event sees the effects of
 * the earlier ones, exactly as if the events had been applied one transaction each.
 */
export class WorkingSet {
  readonly changes: Changes = {
    contacts: new Map(),
    createdContacts: new Set(),
    identities: [],
    merges: [],
    createdThenMerged: [],
    events: [],
    carts: new Map(),
    deletedCarts: new Set(),
    orders: new Map(),
    shipments: new Map(),
    products: new Map(),
    messages: new Map(),
    pendingStatuses: [],
    webhooks: [],
    ndrChoices: [],
  };
  /** Merged-away contact id -> the contact it became. */
  private readonly redirects = new Map<string, string>();
  readonly seenEventIds = new Set<string>();
  /** Contacts whose cart the plan needed but the snapshot did not load; see applySubmissions. */
  readonly missingCarts = new Set<string>();

  constructor(
    readonly snapshot: Snapshot,
    readonly now: number,
  ) {}

  /** The live id for a contact id that may have been merged away during this batch. */
  live(contactId: string): string {
    let id = contactId;
    for (let next = this.redirects.get(id); next; next = this.redirects.get(id)) id = next;
    return id;
  }

  contact(id: string): ContactRecord {
    const contact = this.snapshot.contacts.get(this.live(id));
    if (!contact) throw new Error(`contact ${id} is not in the working set`);
    return contact;
  }

  saveContact(contact: ContactRecord): void {
    this.snapshot.contacts.set(contact.id, contact);
    this.changes.contacts.set(contact.id, contact);
  }

  redirect(from: string, into: string): void {
    this.redirects.set(from, into);
  }

  /** A contact's cart; asking for one the snapshot did not load marks the plan incomplete. */
  cartOf(contactId: string): CartRecord | undefined {
    if (!this.snapshot.cartsLoadedFor.has(contactId) && !this.changes.createdContacts.has(contactId))
      this.missingCarts.add(contactId);
    return this.snapshot.carts.get(contactId);
  }

  saveCart(cart: CartRecord): void {
    this.snapshot.carts.set(cart.contactId, cart);
    this.changes.carts.set(cart.contactId, cart);
  }

  saveOrder(order: OrderRecord): void {
    this.snapshot.orders.set(order.orderId, order);
    this.changes.orders.set(order.orderId, order);
  }

  saveMessage(message: MessageRecord): void {
    if (message.providerMessageId)
      this.snapshot.messages.set(messageKey(message.channel, message.providerMessageId), message);
    this.changes.messages.set(message.id, message);
  }

  saveShipment(shipment: ShipmentRecord): void {
    this.snapshot.shipments.set(shipment.shipmentId, shipment);
    this.changes.shipments.set(shipment.shipmentId, shipment);
  }
}

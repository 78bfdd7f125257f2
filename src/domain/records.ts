import type { OrderState } from './order-rules.js';
import type { StatusLogEntry } from './shipment-rules.js';
import type { CartLine, ProductSighting } from './store-event.js';

/** The state the engine reads and writes, independent of how a database stores it. */

export type WhatsAppStatus = 'ACTIVE' | 'INACTIVE';

export interface ContactRecord {
  id: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  attributes: Record<string, unknown>;
  whatsappStatus: WhatsAppStatus;
  whatsappStatusSource: string | null;
  whatsappStatusAt: number | null;
  createdAt: number;
  updatedAt: number;
  /** When the shopper last wrote on WhatsApp / Messenger: the 24-hour customer-service window. */
  whatsappInboundAt: number | null;
  messengerInboundAt: number | null;
  /** The name the shopper gave themselves on WhatsApp (never the store's `name`, which it does not replace). */
  whatsappProfileName: string | null;
  /** Marketing on Messenger: null until the shopper says (allowed), INACTIVE after a STOP. */
  messengerStatus: WhatsAppStatus | null;
  messengerStatusSource: string | null;
  messengerStatusAt: number | null;
}

/** A contact as reads show it: with the time of its latest activity, derived from its events. */
export interface ContactView extends ContactRecord {
  lastSeenAt: number | null;
}

export type CartStatus = 'active' | 'empty' | 'converted';

export interface CartRecord {
  contactId: string;
  status: CartStatus;
  lines: CartLine[];
  totalMinor: number | null;
  currency: string | null;
  cartLink: string | null;
  recentProductImage: string | null;
  updatedAt: number;
  lastEventId: string;
  createdAt: number;
}

export interface OrderRecord {
  orderId: string;
  contactId: string | null;
  state: OrderState;
  source: string;
  createdAt: number;
  updatedAt: number;
  /** The secret of its public tracking page (PUBLIC_URL/t/<token>); given when the order is first stored. */
  trackingToken?: string | null;
}

export interface ShipmentRecord {
  shipmentId: string;
  orderId: string;
  trackingId: string | null;
  courierName: string | null;
  itemIds: string[];
  log: StatusLogEntry[];
  createdAt: number;
  updatedAt: number;
  /** What the shopper chose after a failed delivery (seed 004's ndrResolutionDetails). */
  ndrResolution?: NdrChoice | null;
}

export interface NdrChoice {
  /** The resolution offered in the shipment event that the choice matches, when one does. */
  resolutionCode: string | null;
  action: string | null;
  /** The button the shopper tapped. */
  choice: string;
  title: string;
  chosenAt: string;
  messageId: string | null;
}

/** A product as the catalog keeps it: the newest sighting, as of the event it came from. */
export interface ProductRecord extends ProductSighting {
  seenAt: number;
}

export interface EventRecord {
  eventId: string;
  contactId: string | null;
  name: string;
  subName: string | null;
  kind: string;
  source: string;
  occurredAt: number;
  timestamp: string;
  receivedAt: number;
  data: Record<string, unknown>;
}

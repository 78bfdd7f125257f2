/** The shapes the dashboard reads from the API (docs/dashboard.md, the dashboard contract). */

export type Role = 'owner' | 'marketer' | 'agent';

export interface SessionStore {
  id: string;
  name: string;
  role: Role;
}

export interface Session {
  user: { id: string; email: string; name: string | null };
  stores: SessionStore[];
  csrfToken: string;
}

export interface Contact {
  id: string;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  attributes: Record<string, unknown>;
  whatsapp: { status: string | null; source: string | null; updatedAt: string | null; profileName?: string | null };
  /** null status: the shopper never said (marketing on Messenger goes unless INACTIVE). */
  messenger?: { status: string | null; source: string | null; updatedAt: string | null };
  createdAt: string;
  lastSeenAt: string | null;
}

/** One change of marketing consent on a channel (docs/contacts.md). */
export interface ConsentChange {
  channel: string;
  status: string | null;
  previousStatus: string | null;
  source: string | null;
  detail: string | null;
  at: string;
  eventId: string;
}

export interface CartLine {
  productId: string;
  variantId: string | null;
  title: string | null;
  quantity: number;
  linePrice: number | null;
  productUrl: string | null;
  imageUrl: string | null;
}

export interface Cart {
  status: string;
  total: number | null;
  currency: string | null;
  cartLink: string | null;
  lines: CartLine[];
  updatedAt: string;
}

export interface ContactOrderSummary {
  orderId: string;
  status: string;
  total: number | null;
  currency: string | null;
  orderedAt: string | null;
  items: number;
}

export interface Identity {
  kind: string;
  value: string;
}

export interface ContactDetail extends Contact {
  identities: Identity[];
  consentHistory?: ConsentChange[];
  cart: Cart | null;
  orders: ContactOrderSummary[];
}

export interface StatusChange {
  status: string;
  at: string;
  detail?: string;
}

export interface Message {
  id: string;
  channel: string;
  sender: string;
  recipient: string;
  contactId: string | null;
  kind: string;
  category: string;
  templateName: string | null;
  campaign: string | null;
  source: string;
  status: string;
  statusHistory: StatusChange[];
  providerMessageId: string | null;
  error: { code: string | null; reason: string | null } | null;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  repliedAt: string | null;
}

export type TimelineItem =
  | {
      kind: 'event';
      at: string;
      event: { id: string; name: string; subName: string | null; data: Record<string, unknown> | null };
    }
  | { kind: 'message'; at: string; message: Message };

export interface OrderListItem {
  orderId: string;
  status: string;
  orderDate: string;
  orderTotal: number | null;
  currency: string | null;
  itemCount: number;
  contactId: string | null;
  customerName: string | null;
  phone: string | null;
  email: string | null;
  trackingUrl: string | null;
}

export interface StatusLogEntry {
  status: string;
  updatedAt: string;
  remark: string | null;
  location: string | null;
}

export interface NdrDetails {
  ndrCode?: string;
  reason?: string;
  resolutions?: { resolutionCode: string; action: string }[];
}

export interface OrderItem {
  orderItemID: string;
  productName: string;
  quantity: number;
  customerPrice: number | null;
  lineItemTotal: number | null;
  productUrl?: string | null;
  productImageUrl: string | null;
  shipmentId: string | null;
  latestStatus: string | null;
  statusUpdatedAt: string | null;
  ndrDetails: NdrDetails;
  ndrResolutionDetails?: Record<string, unknown>;
  invoiceUrl?: string;
  forwardTrackingTimeline: { courierName: string | null; trackingID: string | null; statusLog: StatusLogEntry[] };
}

export interface Address {
  customerName?: string | null;
  contactPhone?: string | null;
  email?: string | null;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
  countryName?: string;
}

export interface OrderDetail {
  orderId: string;
  orderDate: string;
  status: string;
  currency: string | null;
  paymentType: string | null;
  isCOD: number;
  subTotal: number | null;
  orderTotal: number | null;
  shippingAddress: Address | null;
  contactId: string | null;
  items: OrderItem[];
  trackingUrl?: string | null;
  isWhatsAppEnabledForNotifications: '0' | '1';
}

/** GET /v1/overview (docs/overview.md). */
export type OverviewPeriod = 'today' | '7d' | '30d';

export interface MessageCounts {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
}

export interface OverviewCounts {
  events: number;
  messages: MessageCounts;
  orders: number;
  /** By currency ("" for orders without one). */
  revenue: Record<string, number>;
  runs: number;
}

export interface Overview {
  period: OverviewPeriod;
  timeZone: string;
  granularity: 'hour' | 'day';
  from: string;
  to: string;
  totals: OverviewCounts;
  series: (OverviewCounts & { label: string; start: string })[];
  templates: (MessageCounts & { template: string })[];
  journeys: { journeyId: string; name: string | null; entered: number; completed: number; exited: number }[];
  eventKinds: Record<string, number>;
}

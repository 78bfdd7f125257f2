import type { AccountTables } from './account-schema.js';
import type { ConnectorTables } from './connector-schema.js';
import type { JourneyTables } from './journey-schema.js';
import type { JourneyConversionTables, LiveTables, RollupTables } from './rollup-schema.js';
/** Row types of every table, as Kysely sees them. JSON columns hold text on both databases. */

export interface StoresTable {
  id: string;
  name: string;
  default_country: string;
  time_zone: string;
  api_key_hash: string;
  ingest_token_hash: string;
  /** JSON: StoreSettings */
  settings: string;
  /** 1 for the demo store made by `storewire start` */
  is_demo: number;
  created_at: number;
}

export interface EventsTable {
  store_id: string;
  event_id: string;
  contact_id: string | null;
  name: string;
  sub_name: string | null;
  kind: string;
  source: string;
  occurred_at: number;
  timestamp: string;
  received_at: number;
  /** JSON */
  data: string;
}

export interface ContactsTable {
  id: string;
  store_id: string;
  customer_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  /** JSON object */
  attributes: string;
  whatsapp_status: string;
  whatsapp_status_source: string | null;
  whatsapp_status_at: number | null;
  merged_into: string | null;
  created_at: number;
  updated_at: number;
  whatsapp_inbound_at: number | null;
  messenger_inbound_at: number | null;
  whatsapp_profile_name: string | null;
  /** Marketing on Messenger (migration 0008): null = never said, ACTIVE or INACTIVE. */
  messenger_status: string | null;
  messenger_status_source: string | null;
  messenger_status_at: number | null;
}

export interface ContactIdentitiesTable {
  store_id: string;
  kind: string;
  value: string;
  contact_id: string;
  created_at: number;
}

export interface CartsTable {
  store_id: string;
  contact_id: string;
  status: string;
  /** JSON: CartLine[] */
  lines: string;
  total_minor: number | null;
  currency: string | null;
  cart_link: string | null;
  recent_product_image: string | null;
  /** Time of the event that produced this state; older events never overwrite it. */
  updated_at: number;
  last_event_id: string;
  created_at: number;
}

export interface ProductsTable {
  store_id: string;
  product_id: string;
  variant_id: string;
  title: string | null;
  price_minor: number | null;
  currency: string | null;
  url: string | null;
  image_url: string | null;
  seen_at: number;
}

export interface OrdersTable {
  store_id: string;
  order_id: string;
  contact_id: string | null;
  status: string;
  total_minor: number;
  currency: string | null;
  ordered_at: number;
  /** JSON: OrderItem[] */
  items: string;
  /** JSON object */
  attributes: string;
  source: string;
  source_updated_at: number | null;
  created_at: number;
  updated_at: number;
  /** The secret of the order's public tracking page (migration 0009); set once, when the order is first written. */
  tracking_token?: string | null;
}

export interface ShipmentsTable {
  store_id: string;
  shipment_id: string;
  order_id: string;
  tracking_id: string | null;
  courier_name: string | null;
  /** JSON: string[] */
  item_ids: string;
  /** JSON: StatusLogEntry[] */
  log: string;
  latest_status: string;
  latest_at: number;
  created_at: number;
  updated_at: number;
  /** JSON: NdrResolution, or null (written only by journeys; shipment upserts leave it) */
  ndr_resolution?: string | null;
}

export interface ChannelAccountsTable {
  store_id: string;
  channel: string;
  external_id: string;
  /** JSON: ChannelConfig (nothing secret) */
  config: string;
  /** JSON: ChannelSecrets — never returned by the API */
  secrets: string;
  status: string;
  status_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplatesTable {
  store_id: string;
  name: string;
  channel: string;
  /** JSON: TemplateDefinition */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  store_id: string;
  contact_id: string | null;
  channel: string;
  /** The sending account's external id (phone number id, page id, "sandbox"). */
  sender: string;
  recipient: string;
  kind: string;
  category: string;
  template_name: string | null;
  campaign: string | null;
  source: string;
  idempotency_key: string;
  /** JSON: the provider request body */
  payload: string;
  status: string;
  /** JSON: StatusChange[] */
  history: string;
  provider_message_id: string | null;
  error_code: string | null;
  error_reason: string | null;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  /** The worker that claimed it for its current attempt (workers.id); null when written claimed before 0022. */
  claimed_by: string | null;
  /** Attempts whose outcome stayed unknown (message_attempts). */
  unknown_attempts: number;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  read_at: number | null;
  failed_at: number | null;
  replied_at: number | null;
}

export interface MessageStatusPendingTable {
  channel: string;
  provider_message_id: string;
  status: string;
  at: number;
  /** JSON: ProviderError[] */
  errors: string;
  received_at: number;
}

export interface WebhookSubscriptionsTable {
  id: string;
  store_id: string;
  url: string;
  secret: string;
  /** JSON: string[] of event types, ["*"] for all */
  events: string;
  active: number;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  store_id: string;
  subscription_id: string;
  event_type: string;
  /** JSON */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  /** The worker that holds the lease (workers.id), when it has a heartbeat row. */
  lease_owner?: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

/** The dispatcher that paces a sender now (migration 0005). */
export interface MessageAttemptsTable {
  message_id: string;
  attempt: number;
  worker: string | null;
  started_at: number;
  ended_at: number | null;
  outcome: string | null;
  provider_message_id: string | null;
  error_code: string | null;
}

export interface WorkersTable {
  id: string;
  started_at: number;
  heartbeat_at: number;
  dispatched_at: number | null;
}

export interface SenderLeasesTable {
  sender: string;
  owner: string;
  lease_until: number;
}

export interface SandboxReportsTable {
  id: string;
  store_id: string;
  message_id: string;
  provider_message_id: string;
  account_external_id: string;
  recipient_id: string | null;
  status: string;
  /** JSON text: the provider errors of a failed report */
  errors: string;
  due_at: number;
  ord: number;
  lease_until: number | null;
}

export interface ChannelErrorsTable {
  id: string;
  store_id: string;
  channel: string;
  /** The account's id at the provider (phone number id, page id). */
  external_id: string;
  code: string;
  title: string;
  detail: string | null;
  href: string | null;
  received_at: number;
}

export interface DemoCredentialsTable {
  store_id: string;
  api_key: string;
  ingest_token: string;
  created_at: number;
}

export interface Schema
  extends JourneyTables,
    ConnectorTables,
    AccountTables,
    RollupTables,
    LiveTables,
    JourneyConversionTables {
  stores: StoresTable;
  events: EventsTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  carts: CartsTable;
  products: ProductsTable;
  orders: OrdersTable;
  shipments: ShipmentsTable;
  channel_accounts: ChannelAccountsTable;
  channel_errors: ChannelErrorsTable;
  demo_credentials: DemoCredentialsTable;
  templates: TemplatesTable;
  messages: MessagesTable;
  message_status_pending: MessageStatusPendingTable;
  sender_leases: SenderLeasesTable;
  workers: WorkersTable;
  message_attempts: MessageAttemptsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sandbox_reports: SandboxReportsTable;
}

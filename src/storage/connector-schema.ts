/** Row types of the connector tables (migration 0003). */

export interface StoreConnectorsTable {
  store_id: string;
  /** "shopify" | "shiprocket" */
  connector: string;
  /** Shopify: the shop domain, lower case. Shiprocket: SHA-256 of the webhook token. */
  lookup_key: string;
  /** JSON: what the API shows */
  config: string;
  /** JSON: what it never shows */
  secrets: string;
  created_at: number;
  updated_at: number;
  /** "active", or "conflict": another store connected the same shop or token first (migration 0007). */
  status: string;
}

export interface ConnectorIgnoredTable {
  store_id: string;
  connector: string;
  topic: string;
  reason: string;
  count: number;
  first_at: number;
  last_at: number;
  last_delivery_id: string | null;
}

export interface ConnectorTables {
  store_connectors: StoreConnectorsTable;
  connector_ignored: ConnectorIgnoredTable;
}

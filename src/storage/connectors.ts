import type { ConnectorIgnoredTable, StoreConnectorsTable } from './connector-schema.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './database-errors.js';
import { parseJson, toJson } from './json.js';

export type ConnectorName = 'shopify' | 'shiprocket';

/** A store's connection to an outside platform that sends it webhooks. */
export interface Connector {
  storeId: string;
  connector: ConnectorName;
  lookupKey: string;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  /** 'conflict': another store connected the same shop first (migration 0007); it receives nothing. */
  status: 'active' | 'conflict';
}

export interface IgnoredDeliveries {
  topic: string;
  reason: string;
  count: number;
  firstAt: number;
  lastAt: number;
  lastDeliveryId: string | null;
}

function toConnector(row: StoreConnectorsTable): Connector {
  return {
    storeId: row.store_id,
    connector: row.connector as ConnectorName,
    lookupKey: row.lookup_key,
    config: parseJson<Record<string, unknown>>(row.config, {}),
    secrets: parseJson<Record<string, string>>(row.secrets, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status === 'conflict' ? 'conflict' : 'active',
  };
}

/**
 * Creates or replaces the store's connector of that name (a replaced one keeps its creation
 * time and is active again). 'taken' when another store holds its shop or token.
 */
export async function putConnector(
  db: Db,
  connector: Omit<Connector, 'createdAt' | 'updatedAt' | 'status'>,
  now: number,
): Promise<Connector | 'taken'> {
  const holder = await db
    .selectFrom('store_connectors')
    .select('store_id')
    .where('connector', '=', connector.connector)
    .where('lookup_key', '=', connector.lookupKey)
    .where('status', '<>', 'conflict')
    .executeTakeFirst();
  if (holder && holder.store_id !== connector.storeId) return 'taken';
  const row: StoreConnectorsTable = {
    store_id: connector.storeId,
    connector: connector.connector,
    lookup_key: connector.lookupKey,
    config: toJson(connector.config),
    secrets: toJson(connector.secrets),
    created_at: now,
    updated_at: now,
    status: 'active',
  };
  try {
    await db
      .insertInto('store_connectors')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['store_id', 'connector']).doUpdateSet((eb) => ({
          lookup_key: eb.ref('excluded.lookup_key'),
          config: eb.ref('excluded.config'),
          secrets: eb.ref('excluded.secrets'),
          updated_at: eb.ref('excluded.updated_at'),
          status: eb.ref('excluded.status'),
        })),
      )
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken';
    throw error;
  }
  return (await getConnector(db, connector.storeId, connector.connector))!;
}

export async function getConnector(db: Db, storeId: string, connector: ConnectorName): Promise<Connector | null> {
  const row = await db
    .selectFrom('store_connectors')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('connector', '=', connector)
    .executeTakeFirst();
  return row ? toConnector(row) : null;
}

export async function connectorsOfStore(db: Db, storeId: string): Promise<Connector[]> {
  const rows = await db
    .selectFrom('store_connectors')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('connector')
    .execute();
  return rows.map(toConnector);
}

/** Whether a connector was there to delete. What it had set aside is forgotten with it. */
export async function deleteConnector(db: Db, storeId: string, connector: ConnectorName): Promise<boolean> {
  const result = await db
    .deleteFrom('store_connectors')
    .where('store_id', '=', storeId)
    .where('connector', '=', connector)
    .executeTakeFirst();
  await db.deleteFrom('connector_ignored').where('store_id', '=', storeId).where('connector', '=', connector).execute();
  return Number(result.numDeletedRows) > 0;
}

/** The connector an inbound webhook is for: the one store holding this shop or token (none in conflict). */
export async function connectorsByLookupKey(db: Db, connector: ConnectorName, lookupKey: string): Promise<Connector[]> {
  const rows = await db
    .selectFrom('store_connectors')
    .selectAll()
    .where('connector', '=', connector)
    .where('lookup_key', '=', lookupKey)
    .where('status', '<>', 'conflict')
    .execute();
  return rows.map(toConnector);
}

/** Frees a shop (or token) from the store that holds it, whichever that is; that store's id, or null. */
export async function releaseLookupKey(db: Db, connector: ConnectorName, lookupKey: string): Promise<string | null> {
  const [holder] = await connectorsByLookupKey(db, connector, lookupKey);
  if (!holder) return null;
  await deleteConnector(db, holder.storeId, connector);
  return holder.storeId;
}

/** Counts a delivery that was answered 200 but not applied; one statement, so concurrent ones all count. */
export async function recordIgnored(
  db: Db,
  entry: { storeId: string; connector: ConnectorName; topic: string; reason: string; deliveryId: string | null },
  now: number,
): Promise<void> {
  const row: ConnectorIgnoredTable = {
    store_id: entry.storeId,
    connector: entry.connector,
    topic: entry.topic,
    reason: entry.reason,
    count: 1,
    first_at: now,
    last_at: now,
    last_delivery_id: entry.deliveryId,
  };
  await db
    .insertInto('connector_ignored')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['store_id', 'connector', 'topic', 'reason']).doUpdateSet((eb) => ({
        count: eb('connector_ignored.count', '+', 1),
        last_at: eb.ref('excluded.last_at'),
        last_delivery_id: eb.ref('excluded.last_delivery_id'),
      })),
    )
    .execute();
}

export async function ignoredOfConnector(
  db: Db,
  storeId: string,
  connector: ConnectorName,
): Promise<IgnoredDeliveries[]> {
  const rows = await db
    .selectFrom('connector_ignored')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('connector', '=', connector)
    .orderBy('last_at', 'desc')
    .orderBy('topic')
    .execute();
  return rows.map((r) => ({
    topic: r.topic,
    reason: r.reason,
    count: Number(r.count),
    firstAt: r.first_at,
    lastAt: r.last_at,
    lastDeliveryId: r.last_delivery_id,
  }));
}

import type { NdrChoice, ShipmentRecord } from '../domain/records.js';
import { latestEntry } from '../domain/shipment-rules.js';
import { rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { selectByKeys } from './keyed-select.js';
import { parseJson, toJson } from './json.js';
import type { ShipmentsTable } from './schema.js';

function toRecord(row: ShipmentsTable): ShipmentRecord {
  return {
    shipmentId: row.shipment_id,
    orderId: row.order_id,
    trackingId: row.tracking_id,
    courierName: row.courier_name,
    itemIds: parseJson(row.item_ids, []),
    log: parseJson(row.log, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ndrResolution: parseJson(row.ndr_resolution ?? null, null),
  };
}

/** Records the shopper's answer to a failed delivery on the order's shipments. */
export async function recordNdrChoice(db: Db, storeId: string, orderId: string, choice: NdrChoice): Promise<number> {
  const result = await db
    .updateTable('shipments')
    .set({ ndr_resolution: toJson(choice) })
    .where('store_id', '=', storeId)
    .where('order_id', '=', orderId)
    .where('latest_status', '=', 'failed_delivery')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findShipments(
  db: Db,
  storeId: string,
  shipmentIds: string[],
): Promise<Map<string, ShipmentRecord>> {
  const rows = await selectByKeys<ShipmentsTable>(db, {
    table: 'shipments',
    storeId,
    columns: ['shipment_id'],
    keys: shipmentIds.map((id) => [id]),
  });
  return new Map(rows.map((row) => [row.shipment_id, toRecord(row)]));
}

export async function upsertShipments(db: Db, storeId: string, shipments: ShipmentRecord[]): Promise<void> {
  const rows: ShipmentsTable[] = shipments.map((s) => {
    const latest = latestEntry(s.log)!;
    return {
      store_id: storeId,
      shipment_id: s.shipmentId,
      order_id: s.orderId,
      tracking_id: s.trackingId,
      courier_name: s.courierName,
      item_ids: toJson(s.itemIds),
      log: toJson(s.log),
      latest_status: latest.status,
      latest_at: latest.occurredAt,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
    };
  });
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('shipments')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_id', 'shipment_id']).doUpdateSet((eb) => ({
          order_id: eb.ref('excluded.order_id'),
          tracking_id: eb.ref('excluded.tracking_id'),
          courier_name: eb.ref('excluded.courier_name'),
          item_ids: eb.ref('excluded.item_ids'),
          log: eb.ref('excluded.log'),
          latest_status: eb.ref('excluded.latest_status'),
          latest_at: eb.ref('excluded.latest_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function shipmentsOfOrder(db: Db, storeId: string, orderId: string): Promise<ShipmentRecord[]> {
  const rows = await db
    .selectFrom('shipments')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
  return rows.map(toRecord);
}

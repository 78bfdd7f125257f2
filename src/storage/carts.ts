import type { CartRecord, CartStatus } from '../domain/records.js';
import { inListChunks, rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { selectByKeys } from './keyed-select.js';
import { parseJson, toJson } from './json.js';
import type { CartsTable } from './schema.js';

function toRecord(row: CartsTable): CartRecord {
  return {
    contactId: row.contact_id,
    status: row.status as CartStatus,
    lines: parseJson(row.lines, []),
    totalMinor: row.total_minor,
    currency: row.currency,
    cartLink: row.cart_link,
    recentProductImage: row.recent_product_image,
    updatedAt: row.updated_at,
    lastEventId: row.last_event_id,
    createdAt: row.created_at,
  };
}

export async function findCarts(db: Db, storeId: string, contactIds: string[]): Promise<Map<string, CartRecord>> {
  const rows = await selectByKeys<CartsTable>(db, {
    table: 'carts',
    storeId,
    columns: ['contact_id'],
    keys: contactIds.map((id) => [id]),
  });
  return new Map(rows.map((row) => [row.contact_id, toRecord(row)]));
}

export async function upsertCarts(db: Db, storeId: string, carts: CartRecord[]): Promise<void> {
  const rows: CartsTable[] = carts.map((c) => ({
    store_id: storeId,
    contact_id: c.contactId,
    status: c.status,
    lines: toJson(c.lines),
    total_minor: c.totalMinor,
    currency: c.currency,
    cart_link: c.cartLink,
    recent_product_image: c.recentProductImage,
    updated_at: c.updatedAt,
    last_event_id: c.lastEventId,
    created_at: c.createdAt,
  }));
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('carts')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['store_id', 'contact_id']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          lines: eb.ref('excluded.lines'),
          total_minor: eb.ref('excluded.total_minor'),
          currency: eb.ref('excluded.currency'),
          cart_link: eb.ref('excluded.cart_link'),
          recent_product_image: eb.ref('excluded.recent_product_image'),
          updated_at: eb.ref('excluded.updated_at'),
          last_event_id: eb.ref('excluded.last_event_id'),
        })),
      )
      .execute();
  }
}

export async function deleteCarts(db: Db, storeId: string, contactIds: string[]): Promise<void> {
  for (const part of inListChunks(contactIds)) {
    await db.deleteFrom('carts').where('store_id', '=', storeId).where('contact_id', 'in', part).execute();
  }
}

export async function getCart(db: Db, storeId: string, contactId: string): Promise<CartRecord | null> {
  return (await findCarts(db, storeId, [contactId])).get(contactId) ?? null;
}

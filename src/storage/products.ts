import { sql } from 'kysely';
import type { ProductRecord } from '../domain/records.js';
import { rowChunks } from './bulk.js';
import type { Db } from './database.js';
import { selectByKeys } from './keyed-select.js';
import type { ProductsTable } from './schema.js';

/**
 * Records products as events show them (the engine sends only new or changed ones). The
 * newest sighting wins, but a sighting that lacks a field (a collection view has no product
 * URL) keeps the value an earlier one gave; seen_at is the time of the event the data is from.
 */
export async function upsertProducts(db: Db, storeId: string, products: ProductRecord[]): Promise<void> {
  const rows: ProductsTable[] = products.map((p) => ({
    store_id: storeId,
    product_id: p.productId,
    variant_id: p.variantId,
    title: p.title,
    price_minor: p.priceMinor,
    currency: p.currency,
    url: p.url,
    image_url: p.imageUrl,
    seen_at: p.seenAt,
  }));
  for (const part of rowChunks(rows)) {
    await db
      .insertInto('products')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['store_id', 'product_id', 'variant_id'])
          .doUpdateSet({
            title: sql`coalesce(excluded.title, products.title)`,
            price_minor: sql`coalesce(excluded.price_minor, products.price_minor)`,
            currency: sql`coalesce(excluded.currency, products.currency)`,
            url: sql`coalesce(excluded.url, products.url)`,
            image_url: sql`coalesce(excluded.image_url, products.image_url)`,
            seen_at: sql`excluded.seen_at`,
          })
          .where(sql<boolean>`excluded.seen_at >= products.seen_at`),
      )
      .execute();
  }
}

export async function findProducts(
  db: Db,
  storeId: string,
  keys: { productId: string; variantId: string }[],
): Promise<Map<string, ProductRecord>> {
  const rows = await selectByKeys<ProductsTable>(db, {
    table: 'products',
    storeId,
    columns: ['product_id'],
    keys: keys.map((k) => [k.productId]),
  });
  return new Map(rows.map((row) => [productKey(row.product_id, row.variant_id), toRecord(row)]));
}

export const productKey = (productId: string, variantId: string) => `${productId}\u0000${variantId}`;

function toRecord(row: ProductsTable): ProductRecord {
  return {
    productId: row.product_id,
    variantId: row.variant_id,
    title: row.title,
    priceMinor: row.price_minor,
    currency: row.currency,
    url: row.url,
    imageUrl: row.image_url,
    seenAt: row.seen_at,
  };
}

export async function getProduct(
  db: Db,
  storeId: string,
  productId: string,
  variantId = '',
): Promise<ProductRecord | null> {
  const row = await db
    .selectFrom('products')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('product_id', '=', productId)
    .where('variant_id', '=', variantId)
    .executeTakeFirst();
  return row ? toRecord(row) : null;
}

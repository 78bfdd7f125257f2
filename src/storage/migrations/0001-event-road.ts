import type { Kysely } from 'kysely';

/** Stores, the event log, contacts and their identities, carts, products, orders, shipments. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('default_country', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('api_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('ingest_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('settings', 'text', (c) => c.notNull())
    // The store `storewire start` made for trying Storewire out (at most one).
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sub_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['store_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('events_by_contact')
    .on('events')
    // kind is in the index so "latest activity" (recent events, last seen) reads it alone.
    .columns(['store_id', 'contact_id', 'kind', 'occurred_at'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('name', 'text')
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('whatsapp_status', 'text', (c) => c.notNull())
    .addColumn('whatsapp_status_source', 'text')
    .addColumn('whatsapp_status_at', 'bigint')
    .addColumn('merged_into', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_by_store').on('contacts').columns(['store_id', 'id']).execute();

  await db.schema
    .createTable('contact_identities')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_identities_pk', ['store_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('contact_identities_by_contact')
    .on('contact_identities')
    .columns(['contact_id'])
    .execute();

  await db.schema
    .createTable('carts')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('cart_link', 'text')
    .addColumn('recent_product_image', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_event_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('carts_pk', ['store_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('variant_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('price_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('url', 'text')
    .addColumn('image_url', 'text')
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('products_pk', ['store_id', 'product_id', 'variant_id'])
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text')
    .addColumn('ordered_at', 'bigint', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // The source's own last-change time (Shopify's updated_at): older deliveries are ignored.
    .addColumn('source_updated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('orders_pk', ['store_id', 'order_id'])
    .execute();
  await db.schema
    .createIndex('orders_by_contact')
    .on('orders')
    .columns(['store_id', 'contact_id', 'ordered_at'])
    .execute();

  await db.schema
    .createTable('shipments')
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('shipment_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('tracking_id', 'text')
    .addColumn('courier_name', 'text')
    .addColumn('item_ids', 'text', (c) => c.notNull())
    .addColumn('log', 'text', (c) => c.notNull())
    .addColumn('latest_status', 'text', (c) => c.notNull())
    .addColumn('latest_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('shipments_pk', ['store_id', 'shipment_id'])
    .execute();
  await db.schema.createIndex('shipments_by_order').on('shipments').columns(['store_id', 'order_id']).execute();
}

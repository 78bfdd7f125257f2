import { type Kysely, sql } from 'kysely';
import { noteFromMigration } from '../migration-notices.js';

/**
 * A provider id — a WhatsApp phone number id, a Messenger page id, a Shopify shop domain, a
 * shipping partner's token — belongs to one store. Until now two stores could connect the same
 * one, and its webhooks went to whichever was found last. A database may already hold such
 * pairs: the earliest account keeps the id, the later ones are marked `conflict` (shown by
 * GET /v1/channels and GET /v1/stores/{id}/connectors, never used) and each is noted for the
 * log. Then a unique index over the ids not in conflict makes it hold from now on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const accounts = await db
    .selectFrom('channel_accounts')
    .select(['store_id', 'channel', 'external_id'])
    .orderBy('channel')
    .orderBy('external_id')
    .orderBy('created_at')
    .orderBy('store_id')
    .execute();
  for (const later of laterHolders(accounts, (a) => `${a.channel}\u0000${a.external_id}`)) {
    await db
      .updateTable('channel_accounts')
      .set({
        status: 'conflict',
        status_reason: `${later.channel} id ${later.external_id} is held by another store's account, connected earlier`,
      })
      .where('store_id', '=', later.store_id)
      .where('channel', '=', later.channel)
      .execute();
    noteFromMigration(
      `channel account ${later.channel} ${later.external_id} of store ${later.store_id} marked conflict: an earlier account of another store holds that id`,
    );
  }
  await db.schema.dropIndex('channel_accounts_by_external_id').execute();
  await db.schema
    .createIndex('channel_accounts_external_id_unique')
    .unique()
    .on('channel_accounts')
    .columns(['channel', 'external_id'])
    .where(sql.ref('status'), '<>', sql.lit('conflict'))
    .execute();

  await db.schema
    .alterTable('store_connectors')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();
  const connectors = await db
    .selectFrom('store_connectors')
    .select(['store_id', 'connector', 'lookup_key'])
    .orderBy('connector')
    .orderBy('lookup_key')
    .orderBy('created_at')
    .orderBy('store_id')
    .execute();
  for (const later of laterHolders(connectors, (c) => `${c.connector}\u0000${c.lookup_key}`)) {
    await db
      .updateTable('store_connectors')
      .set({ status: 'conflict' })
      .where('store_id', '=', later.store_id)
      .where('connector', '=', later.connector)
      .execute();
    // A shipping token's lookup key is its hash: not worth printing.
    const what = later.connector === 'shopify' ? `shop ${later.lookup_key}` : 'webhook token';
    noteFromMigration(
      `${later.connector} connector (${what}) of store ${later.store_id} marked conflict: an earlier connector of another store holds it`,
    );
  }
  await db.schema.dropIndex('store_connectors_by_lookup_key').execute();
  await db.schema
    .createIndex('store_connectors_lookup_key_unique')
    .unique()
    .on('store_connectors')
    .columns(['connector', 'lookup_key'])
    .where(sql.ref('status'), '<>', sql.lit('conflict'))
    .execute();
}

/** Rows after the first of each key, from rows sorted by key and then by age. */
function laterHolders<T>(rows: T[], keyOf: (row: T) => string): T[] {
  const later: T[] = [];
  let previous: string | null = null;
  for (const row of rows) {
    const key = keyOf(row);
    if (key === previous) later.push(row);
    previous = key;
  }
  return later;
}

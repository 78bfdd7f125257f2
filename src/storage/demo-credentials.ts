import type { Db } from './database.js';

/** The demo store's secrets in clear (only the demo store's: see migration 0009). */
export interface DemoCredentials {
  storeId: string;
  apiKey: string;
  ingestToken: string;
}

export async function getDemoCredentials(db: Db, storeId: string): Promise<DemoCredentials | null> {
  const row = await db.selectFrom('demo_credentials').selectAll().where('store_id', '=', storeId).executeTakeFirst();
  return row ? { storeId: row.store_id, apiKey: row.api_key, ingestToken: row.ingest_token } : null;
}

export async function saveDemoCredentials(db: Db, credentials: DemoCredentials, now: number): Promise<void> {
  await db
    .insertInto('demo_credentials')
    .values({
      store_id: credentials.storeId,
      api_key: credentials.apiKey,
      ingest_token: credentials.ingestToken,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.column('store_id').doUpdateSet((eb) => ({
        api_key: eb.ref('excluded.api_key'),
        ingest_token: eb.ref('excluded.ingest_token'),
        created_at: eb.ref('excluded.created_at'),
      })),
    )
    .execute();
}

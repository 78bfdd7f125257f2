import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';
import type { TemplatesTable } from './schema.js';

/**
 * A store's templates, kept as the JSON definition the API accepted (the messaging code owns
 * its shape; see messaging/templates/schema.ts). Names are unique per store.
 */
export interface StoredTemplate<Definition = Record<string, unknown>> {
  name: string;
  channel: string;
  definition: Definition;
  createdAt: number;
  updatedAt: number;
}

function toStored(row: TemplatesTable): StoredTemplate {
  return {
    name: row.name,
    channel: row.channel,
    definition: parseJson<Record<string, unknown>>(row.definition, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getTemplate(db: Db, storeId: string, name: string): Promise<StoredTemplate | null> {
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

/** Creates or replaces a template; a replaced one keeps its creation time. */
export async function putTemplate(
  db: Db,
  storeId: string,
  name: string,
  channel: string,
  definition: object,
  now: number,
): Promise<StoredTemplate> {
  const row: TemplatesTable = {
    store_id: storeId,
    name,
    channel,
    definition: toJson(definition),
    created_at: now,
    updated_at: now,
  };
  await db
    .insertInto('templates')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['store_id', 'name']).doUpdateSet((eb) => ({
        channel: eb.ref('excluded.channel'),
        definition: eb.ref('excluded.definition'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
  return (await getTemplate(db, storeId, name))!;
}

/** Whether there was a template to delete. */
export async function deleteTemplate(db: Db, storeId: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('templates')
    .where('store_id', '=', storeId)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every template of a store, by name. */
export async function listTemplates(db: Db, storeId: string): Promise<StoredTemplate[]> {
  const rows = await db.selectFrom('templates').selectAll().where('store_id', '=', storeId).orderBy('name').execute();
  return rows.map(toStored);
}

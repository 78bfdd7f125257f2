import type { Db } from './database.js';
import { parseJson } from './json.js';

/** Every definition a store's journey has had (a step may have sent messages under an older one). */
export async function journeyDefinitions(
  db: Db,
  storeId: string,
  journeyId: string,
): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('journey_versions')
    .select('definition')
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .execute();
  return rows.map((r) => parseJson<Record<string, unknown>>(r.definition, {}));
}

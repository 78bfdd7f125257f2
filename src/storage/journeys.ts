import type { Db } from './database.js';
import { parseJson, toJson } from './json.js';

// Runs and their step log: their own file, re-exported for the callers.
export * from './journey-runs.js';

/** A journey as stored: its latest definition (kept as the JSON the API accepted) and whether it takes new shoppers. */
export interface StoredJourney<Definition = Record<string, unknown>> {
  id: string;
  version: number;
  enabled: boolean;
  definition: Definition;
  createdAt: number;
  updatedAt: number;
}

const toJourney = (r: {
  id: string;
  version: number;
  enabled: number;
  definition: string;
  created_at: number;
  updated_at: number;
}): StoredJourney => ({
  id: r.id,
  version: Number(r.version),
  enabled: Number(r.enabled) === 1,
  definition: parseJson<Record<string, unknown>>(r.definition, {}),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function getJourney(db: Db, storeId: string, id: string): Promise<StoredJourney | null> {
  const row = await db
    .selectFrom('journeys')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toJourney(row) : null;
}

export async function listJourneys(db: Db, storeId: string): Promise<StoredJourney[]> {
  const rows = await db.selectFrom('journeys').selectAll().where('store_id', '=', storeId).orderBy('id').execute();
  return rows.map(toJourney);
}

/** The enabled journeys of a store (what its events may start). */
export async function enabledJourneys(db: Db, storeId: string): Promise<StoredJourney[]> {
  const rows = await db
    .selectFrom('journeys')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('enabled', '=', 1)
    .execute();
  return rows.map(toJourney);
}

/**
 * Saves a definition as the journey's next version (the first is 1); `enabled` unchanged
 * unless given. Runs already under way keep the version they entered.
 */
export async function putJourney(
  db: Db,
  storeId: string,
  id: string,
  definition: object,
  enabled: boolean | undefined,
  now: number,
): Promise<StoredJourney> {
  const current = await getJourney(db, storeId, id);
  const version = (current?.version ?? 0) + 1;
  const json = toJson(definition);
  await db
    .insertInto('journey_versions')
    .values({ store_id: storeId, journey_id: id, version, definition: json, created_at: now })
    .execute();
  const isEnabled = enabled ?? current?.enabled ?? false;
  if (current) {
    await db
      .updateTable('journeys')
      .set({ version, definition: json, enabled: isEnabled ? 1 : 0, updated_at: now })
      .where('store_id', '=', storeId)
      .where('id', '=', id)
      .execute();
  } else {
    await db
      .insertInto('journeys')
      .values({
        store_id: storeId,
        id,
        version,
        enabled: isEnabled ? 1 : 0,
        definition: json,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  return {
    id,
    version,
    enabled: isEnabled,
    definition: definition as Record<string, unknown>,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
  };
}

export async function setJourneyEnabled(
  db: Db,
  storeId: string,
  id: string,
  enabled: boolean,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('journeys')
    .set({ enabled: enabled ? 1 : 0, updated_at: now })
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function getJourneyVersion(
  db: Db,
  storeId: string,
  journeyId: string,
  version: number,
): Promise<Record<string, unknown> | null> {
  const row = await db
    .selectFrom('journey_versions')
    .select('definition')
    .where('store_id', '=', storeId)
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? parseJson<Record<string, unknown>>(row.definition, {}) : null;
}

export async function getJourneySettings<T>(db: Db, storeId: string, fallback: T): Promise<T> {
  const row = await db
    .selectFrom('journey_settings')
    .select('settings')
    .where('store_id', '=', storeId)
    .executeTakeFirst();
  return row ? { ...fallback, ...parseJson<Partial<T>>(row.settings, {}) } : fallback;
}

export async function putJourneySettings(db: Db, storeId: string, settings: object, now: number): Promise<void> {
  await db
    .insertInto('journey_settings')
    .values({ store_id: storeId, settings: toJson(settings), updated_at: now })
    .onConflict((oc) =>
      oc
        .column('store_id')
        .doUpdateSet((eb) => ({ settings: eb.ref('excluded.settings'), updated_at: eb.ref('excluded.updated_at') })),
    )
    .execute();
}

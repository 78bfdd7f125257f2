import type { Db } from '../storage/database.js';
import { getJourneyVersion } from '../storage/journeys.js';
import type { JourneyDefinition } from './definition.js';

/** Versions never change once saved, so a definition read once is good for ever. */
const cache = new Map<string, JourneyDefinition>();

export async function definitionOf(
  db: Db,
  storeId: string,
  journeyId: string,
  version: number,
): Promise<JourneyDefinition | null> {
  const key = `${storeId}\u0000${journeyId}\u0000${version}`;
  let definition = cache.get(key);
  if (!definition) {
    definition = ((await getJourneyVersion(db, storeId, journeyId, version)) as JourneyDefinition | null) ?? undefined;
    if (!definition) return null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, definition);
  }
  return definition;
}

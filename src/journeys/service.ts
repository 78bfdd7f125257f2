import { newId } from '../domain/ids.js';
import type { Store } from '../domain/store.js';
import { AppError } from '../errors.js';
import { templatesOfStore } from '../messaging/templates/catalog.js';
import { validateTemplate } from '../messaging/templates/validate.js';
import type { Db, Storage } from '../storage/database.js';
import { getJourney, listJourneys, putJourney, setJourneyEnabled, type StoredJourney } from '../storage/journeys.js';
import { insertEvents } from '../storage/events.js';
import { putTemplate } from '../storage/templates.js';
import type { JourneyDefinition } from './definition.js';
import { startRuns, eventView, type JourneyEvent } from './entry.js';
import { READY_MADE, readyMade } from './ready-made.js';
import { validateDefinition, type DefinitionProblem } from './validate.js';

/** A journey as the API shows it: stored, or ready-made and not stored yet. */
export interface JourneyView {
  id: string;
  version: number | null;
  enabled: boolean;
  readyMade: boolean;
  definition: JourneyDefinition;
  createdAt: number | null;
  updatedAt: number | null;
}

const fromStored = (j: StoredJourney): JourneyView => ({
  id: j.id,
  version: j.version,
  enabled: j.enabled,
  readyMade: readyMade(j.id) !== undefined,
  definition: j.definition as unknown as JourneyDefinition,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
});

const fromReadyMade = (id: string): JourneyView | null => {
  const r = readyMade(id);
  return r
    ? { id, version: null, enabled: false, readyMade: true, definition: r.definition, createdAt: null, updatedAt: null }
    : null;
};

export const JOURNEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

function invalid(problems: DefinitionProblem[]): AppError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see details.problems)` : '';
  return new AppError('JOURNEY_INVALID', `${first!.path}: ${first!.message}${more}`, { path: first!.path, problems });
}

async function templateChannels(db: Db, storeId: string): Promise<Map<string, string>> {
  return new Map((await templatesOfStore(db, storeId)).map((t) => [t.name, String(t.definition.channel)]));
}

export async function getJourneyView(db: Db, storeId: string, id: string): Promise<JourneyView | null> {
  const stored = await getJourney(db, storeId, id);
  return stored ? fromStored(stored) : fromReadyMade(id);
}

/** The store's journeys and the ready-made ones it has not stored, by id. */
export async function listJourneyViews(db: Db, storeId: string): Promise<JourneyView[]> {
  const stored = (await listJourneys(db, storeId)).map(fromStored);
  const ids = new Set(stored.map((j) => j.id));
  const all = [...stored, ...READY_MADE.filter((r) => !ids.has(r.id)).map((r) => fromReadyMade(r.id)!)];
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** PUT: validates against the store's templates and saves the next version. */
export async function saveJourney(
  storage: Storage,
  store: Store,
  id: string,
  body: unknown,
  now: number,
): Promise<JourneyView> {
  const { enabled, ...definition } = (
    typeof body === 'object' && body !== null && !Array.isArray(body) ? body : { body }
  ) as Record<string, unknown>;
  if (enabled !== undefined && typeof enabled !== 'boolean')
    throw invalid([{ path: 'enabled', message: 'true or false' }]);
  const checked = validateDefinition(Array.isArray(body) ? body : definition, {
    templates: await templateChannels(storage.db, store.id),
  });
  if (!checked.ok) throw invalid(checked.problems);
  return fromStored(
    await storage.transaction((trx) =>
      putJourney(trx, store.id, id, checked.definition, enabled as boolean | undefined, now),
    ),
  );
}

/**
 * Enables a journey. A ready-made one not stored yet is stored first, with the suggested
 * templates the store does not have (returned, so the store knows what to submit to Meta).
 */
export async function enableJourney(
  storage: Storage,
  store: Store,
  id: string,
  now: number,
): Promise<{ journey: JourneyView; installedTemplates: string[] }> {
  const stored = await getJourney(storage.db, store.id, id);
  if (stored) {
    await setJourneyEnabled(storage.db, store.id, id, true, now);
    return { journey: { ...fromStored(stored), enabled: true, updatedAt: now }, installedTemplates: [] };
  }
  const ready = readyMade(id);
  if (!ready) throw new AppError('JOURNEY_NOT_FOUND', `no journey "${id}" in this store, and no ready-made one`);
  const have = await templateChannels(storage.db, store.id);
  const installed: string[] = [];
  const journey = await storage.transaction(async (trx) => {
    for (const [name, definition] of Object.entries(ready.templates)) {
      if (have.has(name)) continue;
      const checked = validateTemplate(definition);
      if (!checked.ok) throw new Error(`ready-made template ${name} is invalid: ${JSON.stringify(checked.problems)}`);
      await putTemplate(trx, store.id, name, String(definition.channel), definition, now);
      installed.push(name);
    }
    return putJourney(trx, store.id, id, ready.definition, true, now);
  });
  return { journey: fromStored(journey), installedTemplates: installed };
}

export async function disableJourney(db: Db, store: Store, id: string, now: number): Promise<JourneyView> {
  const stored = await getJourney(db, store.id, id);
  if (!stored) {
    const ready = fromReadyMade(id);
    if (ready) return ready;
    throw new AppError('JOURNEY_NOT_FOUND', `no journey "${id}" in this store, and no ready-made one`);
  }
  await setJourneyEnabled(db, store.id, id, false, now);
  return { ...fromStored(stored), enabled: false, updatedAt: now };
}

/**
 * The trigger API: puts a shopper into an enabled journey now (no buffer window), with data
 * steps and templates read as `event.data`. Entry rules apply as for events.
 */
export async function triggerJourney(
  storage: Storage,
  store: Store,
  id: string,
  contactId: string,
  input: { data: Record<string, unknown>; orderId: string | null; eventName: string | null },
  now: number,
): Promise<{ runId: string; dueAt: number }> {
  const stored = await getJourney(storage.db, store.id, id);
  if (!stored)
    throw new AppError(
      readyMade(id) ? 'JOURNEY_DISABLED' : 'JOURNEY_NOT_FOUND',
      readyMade(id) ? `journey "${id}" is ready-made but not enabled` : `no journey "${id}" in this store`,
    );
  if (!stored.enabled) throw new AppError('JOURNEY_DISABLED', `journey "${id}" is disabled`);
  const definition = stored.definition as unknown as JourneyDefinition;
  // Recorded as a system event of the shopper, so templates read its data as `event.data` like any trigger's.
  const eventId = newId('jt', now);
  const event: JourneyEvent = {
    eventId,
    name: input.eventName ?? 'journey_trigger',
    subName: null,
    contactId,
    occurredAt: now,
    data: input.data,
    orderId: input.orderId,
  };
  const view = { event: eventView(event) };
  return storage.transaction(async (trx) => {
    await storage.lockStores(trx, [store.id]);
    await insertEvents(trx, store.id, [
      {
        eventId,
        contactId,
        name: event.name,
        subName: id,
        kind: 'system',
        source: 'journey_api',
        occurredAt: now,
        timestamp: new Date(now).toISOString(),
        receivedAt: now,
        data: input.data,
      },
    ]);
    const result = await startRuns(
      trx,
      store.id,
      [{ journeyId: id, version: stored.version, definition, event, view, noBuffer: true }],
      now,
    );
    const run = result.started[0];
    if (!run) {
      // Thrown inside the transaction: the trigger event is not kept either.
      const reason = result.refused[0]?.reason ?? 'already_active';
      throw new AppError(
        'JOURNEY_NOT_ENTERED',
        reason === 'already_active'
          ? 'the shopper already has an active run of this journey'
          : "the journey's re-entry rule does not let the shopper in again yet",
        { reason },
      );
    }
    return { runId: run.id, dueAt: run.dueAt };
  });
}

import { newId } from '../domain/ids.js';
import type { Db } from '../storage/database.js';
import {
  enabledJourneys,
  insertRuns,
  moveRunsToContact,
  runsOfShoppers,
  updateBufferedRun,
  wakeWaitingRuns,
  type JourneyRun,
} from '../storage/journeys.js';
import { allHold, valueAt } from './conditions.js';
import { awaitedEvents, DEFAULT_BUFFER, triggerEvents, type JourneyDefinition } from './definition.js';
import { parseDuration } from './duration.js';

/** An accepted event, as journeys see it. */
export interface JourneyEvent {
  eventId: string;
  name: string;
  subName: string | null;
  contactId: string;
  occurredAt: number;
  data: Record<string, unknown>;
  orderId: string | null;
}

/** The trigger event as conditions and templates see it (`event.` paths). */
export function eventView(e: JourneyEvent): Record<string, unknown> {
  return {
    event_id: e.eventId,
    name: e.name,
    sub_name: e.subName,
    data: e.data,
    order_id: e.orderId,
    occurred_at: new Date(e.occurredAt).toISOString(),
  };
}

/**
 * Inside engine.apply's transaction: the batch's accepted events start runs of the store's
 * enabled journeys and wake runs waiting for them. Entry rules, in order: a run still in its
 * buffer window takes the newer trigger (seed 001 step 2: only the latest counts) and waits
 * the buffer again; one active run per shopper per journey (per key when keyed); then the
 * journey's re-entry rule against earlier runs.
 */
export async function enterJourneys(
  db: Db,
  storeId: string,
  events: JourneyEvent[],
  merges: { from: string; into: string }[],
  now: number,
): Promise<boolean> {
  for (const { from, into } of merges) await moveRunsToContact(db, storeId, from, into);
  if (events.length === 0) return false;
  const journeys = await enabledJourneys(db, storeId);
  if (journeys.length === 0) return false;
  // Event name -> the waiting_for values (the steps' own events) it ends.
  const waitedFor = new Map<string, Set<string>>();
  for (const j of journeys)
    for (const step of (j.definition as unknown as JourneyDefinition).steps)
      if (step.type === 'wait_for')
        for (const name of awaitedEvents(step)) waitedFor.set(name, (waitedFor.get(name) ?? new Set()).add(step.event));
  const woken = events.filter((e) => waitedFor.has(e.name));
  if (woken.length > 0)
    await wakeWaitingRuns(
      db,
      storeId,
      [...new Set(woken.map((e) => e.contactId))],
      [...new Set(woken.flatMap((e) => [...waitedFor.get(e.name)!]))],
      now,
    );

  const matches: Match[] = [];
  for (const event of events) {
    const view = { event: eventView(event) };
    for (const journey of journeys) {
      const definition = journey.definition as unknown as JourneyDefinition;
      if (triggerEvents(definition).includes(event.name) && allHold(definition.trigger.when, view))
        matches.push({ journeyId: journey.id, version: journey.version, definition, event, view });
    }
  }
  const { started } = await startRuns(db, storeId, matches, now);
  return woken.length > 0 || started.some((run) => run.dueAt <= now);
}

/** A journey an event (or the trigger API) starts for a shopper. */
export interface Match {
  journeyId: string;
  version: number;
  definition: JourneyDefinition;
  event: JourneyEvent;
  view: { event: Record<string, unknown> };
  /** The trigger API starts at once: no buffer window. */
  noBuffer?: boolean;
}

/** Applies the entry rules to each match in order; returns the runs started (or re-buffered) and why others were not. */
export async function startRuns(
  db: Db,
  storeId: string,
  matches: Match[],
  now: number,
): Promise<{ started: JourneyRun[]; refused: { match: Match; reason: 'already_active' | 'reentry' }[] }> {
  const refused: { match: Match; reason: 'already_active' | 'reentry' }[] = [];
  if (matches.length === 0) return { started: [], refused };
  const existing = await runsOfShoppers(
    db,
    storeId,
    [...new Set(matches.map((m) => m.journeyId))],
    [...new Set(matches.map((m) => m.event.contactId))],
  );
  const byShopper = new Map<string, JourneyRun[]>();
  const shopperKey = (journeyId: string, contactId: string) => `${journeyId}\u0000${contactId}`;
  for (const run of existing) {
    const key = shopperKey(run.journeyId, run.contactId);
    byShopper.set(key, [...(byShopper.get(key) ?? []), run]);
  }
  const created: JourneyRun[] = [];
  const rebuffered = new Map<string, JourneyRun>();
  for (const match of matches) {
    const { journeyId, version, definition, event, view } = match;
    const runs = byShopper.get(shopperKey(journeyId, event.contactId)) ?? [];
    const runKey = definition.entry?.key ? String(valueAt(view, definition.entry.key) ?? '') : '';
    const buffer = match.noBuffer ? 0 : (parseDuration(definition.entry?.buffer ?? DEFAULT_BUFFER) ?? 0);
    const due = Math.max(event.occurredAt + buffer, now);
    const active = runs.find((r) => r.status === 'active' && r.runKey === runKey);
    if (active) {
      // Still in its buffer, not started, not held by a worker: the latest event is the one that counts.
      if (
        buffer > 0 &&
        active.seq === 0 &&
        active.waitStartedAt === null &&
        active.leaseOwner === null &&
        active.dueAt > now &&
        event.occurredAt >= active.triggerAt
      ) {
        const updated: JourneyRun = {
          ...active,
          dueAt: due,
          triggerEventId: event.eventId,
          triggerAt: event.occurredAt,
          orderId: event.orderId,
          data: view.event as Record<string, unknown>,
          enteredAt: now,
          updatedAt: now,
        };
        Object.assign(active, updated);
        if (!created.includes(active)) rebuffered.set(active.id, active);
      } else {
        refused.push({ match, reason: 'already_active' });
      }
      continue;
    }
    if (!mayReenter(definition, runs, runKey, now)) {
      refused.push({ match, reason: 'reentry' });
      continue;
    }
    const run: JourneyRun = {
      id: newId('run', now),
      storeId,
      journeyId,
      version,
      contactId: event.contactId,
      runKey,
      status: 'active',
      stepId: definition.steps[0]!.id,
      seq: 0,
      dueAt: due,
      leaseUntil: null,
      leaseOwner: null,
      enteredAt: now,
      triggerEventId: event.eventId,
      triggerAt: event.occurredAt,
      orderId: event.orderId,
      data: view.event as Record<string, unknown>,
      waitingFor: null,
      waitStartedAt: null,
      exitReason: null,
      notes: [],
      updatedAt: now,
      endedAt: null,
    };
    created.push(run);
    byShopper.set(shopperKey(journeyId, event.contactId), [...runs, run]);
  }
  await insertRuns(db, created);
  for (const run of rebuffered.values()) await updateBufferedRun(db, run);
  return { started: [...created, ...rebuffered.values()], refused };
}

function mayReenter(definition: JourneyDefinition, runs: JourneyRun[], runKey: string, now: number): boolean {
  const earlier = runs.filter((r) => r.runKey === runKey);
  const rule = definition.entry?.reentry ?? 'every_time';
  if (earlier.length === 0 || rule === 'every_time' || rule === 'once_active') return true;
  if (rule === 'once') return false;
  const every = parseDuration(rule.every) ?? 0;
  return earlier.every((r) => now - r.enteredAt >= every);
}

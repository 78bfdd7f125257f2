import type { Store } from '../domain/store.js';
import type { StoreEvent } from '../domain/store-event.js';
import type { Storage } from '../storage/database.js';
import type { EventRecord } from '../domain/records.js';
import { CONSENT_CHANGED } from './consent.js';
import { loadSnapshot } from './load-snapshot.js';
import type { EventOutcome } from './outcome.js';
import { planBatch } from './plan.js';
import { writeChanges } from './write-changes.js';
import { enterJourneys, type JourneyEvent } from '../journeys/entry.js';

export interface Submission {
  store: Store;
  events: StoreEvent[];
}

/**
 * engine.apply: in ONE transaction, for every submission, store the events (idempotent on
 * their ids) and update contacts, carts, orders, shipments and products. Submissions of the
 * same store are planned together; stores are locked in id order so that two processes
 * applying to the same stores on PostgreSQL cannot deadlock. `onRunsDue`: an event started a
 * run with no buffer or woke a wait_for, so runs are due now (app.ts wakes the journey worker).
 */
export async function applySubmissions(
  storage: Storage,
  submissions: Submission[],
  now: number,
  onRunsDue: () => void = () => {},
): Promise<EventOutcome[][]> {
  const byStore = new Map<string, Submission[]>();
  for (const submission of submissions) {
    const list = byStore.get(submission.store.id) ?? [];
    list.push(submission);
    byStore.set(submission.store.id, list);
  }
  const results = new Map<Submission, EventOutcome[]>();
  let runsDue = false;
  await storage.transaction(async (trx) => {
    const storeIds = [...byStore.keys()].sort();
    await storage.lockStores(trx, storeIds);
    for (const storeId of storeIds) {
      const group = byStore.get(storeId)!;
      const events = group.flatMap((s) => s.events);
      // Which carts a batch needs can depend on the batch itself (an identifier attached by one
      // event makes a later one merge); a plan that needed a cart it did not have is made again
      // with it. Nothing is written before the final plan.
      let extraCarts = new Set<string>();
      let plan = planBatch(group[0]!.store, events, await loadSnapshot(trx, storeId, events), now);
      for (let round = 0; plan.missingCarts.size > 0 && round < 5; round++) {
        extraCarts = new Set([...extraCarts, ...plan.missingCarts]);
        plan = planBatch(group[0]!.store, events, await loadSnapshot(trx, storeId, events, extraCarts), now);
      }
      const { changes, outcomes } = plan;
      await writeChanges(trx, storeId, changes, now);
      const triggers = [...journeyEvents(events, outcomes), ...consentEvents(changes.events)];
      if (await enterJourneys(trx, storeId, triggers, changes.merges, now)) runsDue = true;
      let offset = 0;
      for (const submission of group) {
        results.set(submission, outcomes.slice(offset, offset + submission.events.length));
        offset += submission.events.length;
      }
    }
  });
  // After the commit, so what the journey worker looks for is there to find.
  if (runsDue) onRunsDue();
  return submissions.map((s) => results.get(s)!);
}

/** Consent changes the batch recorded: system events, but a journey may start on them. */
function consentEvents(written: EventRecord[]): JourneyEvent[] {
  return written
    .filter((e) => e.name === CONSENT_CHANGED && e.contactId)
    .map((e) => ({
      eventId: e.eventId,
      name: e.name,
      subName: e.subName,
      contactId: e.contactId!,
      occurredAt: e.occurredAt,
      data: e.data,
      orderId: null,
    }));
}

/** The accepted events of a shopper, for journey triggers and waits. */
function journeyEvents(events: StoreEvent[], outcomes: EventOutcome[]): JourneyEvent[] {
  const result: JourneyEvent[] = [];
  events.forEach((event, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status !== 'accepted' || !outcome.contactId || event.kind !== 'activity') return;
    result.push({
      eventId: event.eventId,
      name: event.name,
      subName: event.subName,
      contactId: outcome.contactId,
      occurredAt: event.occurredAt,
      data: event.data,
      orderId: event.order?.orderId ?? event.shipment?.orderId ?? null,
    });
  });
  return result;
}

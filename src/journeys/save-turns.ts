import type { MessageRecord } from '../domain/messages.js';
import { capReached, capWindowStart, DEFAULT_FREQUENCY_CAP, type FrequencyCap } from '../domain/frequency-cap.js';
import type { Db, Storage } from '../storage/database.js';
import { releaseRuns, saveRunsIfHeld } from '../storage/journey-batch.js';
import { logSteps, type JourneyRun, type StepLogEntry } from '../storage/journeys.js';
import { countMarketingSince, insertMessages } from '../storage/messages.js';

/** What one run did in one turn of the worker: its new state, the steps it executed, the messages its sends queue. */
export interface Turn {
  run: JourneyRun;
  claimedSeq: number;
  log: StepLogEntry[];
  messages: MessageRecord[];
}

export interface SaveOutcome {
  /** Runs written (the worker still held them). */
  saved: number;
  /** Runs another worker took after this one's lease ran out: nothing of their turn is written. */
  lost: number;
  /** Runs given back to be worked again: a send would now pass the marketing cap. */
  putBack: number;
  /** Messages queued (not counting ones already queued under the same key). */
  queued: number;
  steps: number;
}

/**
 * Writes a batch of turns in one transaction: each run's new state (only if this worker
 * still holds it at the seq it claimed), its messages and its step log, together — so a
 * crash leaves either all of a turn or none of it, and a worker that lost a run writes
 * nothing of it. A message whose key was queued before (by a worker that died after queuing
 * it) is not queued again; the step log names the one already there. The marketing frequency
 * cap is counted again under the stores' locks, as sendMessage does: a run whose send would
 * now pass it is given back, and its next turn is refused the send.
 */
export async function saveTurns(
  storage: Storage,
  turns: Turn[],
  owner: string,
  caps: Map<string, FrequencyCap>,
  now: number,
): Promise<SaveOutcome> {
  if (turns.length === 0) return { saved: 0, lost: 0, putBack: 0, queued: 0, steps: 0 };
  return storage.transaction(async (trx) => {
    await storage.lockStores(
      trx,
      turns.map((t) => t.run.storeId),
    );
    const over = await overTheCap(trx, turns, caps, now);
    const candidates = over.size === 0 ? turns : turns.filter((t) => !over.has(t.run.id));
    const held = await saveRunsIfHeld(trx, candidates, owner);
    const kept = candidates.filter((t) => held.has(t.run.id));

    const replaced = new Map<string, string>();
    let queued = 0;
    const byStore = new Map<string, MessageRecord[]>();
    for (const m of kept.flatMap((t) => t.messages)) {
      const ofStore = byStore.get(m.storeId);
      if (ofStore) ofStore.push(m);
      else byStore.set(m.storeId, [m]);
    }
    for (const messages of byStore.values()) {
      const { inserted, existing } = await insertMessages(trx, messages);
      queued += inserted.length;
      const planned = new Map(messages.map((m) => [m.idempotencyKey, m.id]));
      for (const m of existing) replaced.set(planned.get(m.idempotencyKey)!, m.id);
    }
    const log = kept
      .flatMap((t) => t.log)
      .map((e) => (e.messageId && replaced.has(e.messageId) ? { ...e, messageId: replaced.get(e.messageId)! } : e));
    await logSteps(trx, log);
    await releaseRuns(trx, [...over], owner);
    return { saved: kept.length, lost: candidates.length - kept.length, putBack: over.size, queued, steps: log.length };
  });
}

/** Runs with a marketing send the shopper's cap no longer has room for, counted with what is queued now. */
async function overTheCap(trx: Db, turns: Turn[], caps: Map<string, FrequencyCap>, now: number): Promise<Set<string>> {
  const over = new Set<string>();
  const marketing = turns.flatMap((t) =>
    t.messages.filter((m) => m.category === 'marketing' && m.contactId).map((m) => ({ runId: t.run.id, message: m })),
  );
  for (const storeId of new Set(marketing.map((m) => m.message.storeId))) {
    const cap = caps.get(storeId) ?? DEFAULT_FREQUENCY_CAP;
    const ofStore = marketing.filter((m) => m.message.storeId === storeId);
    const counts = await countMarketingSince(
      trx,
      storeId,
      ofStore.map((m) => m.message.contactId!),
      capWindowStart(cap, now),
      true,
    );
    for (const { runId, message } of ofStore) {
      const count = counts.get(message.contactId!) ?? 0;
      if (capReached(cap, count)) over.add(runId);
      else counts.set(message.contactId!, count + 1);
    }
  }
  return over;
}

import type { Clock } from '../clock.js';
import type { MessageRecord } from '../domain/messages.js';
import type { ContactRecord } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import { composeMessage } from '../messaging/compose.js';
import { newMessage } from '../messaging/outbox.js';
import { identitiesOfContact } from '../storage/contacts.js';
import type { Storage } from '../storage/database.js';
import { firstEventSince } from '../storage/events.js';
import type { JourneyRun, StepLogEntry } from '../storage/journeys.js';
import { findMessagesByKeys } from '../storage/messages.js';
import type { BatchReads } from './batch-reads.js';
import { allHold } from './conditions.js';
import {
  awaitedEvents,
  followingStep,
  isMessageCondition,
  type Condition,
  type JourneyDefinition,
  type QuietHours,
  type SendStep,
  type Step,
} from './definition.js';
import { inQuietHours, nextLocalTime, parseDuration, parseTimeOfDay } from './duration.js';
import { exitReason } from './exits.js';
import { messageIs } from './message-condition.js';
import { recordNdrReply } from './ndr-reply.js';
import { askPartner } from './partner-check.js';
import type { Turn } from './save-turns.js';
import type { JourneySettings } from './settings.js';
import { conditionData, sendParams, shopperTimeZone } from './step-data.js';

/**
 * A run's turn: its steps executed in order until a wait or its end, exit conditions checked
 * before each. The worker (worker.ts) claims runs, hands each here, and writes what the turns
 * did together (save-turns.ts); nothing here writes a run.
 */

/** What executing steps needs from the worker. */
export interface StepDeps {
  storage: Storage;
  clock: Clock;
  /** PUBLIC_URL: links in messages (order.tracking_url). */
  publicUrl?: string;
}

/** Steps run in one go at most: validation forbids loops without a wait, this is the seat belt. */
const MAX_STEPS_PER_TURN = 100;

/** What a run's steps see: the trigger event, the shopper, their order and cart; and what its turn did so far. */
interface StepContext {
  store: Store;
  contact: ContactRecord;
  settings: JourneySettings;
  root: Record<string, unknown>;
  timeZone: string;
  reads: BatchReads;
  log: StepLogEntry[];
  messages: MessageRecord[];
}

/** Works one claimed run as far as it goes now; what it did is written later with its batch. */
export async function advanceRun(
  deps: StepDeps,
  claimed: JourneyRun,
  reads: BatchReads,
  definition: JourneyDefinition | null,
  store: Store | null,
): Promise<Turn> {
  const contact = await reads.contact(claimed.storeId, claimed.contactId);
  // The claim's copy is this turn's own: worked on in place (a spread copy costs µs a run on V8).
  const { seq: claimedSeq, dueAt: claimedDue } = claimed;
  const run = claimed;
  const log: StepLogEntry[] = [];
  const messages: MessageRecord[] = [];
  const now = deps.clock.now();
  if (!definition || !store || !contact) {
    end(run, 'exited', now, !definition ? 'journey_version_missing' : 'contact_missing');
  } else {
    const settings = await reads.settings(store.id);
    const ctx: StepContext = {
      store,
      contact,
      settings,
      root: {},
      timeZone: shopperTimeZone(contact, store),
      reads,
      log,
      messages,
    };
    ctx.root = await conditionData(reads, run.storeId, contact, run);
    // Waits count from when the run was due, not from when a (busy or restarted) worker got to
    // it: a reminder "1 h after" stays 1 h after, and a backlog catches up rather than drifts.
    const at = { due: claimedDue };
    for (let i = 0; i < MAX_STEPS_PER_TURN && run.status === 'active' && run.dueAt <= now; i++) {
      const step = definition.steps.find((s) => s.id === run.stepId);
      if (!step) {
        end(run, 'completed', now, null);
        break;
      }
      const reason = await exitReason(reads, definition, run);
      if (reason) {
        log.push(entry(run, step.id, 'exited', reason, null, now));
        run.seq += 1;
        end(run, 'exited', now, reason);
        break;
      }
      await execute(deps, definition, step, run, ctx, log, now, at);
    }
    if (run.status === 'active' && run.dueAt <= now) {
      run.dueAt = now + 1_000;
      run.notes.push({ at: now, note: `more than ${MAX_STEPS_PER_TURN} steps at one instant; continuing later` });
    }
  }
  run.updatedAt = now;
  return { run, claimedSeq, log, messages };
}

/** Executes `step` (which is due); moves the run on, or sets when it is due again. */
async function execute(
  deps: StepDeps,
  definition: JourneyDefinition,
  step: Step,
  run: JourneyRun,
  ctx: StepContext,
  log: StepLogEntry[],
  now: number,
  at: { due: number },
): Promise<void> {
  const done = (outcome: string, detail: string | null, next: string | null, messageId: string | null = null) => {
    log.push(entry(run, step.id, outcome, detail, messageId, now));
    run.seq += 1;
    run.waitStartedAt = null;
    run.waitingFor = null;
    run.stepId = next;
    if (next === null) end(run, 'completed', now, null);
  };
  const following =
    step.type === 'exit'
      ? null
      : ((step.type === 'branch' ? undefined : step.next) ?? followingStep(definition, step.id));
  switch (step.type) {
    case 'wait': {
      if (run.waitStartedAt === null) {
        run.waitStartedAt = at.due;
        run.dueAt = step.duration
          ? at.due + parseDuration(step.duration)!
          : nextLocalTime(at.due, parseTimeOfDay(step.until)!, ctx.timeZone);
        if (run.dueAt > now) return;
      }
      at.due = run.dueAt;
      return done('waited', null, following);
    }
    case 'send': {
      const quiet = definition.quietHours ?? ctx.settings.quietHours;
      if (quiet && isQuiet(quiet, now, ctx.timeZone)) {
        if (quiet.action === 'skip') return done('skipped', 'quiet_hours', following);
        run.dueAt = nextLocalTime(now, parseTimeOfDay(quiet.end)!, ctx.timeZone);
        run.notes.push({ at: now, note: `step ${step.id}: quiet hours until ${quiet.end} (${ctx.timeZone})` });
        return;
      }
      if (definition.exit?.partnerCheck && ctx.settings.partner) {
        const customerId = (await identitiesOfContact(deps.storage.db, run.storeId, run.contactId)).find(
          (k) => k.kind === 'customer_id',
        )?.value;
        if (customerId) {
          const answer = await askPartner(ctx.settings.partner, customerId, String(run.data.name ?? ''), run.triggerAt);
          if (answer.kind === 'moved_on') {
            log.push(entry(run, step.id, 'exited', `partner:${answer.event}`, null, now));
            run.seq += 1;
            return end(run, 'exited', now, `partner:${answer.event}`);
          }
          if (answer.kind === 'unavailable') {
            run.notes.push({
              at: now,
              note: `step ${step.id}: partner check failed (${answer.reason}); fallback ${ctx.settings.partner.fallback}`,
            });
            if (ctx.settings.partner.fallback === 'exit') {
              log.push(entry(run, step.id, 'exited', 'partner_unavailable', null, now));
              run.seq += 1;
              return end(run, 'exited', now, 'partner_unavailable');
            }
          }
        }
      }
      const result = await send(deps, step, run, ctx, now);
      if (result.ok) return done('sent', null, following, result.messageId);
      return done('not_sent', result.code, following);
    }
    case 'branch': {
      for (const c of step.cases) if (await allTrue(deps, c.when, run, ctx)) return done('branched', c.next, c.next);
      return done('branched', step.else ?? following, step.else ?? following);
    }
    case 'wait_for': {
      if (run.waitStartedAt === null) {
        run.waitStartedAt = at.due;
        run.waitingFor = step.event;
        run.dueAt = at.due + parseDuration(step.timeout)!;
      }
      const { db } = deps.storage;
      const came = await firstEventSince(db, run.storeId, run.contactId, awaitedEvents(step), run.waitStartedAt);
      if (came) {
        if (step.recordReply === 'shipment') await recordNdrReply(db, run, came, now);
        return done('event_came', came.eventId, following);
      }
      if (now >= run.waitStartedAt + parseDuration(step.timeout)!)
        return done('timed_out', null, step.onTimeout ?? null);
      run.dueAt = run.waitStartedAt + parseDuration(step.timeout)!;
      return;
    }
    case 'exit':
      log.push(entry(run, step.id, 'exited', 'exit_step', null, now));
      run.seq += 1;
      return end(run, 'exited', now, 'exit_step');
  }
}

/**
 * Composes the step's message, to be queued with the run's turn (save-turns.ts). As
 * sendMessage: a key queued before answers with that message, whatever the rules say now.
 */
async function send(
  deps: StepDeps,
  step: SendStep,
  run: JourneyRun,
  ctx: StepContext,
  now: number,
): Promise<{ ok: true; messageId: string } | { ok: false; code: string }> {
  const params = sendParams(ctx.settings, run.orderId, step.params);
  const idempotencyKey = `journey:${run.id}:${run.seq}`;
  const composed = await composeMessage(
    deps.storage.db,
    {
      store: ctx.store,
      contact: ctx.contact,
      channel: step.channel,
      content: {
        template: step.template,
        params,
        orderId: run.orderId ?? undefined,
        eventId: run.triggerEventId ?? undefined,
      },
      source: 'journey',
      idempotencyKey,
      campaign: `journey:${run.journeyId}:${step.id}`,
      publicUrl: deps.publicUrl,
      now,
    },
    ctx.reads,
  );
  if (!composed.ok) {
    const earlier = (await findMessagesByKeys(deps.storage.db, run.storeId, [idempotencyKey])).get(idempotencyKey);
    return earlier ? { ok: true, messageId: earlier.id } : { ok: false, code: composed.code };
  }
  const message = newMessage(composed.message, now);
  ctx.messages.push(message);
  ctx.reads.planned(message);
  return { ok: true, messageId: message.id };
}

async function allTrue(deps: StepDeps, conditions: Condition[], run: JourneyRun, ctx: StepContext): Promise<boolean> {
  for (const c of conditions) {
    if (isMessageCondition(c) ? !(await messageIs(deps.storage.db, c, run, ctx)) : !allHold([c], ctx.root))
      return false;
  }
  return true;
}

function isQuiet(quiet: QuietHours, at: number, timeZone: string): boolean {
  return inQuietHours(at, parseTimeOfDay(quiet.start)!, parseTimeOfDay(quiet.end)!, timeZone);
}

function end(run: JourneyRun, status: 'completed' | 'exited', now: number, reason: string | null): void {
  run.status = status;
  run.exitReason = reason;
  run.stepId = null;
  run.endedAt = now;
  run.waitingFor = null;
}

function entry(
  run: JourneyRun,
  stepId: string,
  outcome: string,
  detail: string | null,
  messageId: string | null,
  at: number,
): StepLogEntry {
  return {
    runId: run.id,
    seq: run.seq,
    storeId: run.storeId,
    journeyId: run.journeyId,
    stepId,
    outcome,
    detail,
    messageId,
    at,
  };
}

import type { Clock } from '../clock.js';
import { newId } from '../domain/ids.js';
import type { MessageRecord } from '../domain/messages.js';
import type { ContactRecord } from '../domain/records.js';
import type { FrequencyCap, Store } from '../domain/store.js';
import { composeMessage } from '../messaging/compose.js';
import { newMessage } from '../messaging/outbox.js';
import { identitiesOfContact } from '../storage/contacts.js';
import type { Storage } from '../storage/database.js';
import { claimDueRuns, type JourneyRun, type StepLogEntry } from '../storage/journeys.js';
import { firstEventSince } from '../storage/events.js';
import { findMessagesByKeys } from '../storage/messages.js';
import { findStoreById } from '../storage/stores.js';
import type { WorkScope } from '../storage/work-scope.js';
import { BatchReads } from './batch-reads.js';
import { allHold } from './conditions.js';
import { definitionOf } from './definition-cache.js';
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
import { onRunsDue } from './entry.js';
import { messageIs } from './message-condition.js';
import { recordNdrReply } from './ndr-reply.js';
import { askPartner } from './partner-check.js';
import { saveTurns, type Turn } from './save-turns.js';
import type { JourneySettings } from './settings.js';
import { conditionData, sendParams, shopperTimeZone } from './step-data.js';

export interface JourneyWorkerOptions {
  /** Runs claimed per round. */
  batchSize: number;
  /** How long a claimed run is this worker's; a crashed worker's runs are taken after it. */
  leaseMs: number;
  /** How long the loop sleeps when nothing is due. */
  idlePollMs: number;
  /** Runs worked on at once (sends wait on the database; a partner check on the network). */
  concurrency: number;
  /** Only this shopper's runs (storewire demo); every due run when absent. */
  scope?: WorkScope;
  /** PUBLIC_URL: links in messages (order.tracking_url). */
  publicUrl?: string;
}

export const DEFAULT_JOURNEY_WORKER_OPTIONS: JourneyWorkerOptions = {
  batchSize: 500,
  leaseMs: 60_000,
  idlePollMs: 250,
  concurrency: 16,
};

/** Steps run in one go at most: validation forbids loops without a wait, this is the seat belt. */
const MAX_STEPS_PER_TURN = 100;

/**
 * A batch's turns are written together, in one transaction (on SQLite each commit is an
 * fsync), or sooner when the oldest has waited a quarter of the lease (a slow partner check
 * must not hold the rest until their lease runs out).
 */

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

/**
 * Runs journeys: claims due runs with a lease, executes their steps, writes the new state only
 * while it still holds the lease at the seq it claimed. A send is queued with the idempotency
 * key journey:<run>:<seq>, so a step repeated after a crash or a lost lease finds the message
 * already queued and sends nothing twice; the step log keeps one entry per (run, seq).
 *
 * A claimed batch is worked as a set: what its runs read is loaded with one query per table
 * (batch-reads.ts), and their new states, messages and step logs are written together in one
 * transaction (save-turns.ts) — a step costs no query of its own unless it needs one only it
 * asks (a wait_for, a branch on a message, a partner check).
 */
export class JourneyWorker {
  readonly options: JourneyWorkerOptions;
  readonly owner = newId('wrk');
  readonly stats = { claimed: 0, steps: 0, sent: 0, lostLeases: 0 };
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  /** A wake that came while a round ran: the loop goes round again instead of sleeping. */
  private woken = false;
  private readonly stores = new Map<string, { store: Store; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    options: Partial<JourneyWorkerOptions> = {},
    private readonly onQueued: () => void = () => {},
  ) {
    this.options = { ...DEFAULT_JOURNEY_WORKER_OPTIONS, ...options };
  }

  /** One round: claim due runs and work them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const runs = await claimDueRuns(
      this.storage,
      now,
      now + this.options.leaseMs,
      this.owner,
      this.options.batchSize,
      this.options.scope,
    );
    this.stats.claimed += runs.length;
    if (runs.length === 0) return 0;
    const definitions = new Map<string, JourneyDefinition | null>();
    const stores = new Map<string, Store | null>();
    for (const run of runs) {
      const key = `${run.journeyId}\u0000${run.version}`;
      if (!definitions.has(key))
        definitions.set(key, await definitionOf(this.storage.db, run.storeId, run.journeyId, run.version));
      if (!stores.has(run.storeId)) stores.set(run.storeId, await this.storeOf(run.storeId));
    }
    const reads = await BatchReads.load(this.storage.db, runs, definitions, stores, now);
    const caps = new Map<string, FrequencyCap>(
      [...stores].flatMap(([id, store]) => (store ? [[id, store.settings.marketingFrequencyCap] as const] : [])),
    );

    let pending: Turn[] = [];
    let oldest = 0;
    let saving: Promise<void> = Promise.resolve();
    const flush = () => {
      const turns = pending;
      pending = [];
      saving = saving.then(() => this.save(turns, caps));
    };
    let next = 0;
    const work = async () => {
      while (next < runs.length) {
        const claimed = runs[next++]!;
        const turn = await this.advance(
          claimed,
          reads,
          definitions.get(`${claimed.journeyId}\u0000${claimed.version}`) ?? null,
          stores.get(claimed.storeId) ?? null,
        ).catch(() => null);
        // A turn that failed is not written: the lease runs out and the run is claimed again; nothing is lost, nothing repeated.
        if (!turn) continue;
        if (pending.length === 0) oldest = Date.now();
        pending.push(turn);
        if (Date.now() - oldest > this.options.leaseMs / 4) flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, runs.length) }, work));
    flush();
    await saving;
    return runs.length;
  }

  private async save(turns: Turn[], caps: Map<string, FrequencyCap>): Promise<void> {
    try {
      const outcome = await saveTurns(this.storage, turns, this.owner, caps, this.clock.now());
      this.stats.steps += outcome.steps;
      this.stats.sent += outcome.queued;
      this.stats.lostLeases += outcome.lost;
      if (outcome.queued > 0) this.onQueued();
    } catch {
      // Not written: the runs are claimed again when their lease runs out.
    }
  }

  /** Runs rounds until nothing is due (tests and `storewire demo`). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  /** Works one claimed run as far as it goes now; what it did is written later with its batch. */
  private async advance(
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
    const now = this.clock.now();
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
        await this.execute(definition, step, run, ctx, log, now, at);
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
  private async execute(
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
          const customerId = (await identitiesOfContact(this.storage.db, run.storeId, run.contactId)).find(
            (k) => k.kind === 'customer_id',
          )?.value;
          if (customerId) {
            const answer = await askPartner(
              ctx.settings.partner,
              customerId,
              String(run.data.name ?? ''),
              run.triggerAt,
            );
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
        const result = await this.send(step, run, ctx, now);
        if (result.ok) return done('sent', null, following, result.messageId);
        return done('not_sent', result.code, following);
      }
      case 'branch': {
        for (const c of step.cases) if (await this.allTrue(c.when, run, ctx)) return done('branched', c.next, c.next);
        return done('branched', step.else ?? following, step.else ?? following);
      }
      case 'wait_for': {
        if (run.waitStartedAt === null) {
          run.waitStartedAt = at.due;
          run.waitingFor = step.event;
          run.dueAt = at.due + parseDuration(step.timeout)!;
        }
        const { db } = this.storage;
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
  private async send(
    step: SendStep,
    run: JourneyRun,
    ctx: StepContext,
    now: number,
  ): Promise<{ ok: true; messageId: string } | { ok: false; code: string }> {
    const params = sendParams(ctx.settings, run.orderId, step.params);
    const idempotencyKey = `journey:${run.id}:${run.seq}`;
    const composed = await composeMessage(
      this.storage.db,
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
        publicUrl: this.options.publicUrl,
        now,
      },
      ctx.reads,
    );
    if (!composed.ok) {
      const earlier = (await findMessagesByKeys(this.storage.db, run.storeId, [idempotencyKey])).get(idempotencyKey);
      return earlier ? { ok: true, messageId: earlier.id } : { ok: false, code: composed.code };
    }
    const message = newMessage(composed.message, now);
    ctx.messages.push(message);
    ctx.reads.planned(message);
    return { ok: true, messageId: message.id };
  }

  private async allTrue(conditions: Condition[], run: JourneyRun, ctx: StepContext): Promise<boolean> {
    for (const c of conditions) {
      if (isMessageCondition(c) ? !(await messageIs(this.storage.db, c, run, ctx)) : !allHold([c], ctx.root))
        return false;
    }
    return true;
  }

  private async storeOf(id: string): Promise<Store | null> {
    const hit = this.stores.get(id);
    if (hit && hit.until > Date.now()) return hit.store;
    const store = await findStoreById(this.storage.db, id);
    if (store) this.stores.set(id, { store, until: Date.now() + 5_000 });
    return store;
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = onRunsDue(() => this.wake());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch {
        // The database is unreachable or busy: try again after the idle pause.
      }
      if (claimed > 0 || this.woken) {
        // SQLite answers synchronously, so a round never waits on I/O: without this, a backlog of
        // due runs would hold the event loop (HTTP, timers, the dispatcher) until it is all done.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.idlePollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
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

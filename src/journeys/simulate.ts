import type { ContactRecord } from '../domain/records.js';
import type { Store } from '../domain/store.js';
import { composeMessage, readsFrom } from '../messaging/compose.js';
import type { Db } from '../storage/database.js';
import { getJourneySettings } from '../storage/journeys.js';
import { allHold } from './conditions.js';
import { DEFAULT_BUFFER, followingStep, isMessageCondition, type JourneyDefinition } from './definition.js';
import { inQuietHours, nextLocalTime, parseDuration, parseTimeOfDay } from './duration.js';
import { DEFAULT_JOURNEY_SETTINGS } from './settings.js';
import { conditionData, sendParams, shopperTimeZone } from './step-data.js';

export interface SimulatedStep {
  at: string;
  stepId: string;
  type: string;
  /** What the step would do: wait, send, skip, branch, wait_for, exit, end. */
  action: string;
  detail?: string;
  /** For sends: the message as it would go, or why it would not. */
  message?:
    | { template: string; channel: string; category: string; payload: Record<string, unknown> }
    | { refused: string; reason: string };
}

export interface SimulateInput {
  store: Store;
  contact: ContactRecord;
  definition: JourneyDefinition;
  /** The trigger event as steps would see it (`event.` paths). */
  event: Record<string, unknown>;
  eventId: string | null;
  orderId: string | null;
  /** PUBLIC_URL, for links in the messages (order.tracking_url). */
  publicUrl?: string;
  now: number;
}

/**
 * Walks a journey for one shopper over its whole life with a virtual clock, sending nothing.
 * It assumes the world as it is now: no awaited event comes (wait_for times out), messages are
 * sent but not delivered, read or answered, and no exit condition becomes true later. Each
 * send is rendered with the shopper's real data, so a template that would fail says so here.
 */
export async function simulateJourney(db: Db, input: SimulateInput): Promise<SimulatedStep[]> {
  const { definition, store, contact } = input;
  const settings = await getJourneySettings(db, store.id, DEFAULT_JOURNEY_SETTINGS);
  const timeZone = shopperTimeZone(contact, store);
  const root = await conditionData(readsFrom(db), store.id, contact, {
    id: 'simulation',
    runKey: '',
    enteredAt: input.now,
    orderId: input.orderId,
    data: input.event,
  });
  const timeline: SimulatedStep[] = [];
  let at = input.now + (parseDuration(definition.entry?.buffer ?? DEFAULT_BUFFER) ?? 0);
  let stepId: string | null = definition.steps[0]!.id;
  const push = (step: { id: string; type: string }, action: string, extra: Partial<SimulatedStep> = {}) =>
    timeline.push({ at: new Date(at).toISOString(), stepId: step.id, type: step.type, action, ...extra });
  for (let i = 0; stepId !== null && i < 200; i++) {
    const step = definition.steps.find((s) => s.id === stepId)!;
    const following =
      step.type === 'exit'
        ? null
        : ((step.type === 'branch' ? undefined : step.next) ?? followingStep(definition, step.id));
    switch (step.type) {
      case 'wait': {
        const until = step.duration
          ? at + parseDuration(step.duration)!
          : nextLocalTime(at, parseTimeOfDay(step.until)!, timeZone);
        push(step, 'wait', { detail: `until ${new Date(until).toISOString()}` });
        at = until;
        stepId = following;
        break;
      }
      case 'send': {
        const quiet = definition.quietHours ?? settings.quietHours;
        if (quiet && inQuietHours(at, parseTimeOfDay(quiet.start)!, parseTimeOfDay(quiet.end)!, timeZone)) {
          if (quiet.action === 'skip') {
            push(step, 'skip', { detail: 'quiet hours' });
            stepId = following;
            break;
          }
          const end = nextLocalTime(at, parseTimeOfDay(quiet.end)!, timeZone);
          push(step, 'wait', { detail: `quiet hours until ${new Date(end).toISOString()}` });
          at = end;
        }
        const params = sendParams(settings, input.orderId, step.params);
        const composed = await composeMessage(db, {
          store,
          contact,
          channel: step.channel,
          content: {
            template: step.template,
            params,
            ...(input.orderId ? { orderId: input.orderId } : {}),
            ...(input.eventId ? { eventId: input.eventId } : {}),
          },
          source: 'journey',
          idempotencyKey: 'simulation',
          publicUrl: input.publicUrl,
          now: at,
        });
        push(step, composed.ok ? 'send' : 'not_sent', {
          message: composed.ok
            ? {
                template: step.template,
                channel: composed.message.channel,
                category: composed.message.category,
                payload: composed.message.payload,
              }
            : { refused: composed.code, reason: composed.message },
        });
        stepId = following;
        break;
      }
      case 'branch': {
        const hit = step.cases.find((c) =>
          c.when.every((w) => (isMessageCondition(w) ? w.is === 'sent' : allHold([w], root))),
        );
        const next = hit ? hit.next : (step.else ?? following);
        push(step, 'branch', { detail: next === null ? 'end' : `to ${next}` });
        stepId = next;
        break;
      }
      case 'wait_for': {
        const until = at + parseDuration(step.timeout)!;
        push(step, 'wait_for', { detail: `${step.event} not assumed; times out at ${new Date(until).toISOString()}` });
        at = until;
        stepId = step.onTimeout ?? null;
        break;
      }
      case 'exit':
        push(step, 'exit');
        stepId = null;
        break;
    }
  }
  return timeline;
}

import { NDR_CHOICE_EVENT_NAME } from '../domain/ndr.js';
/**
 * A journey definition: what starts it, who may enter, when shoppers leave, and the steps.
 * docs/journeys.md documents the format with examples; validate.ts checks it.
 */

/** A test on the data a step sees: `field` is a path such as `event.data.payment_type`, `contact.attributes.vip`, `order.status`. */
export interface FieldCondition {
  field: string;
  op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'not_exists' | 'contains';
  value?: unknown;
}

/** What became of a message an earlier `send` step sent. */
export interface MessageCondition {
  message: string;
  is: 'sent' | 'delivered' | 'read' | 'replied' | 'failed' | 'not_sent' | 'button';
  /** With `is: "button"`: the id of the button the shopper tapped (any button when absent). */
  button?: string;
}

export type Condition = FieldCondition | MessageCondition;

export interface WaitStep {
  id: string;
  type: 'wait';
  /** "90s", "15m", "1h", "3d" */
  duration?: string;
  /** "HH:MM": the next such local time of the shopper (the store's time zone when theirs is unknown). */
  until?: string;
  next?: string;
}

export interface SendStep {
  id: string;
  type: 'send';
  template: string;
  channel: 'whatsapp' | 'messenger';
  /** Template parameters; values may be Liquid, as in POST /v1/messages. */
  params?: Record<string, unknown>;
  next?: string;
}

export interface BranchStep {
  id: string;
  type: 'branch';
  /** The first case whose conditions all hold decides; `else` otherwise (the next step when absent). */
  cases: { when: Condition[]; next: string }[];
  else?: string;
}

export interface WaitForStep {
  id: string;
  type: 'wait_for';
  /** An event name, e.g. "button_reply" or "order_created". */
  event: string;
  timeout: string;
  /** Where to go when the event came (the next step when absent) ... */
  next?: string;
  /** ... and when it did not in time (the journey ends when absent). */
  onTimeout?: string;
  /**
   * "shipment": a button the shopper tapped is recorded on the run's order's failed shipment (seed
   * 004's ndrResolutionDetails); a choice made on the order's tracking page (NDR_CHOICE_EVENT,
   * recorded there already) ends the wait too.
   */
  recordReply?: 'shipment';
}

/** The event of a failed-delivery choice made on the hosted tracking page. */
export const NDR_CHOICE_EVENT = NDR_CHOICE_EVENT_NAME;

/** The events that end a wait_for step. */
export const awaitedEvents = (step: Pick<WaitForStep, 'event' | 'recordReply'>): string[] =>
  step.recordReply === 'shipment' && step.event !== NDR_CHOICE_EVENT ? [step.event, NDR_CHOICE_EVENT] : [step.event];

export interface ExitStep {
  id: string;
  type: 'exit';
}

export type Step = WaitStep | SendStep | BranchStep | WaitForStep | ExitStep;

export type Reentry = 'once' | 'every_time' | { every: string };

export interface ExitConditions {
  /** An order of the shopper created after they entered. */
  orderPlaced?: boolean;
  /** Their cart emptied (or converted) after they entered. */
  cartEmptied?: boolean;
  /** Any of these events from the shopper after they entered. */
  events?: string[];
  /** Ask the store's checkout partner (seed 001 step 5) before each send. */
  partnerCheck?: boolean;
}

export interface QuietHours {
  /** "HH:MM" local time they start and end (may wrap midnight: 21:00–09:00). */
  start: string;
  end: string;
  /** Hold the send until they end (default) or skip it. */
  action?: 'wait' | 'skip';
}

export interface JourneyDefinition {
  name: string;
  description?: string;
  trigger: {
    /** The event name that starts it, or several. */
    event: string | string[];
    /** Every condition must hold on the trigger event (fields rooted at `event.`). */
    when?: FieldCondition[];
  };
  entry?: {
    /** Repeated triggers from one shopper within this time keep only the latest (seed 001 step 2). Default 15m; "0s" for none. */
    buffer?: string;
    /** Default "once_active": one active run at a time, a new one after it ends. */
    reentry?: Reentry | 'once_active';
    /** A path in the trigger event (e.g. "event.data.order_id"): one run per value rather than per shopper. */
    key?: string;
  };
  exit?: ExitConditions;
  quietHours?: QuietHours;
  /** Orders within this time of entering count as conversions. Default 72h. */
  attributionWindow?: string;
  steps: Step[];
}

export const DEFAULT_BUFFER = '15m';
export const DEFAULT_ATTRIBUTION_WINDOW = '72h';

export const triggerEvents = (d: JourneyDefinition): string[] =>
  Array.isArray(d.trigger.event) ? d.trigger.event : [d.trigger.event];

export const isMessageCondition = (c: Condition): c is MessageCondition =>
  typeof (c as MessageCondition).message === 'string';

/** The step after `index` when a step names none, or null at the end of the list. */
export function followingStep(definition: JourneyDefinition, stepId: string): string | null {
  const index = definition.steps.findIndex((s) => s.id === stepId);
  return definition.steps[index + 1]?.id ?? null;
}

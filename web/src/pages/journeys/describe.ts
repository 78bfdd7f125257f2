import type { Condition, Journey, JourneyDefinition, Step } from '../../api/journeys.js';

/** A journey's parts in words, for the list and the flow. */

export const triggerText = (def: JourneyDefinition) =>
  (Array.isArray(def.trigger.event) ? def.trigger.event : [def.trigger.event]).join(' or ');

export function conditionText(c: Condition): string {
  if ('message' in c) return `message of ${c.message} is ${c.is}${c.button ? ` ${c.button}` : ''}`;
  const value = c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`;
  const ops: Record<string, string> = {
    eq: '=',
    ne: '≠',
    gt: '>',
    gte: '≥',
    lt: '<',
    lte: '≤',
    in: 'in',
    contains: 'contains',
    exists: 'exists',
    not_exists: 'does not exist',
  };
  return `${c.field} ${ops[c.op] ?? c.op}${value}`;
}

export const STEP_KIND: Record<Step['type'], string> = {
  wait: 'Wait',
  send: 'Send',
  branch: 'Branch',
  wait_for: 'Wait for',
  exit: 'Exit',
};

/** What the step does, in one line. */
export function stepSummary(step: Step): string {
  switch (step.type) {
    case 'wait':
      return step.duration ? `${step.duration}` : `until ${step.until}`;
    case 'send':
      return `${step.template} on ${step.channel === 'messenger' ? 'Messenger' : 'WhatsApp'}`;
    case 'branch':
      return `${step.cases.length} ${step.cases.length === 1 ? 'case' : 'cases'}`;
    case 'wait_for':
      return `${step.event}, at most ${step.timeout}`;
    case 'exit':
      return 'the run ends';
  }
}

export function exitsText(def: JourneyDefinition): string[] {
  const out: string[] = [];
  if (def.exit?.orderPlaced) out.push('an order is placed');
  if (def.exit?.cartEmptied) out.push('the cart is emptied');
  for (const event of def.exit?.events ?? []) out.push(`${event} happens`);
  if (def.exit?.partnerCheck) out.push('the checkout partner reports a later step');
  return out;
}

export function journeyState(journey: Journey): { status: string; label: string } {
  if (journey.enabled) return { status: 'active', label: 'Enabled' };
  if (journey.version === null) return { status: 'neutral', label: 'Ready-made, off' };
  return { status: 'inactive', label: 'Disabled' };
}

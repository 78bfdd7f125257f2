import { isMessageCondition, type Condition, type JourneyDefinition, type Step } from './definition.js';
import { parseDuration, parseTimeOfDay } from './duration.js';

export interface DefinitionProblem {
  path: string;
  message: string;
}

const STEP_TYPES = new Set(['wait', 'send', 'branch', 'wait_for', 'exit']);
const OPS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'not_exists', 'contains']);
const MESSAGE_STATES = new Set(['sent', 'delivered', 'read', 'replied', 'failed', 'not_sent', 'button']);
const FIELD_ROOTS = /^(event|contact|order|cart|run)\.[A-Za-z0-9_.]+$/;
const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface Lookups {
  /** The store's templates: name → channel. */
  templates: Map<string, string>;
}

/**
 * Checks a definition; every problem is reported with its path (e.g. `steps[2].next`). Beyond
 * shapes it rejects references to unknown steps, templates and message steps, and any loop
 * that does not pass through a wait (it would run forever within one instant).
 */
export function validateDefinition(
  input: unknown,
  lookups: Lookups,
): { ok: true; definition: JourneyDefinition } | { ok: false; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(input))
    return { ok: false, problems: [{ path: 'body', message: 'a journey definition is a JSON object' }] };
  const d = input as Partial<JourneyDefinition> & Record<string, unknown>;

  if (typeof d.name !== 'string' || d.name.trim() === '') problem('name', 'name is required');
  const names = isObject(d.trigger) ? (Array.isArray(d.trigger.event) ? d.trigger.event : [d.trigger.event]) : [];
  if (!isObject(d.trigger) || names.length === 0 || names.some((n: unknown) => typeof n !== 'string' || n === ''))
    problem('trigger.event', 'trigger.event names the event that starts the journey (or a list of names)');
  else if (d.trigger.when !== undefined) checkConditions(d.trigger.when, 'trigger.when', problem, null, true);

  if (d.entry !== undefined) {
    if (!isObject(d.entry)) problem('entry', 'entry is an object');
    else {
      if (d.entry.buffer !== undefined && parseDuration(d.entry.buffer) === null)
        problem('entry.buffer', 'a duration such as "15m" or "0s"');
      const r = d.entry.reentry;
      if (
        r !== undefined &&
        r !== 'once' &&
        r !== 'every_time' &&
        r !== 'once_active' &&
        !(isObject(r) && parseDuration((r as { every?: unknown }).every) !== null)
      ) {
        problem('entry.reentry', '"once", "once_active", "every_time" or {"every": "7d"}');
      }
      if (
        d.entry.key !== undefined &&
        (typeof d.entry.key !== 'string' || !FIELD_ROOTS.test(d.entry.key) || !d.entry.key.startsWith('event.'))
      )
        problem('entry.key', 'a path in the trigger event, e.g. "event.data.order_id"');
    }
  }
  if (d.exit !== undefined) {
    if (!isObject(d.exit)) problem('exit', 'exit is an object');
    else if (
      d.exit.events !== undefined &&
      (!Array.isArray(d.exit.events) || d.exit.events.some((e) => typeof e !== 'string'))
    )
      problem('exit.events', 'a list of event names');
  }
  if (d.quietHours !== undefined) {
    if (!isObject(d.quietHours)) problem('quietHours', 'quietHours is an object');
    else {
      if (parseTimeOfDay(d.quietHours.start) === null) problem('quietHours.start', '"HH:MM"');
      if (parseTimeOfDay(d.quietHours.end) === null) problem('quietHours.end', '"HH:MM"');
      if (d.quietHours.action !== undefined && d.quietHours.action !== 'wait' && d.quietHours.action !== 'skip')
        problem('quietHours.action', '"wait" or "skip"');
    }
  }
  if (d.attributionWindow !== undefined && parseDuration(d.attributionWindow) === null)
    problem('attributionWindow', 'a duration such as "72h"');

  if (!Array.isArray(d.steps) || d.steps.length === 0) {
    problem('steps', 'a journey has at least one step');
    return { ok: false, problems };
  }
  const ids = new Map<string, number>();
  d.steps.forEach((s, i) => {
    if (isObject(s) && typeof s.id === 'string') {
      if (ids.has(s.id)) problem(`steps[${i}].id`, `step id "${s.id}" is used twice`);
      ids.set(s.id, i);
    }
  });
  const sendSteps = new Set(d.steps.filter((s) => isObject(s) && s.type === 'send').map((s) => s.id));
  const ref = (path: string, target: unknown) => {
    if (target === undefined) return;
    if (typeof target !== 'string' || !ids.has(target)) problem(path, `no step has the id ${JSON.stringify(target)}`);
  };
  d.steps.forEach((raw, i) => {
    const at = `steps[${i}]`;
    if (!isObject(raw)) return problem(at, 'a step is an object');
    const s = raw as Step & Record<string, unknown>;
    if (typeof s.id !== 'string' || !STEP_ID.test(s.id))
      problem(`${at}.id`, 'a stable id of letters, digits, "_" or "-"');
    if (!STEP_TYPES.has(s.type)) return problem(`${at}.type`, 'one of wait, send, branch, wait_for, exit');
    switch (s.type) {
      case 'wait': {
        const hasDuration = s.duration !== undefined;
        const hasUntil = s.until !== undefined;
        if (hasDuration === hasUntil) problem(at, 'a wait has either duration or until');
        if (hasDuration && parseDuration(s.duration) === null)
          problem(`${at}.duration`, 'a duration such as "1h" or "3d"');
        if (hasUntil && parseTimeOfDay(s.until) === null) problem(`${at}.until`, 'a local time "HH:MM"');
        ref(`${at}.next`, s.next);
        break;
      }
      case 'send': {
        if (s.channel !== 'whatsapp' && s.channel !== 'messenger') problem(`${at}.channel`, 'whatsapp or messenger');
        if (typeof s.template !== 'string') problem(`${at}.template`, "the name of one of the store's templates");
        else if (!lookups.templates.has(s.template))
          problem(`${at}.template`, `the store has no template "${s.template}"`);
        else if (s.channel && lookups.templates.get(s.template) !== s.channel)
          problem(
            `${at}.template`,
            `template "${s.template}" is for ${lookups.templates.get(s.template)}, not ${s.channel}`,
          );
        if (s.params !== undefined && !isObject(s.params)) problem(`${at}.params`, 'an object of template parameters');
        ref(`${at}.next`, s.next);
        break;
      }
      case 'branch': {
        if (!Array.isArray(s.cases) || s.cases.length === 0) problem(`${at}.cases`, 'a branch has at least one case');
        else
          s.cases.forEach((c, k) => {
            if (!isObject(c)) return problem(`${at}.cases[${k}]`, 'a case is {"when": [...], "next": "<step id>"}');
            checkConditions(c.when, `${at}.cases[${k}].when`, problem, sendSteps, false);
            ref(`${at}.cases[${k}].next`, c.next ?? null);
          });
        ref(`${at}.else`, s.else);
        break;
      }
      case 'wait_for':
        if (typeof s.event !== 'string' || s.event === '') problem(`${at}.event`, 'the name of the event to wait for');
        if (parseDuration(s.timeout) === null) problem(`${at}.timeout`, 'a duration such as "24h"');
        ref(`${at}.next`, s.next);
        ref(`${at}.onTimeout`, s.onTimeout);
        if (s.recordReply !== undefined && s.recordReply !== 'shipment')
          problem(`${at}.recordReply`, '"shipment" (or leave it out)');
        break;
      case 'exit':
        break;
    }
  });
  if (problems.length === 0) {
    const loop = loopWithoutWait(d.steps as Step[]);
    if (loop) problem(`steps[${ids.get(loop[0]!)}]`, `the steps ${loop.join(' → ')} loop without a wait`);
  }
  return problems.length === 0 ? { ok: true, definition: d as JourneyDefinition } : { ok: false, problems };
}

function checkConditions(
  list: unknown,
  path: string,
  problem: (p: string, m: string) => void,
  sendSteps: Set<unknown> | null,
  eventOnly: boolean,
): void {
  if (!Array.isArray(list) || list.length === 0) return problem(path, 'a list of conditions');
  list.forEach((c: Condition, k) => {
    const at = `${path}[${k}]`;
    if (!isObject(c)) return problem(at, 'a condition is an object');
    if (isMessageCondition(c)) {
      if (!sendSteps) return problem(at, 'message conditions are for branches');
      if (!sendSteps.has(c.message)) problem(`${at}.message`, `no send step has the id ${JSON.stringify(c.message)}`);
      if (!MESSAGE_STATES.has(c.is)) problem(`${at}.is`, `one of ${[...MESSAGE_STATES].join(', ')}`);
      return;
    }
    if (typeof c.field !== 'string' || !FIELD_ROOTS.test(c.field) || (eventOnly && !c.field.startsWith('event.'))) {
      problem(
        `${at}.field`,
        eventOnly
          ? 'a path in the event, e.g. "event.data.payment_type"'
          : 'a path rooted at event., contact., order., cart. or run.',
      );
    }
    if (!OPS.has(c.op)) problem(`${at}.op`, `one of ${[...OPS].join(', ')}`);
    else if (c.op === 'in' && !Array.isArray(c.value)) problem(`${at}.value`, '"in" takes a list');
    else if (c.op !== 'exists' && c.op !== 'not_exists' && c.value === undefined)
      problem(`${at}.value`, `"${c.op}" compares with a value`);
  });
}

/** A cycle of steps none of which waits (wait, wait_for), as a list of ids; null when there is none. */
function loopWithoutWait(steps: Step[]): string[] | null {
  const next = new Map<string, string[]>();
  steps.forEach((s, i) => {
    const following = steps[i + 1]?.id;
    const targets: (string | undefined)[] = [];
    if (s.type === 'branch') targets.push(...s.cases.map((c) => c.next), s.else ?? following);
    else if (s.type !== 'exit') targets.push(s.next ?? following);
    if (s.type === 'wait_for') targets.push(s.onTimeout);
    next.set(
      s.id,
      targets.filter((t): t is string => typeof t === 'string'),
    );
  });
  const waits = new Set(steps.filter((s) => s.type === 'wait' || s.type === 'wait_for').map((s) => s.id));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (waits.has(id)) return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    if (state.get(id) === 'done') return null;
    state.set(id, 'open');
    path.push(id);
    for (const t of next.get(id) ?? []) {
      const found = visit(t);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const found = visit(s.id);
    if (found) return found;
  }
  return null;
}

// biome-ignore lint/suspicious/noExplicitAny: the narrowed object is read field by field by the validators
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { MessageRecord } from '../domain/messages.js';
import { definitionOf } from '../journeys/definition-cache.js';
import { DEFAULT_BUFFER, type JourneyDefinition } from '../journeys/definition.js';
import { findTemplate } from '../messaging/templates/catalog.js';
import { distinctNames, fillPlaceholders } from '../messaging/templates/placeholders.js';
import type { Db } from '../storage/database.js';
import { runsOfContact, stepsOfRun, type JourneyRun, type StepLogEntry } from '../storage/journeys.js';
import { listMessages } from '../storage/message-queries.js';

/** What the demo's shopper has so far: their runs, each with its step log, and their messages. */
export interface Observed {
  runs: { run: JourneyRun; steps: StepLogEntry[] }[];
  messages: MessageRecord[];
}

interface Line {
  at: number;
  who: string;
  text: string;
}

/**
 * Prints what happens to one shopper as it happens: reads their runs, step logs and messages
 * after each round of the workers and writes what is new, in the order it happened, stamped
 * with the virtual time since the story began. Reading the records (rather than hooking the
 * workers) shows exactly what the API would show.
 */
export class Timeline {
  private readonly seen = new Set<string>();
  private readonly notesSeen = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly storeId: string,
    private readonly contactId: string,
    private readonly t0: number,
    private readonly write: (line: string) => void,
  ) {}

  /** A line from the story itself (the shopper did something). */
  say(at: number, who: string, text: string): void {
    this.print([{ at, who, text }]);
  }

  async poll(): Promise<Observed> {
    const runs = await runsOfContact(this.db, this.storeId, this.contactId);
    const messages = await listMessages(this.db, this.storeId, { contactId: this.contactId, limit: 100 });
    const byId = new Map(messages.map((m) => [m.id, m]));
    const observed: Observed = { runs: [], messages };
    const lines: Line[] = [];
    for (const run of runs) {
      const steps = await stepsOfRun(this.db, run.id);
      observed.runs.push({ run, steps });
      const definition = await definitionOf(this.db, run.storeId, run.journeyId, run.version);
      lines.push(...(await this.runLines(run, steps, definition, byId)));
    }
    const announced = new Set(observed.runs.flatMap((r) => r.steps.map((s) => s.messageId)));
    for (const message of [...messages].reverse())
      lines.push(...(await this.messageLines(message, announced.has(message.id))));
    this.print(lines);
    return observed;
  }

  private async runLines(
    run: JourneyRun,
    steps: StepLogEntry[],
    definition: JourneyDefinition | null,
    messages: Map<string, MessageRecord>,
  ): Promise<Line[]> {
    const lines: Line[] = [];
    const who = run.journeyId;
    if (this.first(`enter:${run.id}`)) {
      const buffer = definition?.entry?.buffer ?? DEFAULT_BUFFER;
      const held =
        run.dueAt > run.enteredAt && run.seq === 0
          ? `; the ${buffer} buffer window holds it until ${this.stamp(run.dueAt)} (a newer cart change would restart it)`
          : '';
      lines.push({ at: run.enteredAt, who, text: `the shopper enters (run ${run.id})${held}` });
    }
    for (const step of steps) {
      if (!this.first(`step:${run.id}:${step.seq}`)) continue;
      const message = step.messageId ? messages.get(step.messageId) : undefined;
      const text = await this.stepText(step, message);
      if (text) lines.push({ at: step.at, who, text });
    }
    const current = definition?.steps.find((s) => s.id === run.stepId);
    if (
      run.status === 'active' &&
      current &&
      run.waitStartedAt !== null &&
      this.first(`wait:${run.id}:${run.stepId}:${run.waitStartedAt}`)
    ) {
      const what =
        current.type === 'wait'
          ? `waits ${current.duration ?? `until ${current.until}`}`
          : current.type === 'wait_for'
            ? `waits for ${current.event} (at most ${current.timeout})`
            : 'waits';
      lines.push({ at: run.waitStartedAt, who, text: `${what} (step ${current.id}) until ${this.stamp(run.dueAt)}` });
    }
    const printedNotes = this.notesSeen.get(run.id) ?? 0;
    for (const note of run.notes.slice(printedNotes)) lines.push({ at: note.at, who, text: `note: ${note.note}` });
    this.notesSeen.set(run.id, run.notes.length);
    if (run.status === 'completed' && this.first(`end:${run.id}`))
      lines.push({ at: run.endedAt ?? run.updatedAt, who, text: 'the journey is complete' });
    if (run.status === 'exited' && !steps.some((s) => s.outcome === 'exited') && this.first(`end:${run.id}`)) {
      lines.push({ at: run.endedAt ?? run.updatedAt, who, text: `the run is ended: ${exitText(run.exitReason)}` });
    }
    return lines;
  }

  private async stepText(step: StepLogEntry, message: MessageRecord | undefined): Promise<string | null> {
    switch (step.outcome) {
      case 'waited':
        return null; // shown when the wait began
      case 'sent': {
        if (!message) return `step ${step.stepId} sends message ${step.messageId}`;
        const text = await messageText(this.db, this.storeId, message);
        const head = `step ${step.stepId} sends ${message.templateName ?? message.kind} to ${message.recipient} (${message.channel})`;
        return text ? `${head}:\n"${text}"` : head;
      }
      case 'not_sent':
        return `step ${step.stepId} sends nothing: ${step.detail}`;
      case 'skipped':
        return `step ${step.stepId} is skipped: ${step.detail}`;
      case 'exited':
        return `exits when step ${step.stepId} is due: ${exitText(step.detail)}; no further message`;
      default:
        return `step ${step.stepId}: ${step.outcome}${step.detail ? ` (${step.detail})` : ''}`;
    }
  }

  /** A message's statuses as the provider reports them (and the message itself, when no step announced it). */
  private async messageLines(message: MessageRecord, announced: boolean): Promise<Line[]> {
    const lines: Line[] = [];
    if (!announced && this.first(`message:${message.id}`)) {
      const text = await messageText(this.db, this.storeId, message);
      lines.push({
        at: message.createdAt,
        who: 'message',
        text: `${message.templateName ?? message.kind} to ${message.recipient} (${message.channel})${text ? `:\n"${text}"` : ''}`,
      });
    }
    for (const change of message.history) {
      if (change.status === 'queued' || !this.first(`status:${message.id}:${change.status}`)) continue;
      const detail =
        change.status === 'failed'
          ? `: ${message.errorCode ?? ''} ${message.errorReason ?? ''}`.trimEnd()
          : change.status === 'sent' && message.providerMessageId
            ? ` (${message.providerMessageId})`
            : '';
      lines.push({
        at: change.at,
        who: message.channel,
        text: `${message.templateName ?? 'message'} ${change.status}${detail}`,
      });
    }
    return lines;
  }

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  private print(lines: Line[]): void {
    // Stable: lines of one instant keep the order they were found in (a send, then the next wait).
    for (const line of lines.sort((a, b) => a.at - b.at)) {
      const [first, ...more] = line.text.split('\n');
      this.write(`${this.stamp(line.at).padEnd(STAMP_WIDTH)} ${line.who.padEnd(WHO_WIDTH)} ${first}`);
      for (const next of more) this.write(`${' '.repeat(STAMP_WIDTH + WHO_WIDTH + 2)}${next}`);
    }
  }

  /** Virtual time since the story began, +HH:MM:SS (hours go past 24). */
  stamp(at: number): string {
    const seconds = Math.max(0, Math.round((at - this.t0) / 1000));
    const pad = (n: number) => String(n).padStart(2, '0');
    return `+${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  }
}

const STAMP_WIDTH = 9;
const WHO_WIDTH = 16;

export function exitText(reason: string | null): string {
  if (!reason) return 'no reason recorded';
  const [kind, ...rest] = reason.split(':');
  const what = rest.join(':');
  switch (kind) {
    case 'order_placed':
      return `the shopper placed order ${what}`;
    case 'cart_emptied':
      return 'the cart was emptied';
    case 'event':
      return `the shopper went on (${what})`;
    case 'partner':
      return `the checkout partner saw ${what}`;
    default:
      return reason;
  }
}

/**
 * The text of a template message as the shopper reads it: the template's body with the
 * parameters the message carries put in (what the provider renders on the phone).
 */
export async function messageText(db: Db, storeId: string, message: MessageRecord): Promise<string | null> {
  const payload = message.payload as {
    template?: { components?: { type?: string; parameters?: { text?: string; parameter_name?: string }[] }[] };
    text?: { body?: string };
  };
  if (payload.text?.body) return payload.text.body;
  if (!message.templateName || !payload.template) return null;
  const template = await findTemplate(db, storeId, message.templateName);
  const body = template && template.definition.channel === 'whatsapp' ? template.definition.body.text : null;
  if (!body) return null;
  const parameters = payload.template.components?.find((c) => c.type === 'body')?.parameters ?? [];
  const names = distinctNames(body);
  const values = new Map(parameters.map((p, i) => [p.parameter_name ?? names[i] ?? String(i + 1), p.text ?? '']));
  return fillPlaceholders(body, values);
}

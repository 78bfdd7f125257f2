import { fromMinor } from '../domain/money.js';
import type { Db } from '../storage/database.js';
import { journeyStatsRows, sendsOfRuns } from '../storage/journey-stats.js';
import { DEFAULT_ATTRIBUTION_WINDOW, type JourneyDefinition } from './definition.js';
import { parseDuration } from './duration.js';
import { stepCampaign } from './message-campaigns.js';

export interface StepStats {
  stepId: string;
  type: string;
  /** Runs that reached the step: executed it, or are waiting at it. */
  entered: number;
  waiting: number;
  /** By outcome: sent, not_sent, waited, branched, skipped, event_came, timed_out, exited. */
  outcomes: Record<string, number>;
  /** Only send steps: what became of their messages. */
  sent?: number;
  notSent?: Record<string, number>;
  delivered?: number;
  read?: number;
  replied?: number;
  failed?: number;
  /** Orders attributed to this step's message (the last one the shopper got before ordering). */
  converted: number;
  revenue: Record<string, number>;
}

export interface JourneyStats {
  journeyId: string;
  runs: { total: number; active: number; completed: number; exited: number };
  exited: Record<string, number>;
  attributionWindow: string;
  converted: number;
  /** By currency. */
  revenue: Record<string, number>;
  steps: StepStats[];
}

const count = (v: unknown) => Number(v ?? 0);

/**
 * Per step: how many runs reached it, wait at it, and what it did; for send steps, what
 * became of the messages; conversions (an order within the attribution window after entering,
 * other than the order that started the run) credited to the last message before the order.
 */
export async function journeyStats(
  db: Db,
  storeId: string,
  journeyId: string,
  definition: JourneyDefinition,
): Promise<JourneyStats> {
  const windowMs = parseDuration(definition.attributionWindow ?? DEFAULT_ATTRIBUTION_WINDOW) ?? 72 * 3_600_000;
  const campaigns = definition.steps.filter((s) => s.type === 'send').map((s) => stepCampaign(journeyId, s.id));
  const { runs, steps, messages, conversions } = await journeyStatsRows(db, storeId, journeyId, campaigns, windowMs);

  const result: JourneyStats = {
    journeyId,
    runs: { total: 0, active: 0, completed: 0, exited: 0 },
    exited: {},
    attributionWindow: definition.attributionWindow ?? DEFAULT_ATTRIBUTION_WINDOW,
    converted: 0,
    revenue: {},
    steps: definition.steps.map((s) => ({
      stepId: s.id,
      type: s.type,
      entered: 0,
      waiting: 0,
      outcomes: {},
      converted: 0,
      revenue: {},
      ...(s.type === 'send' ? { sent: 0, notSent: {}, delivered: 0, read: 0, replied: 0, failed: 0 } : {}),
    })),
  };
  const stepOf = (id: string | null) => result.steps.find((s) => s.stepId === id);
  for (const r of runs) {
    const n = count(r.n);
    result.runs.total += n;
    result.runs[r.status as 'active' | 'completed' | 'exited'] += n;
    if (r.status === 'exited')
      result.exited[r.exit_reason?.split(':')[0] ?? 'unknown'] =
        (result.exited[r.exit_reason?.split(':')[0] ?? 'unknown'] ?? 0) + n;
    if (r.status === 'active') {
      const step = stepOf(r.step_id);
      if (step) {
        step.waiting += n;
        step.entered += n;
      }
    }
  }
  for (const s of steps) {
    const step = stepOf(s.step_id);
    if (!step) continue;
    const n = count(s.n);
    step.entered += n;
    step.outcomes[s.outcome] = (step.outcomes[s.outcome] ?? 0) + n;
    if (s.outcome === 'sent') step.sent = (step.sent ?? 0) + n;
    if (s.outcome === 'not_sent' && step.notSent)
      step.notSent[s.detail ?? 'unknown'] = (step.notSent[s.detail ?? 'unknown'] ?? 0) + n;
  }
  for (const m of messages) {
    const step = stepOf(String(m.campaign).slice(`journey:${journeyId}:`.length));
    if (step?.type !== 'send') continue;
    const n = count(m.n);
    if (m.status === 'delivered' || m.status === 'read') step.delivered! += n;
    if (m.status === 'read') step.read! += n;
    if (m.status === 'failed') step.failed! += n;
    step.replied! += count(m.replied);
  }

  // Last touch: each run's first order in the window (its own excluded by storage) goes to the
  // last message sent before it.
  const credited = new Set<string>();
  const sends = conversions.length
    ? await sendsOfRuns(db, storeId, journeyId, [...new Set(conversions.map((c) => c.run_id))])
    : [];
  const sendsOf = new Map<string, typeof sends>();
  for (const s of sends) sendsOf.set(s.run_id, [...(sendsOf.get(s.run_id) ?? []), s]);
  for (const c of conversions) {
    if (credited.has(c.run_id)) continue;
    credited.add(c.run_id);
    const amount = fromMinor(Number(c.total_minor), c.currency) ?? 0;
    const currency = c.currency ?? 'unknown';
    result.converted += 1;
    result.revenue[currency] = round((result.revenue[currency] ?? 0) + amount);
    const last = (sendsOf.get(c.run_id) ?? []).filter((s) => Number(s.at) <= Number(c.created_at)).at(-1);
    const step = last ? stepOf(last.step_id) : undefined;
    if (step) {
      step.converted += 1;
      step.revenue[currency] = round((step.revenue[currency] ?? 0) + amount);
    }
  }
  return result;
}

const round = (n: number) => Math.round(n * 100) / 100;

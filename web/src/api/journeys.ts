/** The shapes of the journeys API (docs/journeys.md) as the dashboard reads them. */

export interface FieldCondition {
  field: string;
  op: string;
  value?: unknown;
}

export interface MessageCondition {
  message: string;
  is: string;
  button?: string;
}

export type Condition = FieldCondition | MessageCondition;

export type Step =
  | { id: string; type: 'wait'; duration?: string; until?: string; next?: string }
  | { id: string; type: 'send'; template: string; channel: string; params?: Record<string, unknown>; next?: string }
  | { id: string; type: 'branch'; cases: { when: Condition[]; next: string }[]; else?: string }
  | { id: string; type: 'wait_for'; event: string; timeout: string; next?: string; onTimeout?: string }
  | { id: string; type: 'exit' };

export interface JourneyDefinition {
  name: string;
  description?: string;
  trigger: { event: string | string[]; when?: FieldCondition[] };
  entry?: { buffer?: string; reentry?: string | { every: string }; key?: string };
  exit?: { orderPlaced?: boolean; cartEmptied?: boolean; events?: string[]; partnerCheck?: boolean };
  quietHours?: { start: string; end: string; action?: string };
  attributionWindow?: string;
  steps: Step[];
}

export interface Journey {
  id: string;
  version: number | null;
  enabled: boolean;
  readyMade: boolean;
  definition: JourneyDefinition;
  createdAt: string | null;
  updatedAt: string | null;
  /** Only in the answer to enable: templates created for it. */
  installedTemplates?: string[];
}

export interface StepStats {
  stepId: string;
  type: string;
  entered: number;
  waiting: number;
  outcomes: Record<string, number>;
  sent?: number;
  notSent?: Record<string, number>;
  delivered?: number;
  read?: number;
  replied?: number;
  failed?: number;
  converted: number;
  revenue: Record<string, number>;
}

export interface JourneyStats {
  journeyId: string;
  runs: { total: number; active: number; completed: number; exited: number };
  exited: Record<string, number>;
  attributionWindow: string;
  converted: number;
  revenue: Record<string, number>;
  steps: StepStats[];
}

export interface JourneyRun {
  id: string;
  journeyId: string;
  version: number;
  contactId: string;
  key: string | null;
  status: 'active' | 'completed' | 'exited';
  stepId: string | null;
  dueAt: string | null;
  waitingFor: string | null;
  enteredAt: string;
  endedAt: string | null;
  exitReason: string | null;
  triggerEventId: string | null;
  orderId: string | null;
  notes: { at: string; note: string }[];
  /** Who the shopper is (the runs list and one run; null if the contact is gone). */
  contact?: {
    id: string;
    name: string | null;
    phone: string | null;
    email: string | null;
    customerId: string | null;
  } | null;
}

export interface RunStep {
  seq: number;
  stepId: string;
  outcome: string;
  detail: string | null;
  messageId: string | null;
  at: string;
}

export interface SimulatedStep {
  at: string;
  stepId: string;
  type: string;
  action: string;
  detail?: string;
  message?:
    | { template: string; channel: string; category: string; payload: Record<string, unknown> }
    | { refused: string; reason: string };
}

export interface Simulation {
  journeyId: string;
  contactId: string;
  assumptions: string;
  timeline: SimulatedStep[];
}

export const journeyPath = (id: string, rest = '') => `/v1/journeys/${encodeURIComponent(id)}${rest}`;

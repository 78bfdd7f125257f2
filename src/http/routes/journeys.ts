import type { Db } from '../../storage/database.js';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import type { JourneyDefinition } from '../../journeys/definition.js';
import { eventView } from '../../journeys/entry.js';
import {
  JOURNEY_ID,
  disableJourney,
  enableJourney,
  getJourneyView,
  listJourneyViews,
  saveJourney,
  triggerJourney,
  type JourneyView,
} from '../../journeys/service.js';
import { simulateJourney } from '../../journeys/simulate.js';
import { journeyStats } from '../../journeys/stats.js';
import { validateDefinition } from '../../journeys/validate.js';
import { findContacts } from '../../storage/contacts.js';
import { findEvent } from '../../storage/events.js';
import { getRun, listRuns, stepsOfRun, type JourneyRun } from '../../storage/journeys.js';
import { storeOf } from '../auth.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';
import { findRecipient } from './messages.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: JOURNEY_ID.source }) });
type IdParams = { id: string };

const Shopper = Type.Object(
  {
    contactId: Type.Optional(Type.String({ minLength: 1 })),
    customer_id: Type.Optional(Type.String({ minLength: 1 })),
    email: Type.Optional(Type.String({ minLength: 1 })),
    phone: Type.Optional(Type.String({ minLength: 1 })),
  },
  { description: 'The shopper, by one of their identifiers.' },
);

const TriggerBody = Type.Object({
  to: Shopper,
  data: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), { description: 'What steps and templates read as event.data.' }),
  ),
  orderId: Type.Optional(Type.String({ minLength: 1 })),
});

const SimulateBody = Type.Object({
  to: Shopper,
  eventId: Type.Optional(
    Type.String({ minLength: 1, description: 'A stored event to start from (else a trigger with `data`).' }),
  ),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  orderId: Type.Optional(Type.String({ minLength: 1 })),
  definition: Type.Optional(
    Type.Unknown({ description: 'A definition to try instead of the stored one (validated like a PUT).' }),
  ),
});

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const presentJourney = (j: JourneyView) => ({ ...j, createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt) });

const presentRun = (r: JourneyRun) => ({
  id: r.id,
  journeyId: r.journeyId,
  version: r.version,
  contactId: r.contactId,
  key: r.runKey || null,
  status: r.status,
  stepId: r.stepId,
  dueAt: r.status === 'active' ? iso(r.dueAt) : null,
  waitingFor: r.waitingFor,
  enteredAt: iso(r.enteredAt),
  endedAt: iso(r.endedAt),
  exitReason: r.exitReason,
  triggerEventId: r.triggerEventId,
  orderId: r.orderId,
  notes: r.notes.map((n) => ({ at: iso(n.at), note: n.note })),
});

/** Runs with who their shopper is, so a list names people, not contact ids (one read for the page). */
async function presentRunsWithContacts(db: Db, storeId: string, runs: JourneyRun[]) {
  const contacts = await findContacts(db, storeId, [...new Set(runs.map((r) => r.contactId))]);
  return runs.map((r) => {
    const c = contacts.get(r.contactId);
    return {
      ...presentRun(r),
      contact: c ? { id: c.id, name: c.name, phone: c.phone, email: c.email, customerId: c.customerId } : null,
    };
  });
}

async function shopperOf(deps: RouteDeps, store: Parameters<typeof findRecipient>[1], to: Type.Static<typeof Shopper>) {
  if (!to.contactId && !to.customer_id && !to.email && !to.phone)
    throw new AppError('VALIDATION_FAILED', 'name the shopper by contactId, customer_id, email or phone', {
      path: 'to',
    });
  const contact = await findRecipient(deps.storage.db, store, to);
  if (!contact)
    throw new AppError(to.customer_id ? 'CUSTOMER_NOT_FOUND' : 'CONTACT_NOT_FOUND', 'no such shopper in this store');
  return contact;
}

/** Journeys (docs/journeys.md): definitions, ready-made ones, the trigger API, simulation, runs, stats (settings: journey-settings.ts). */
export function journeyRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;
  const tags = ['journeys'];

  app.get('/v1/journeys', {
    schema: { summary: "The store's journeys, ready-made ones included", tags, security: bearerAuth },
    onRequest: deps.auth.storeKey,
    handler: async (request) => ({ journeys: (await listJourneyViews(db, storeOf(request).id)).map(presentJourney) }),
  });

  app.get<{ Params: IdParams }>('/v1/journeys/:id', {
    schema: {
      summary: 'A journey: its latest version, or a ready-made one',
      tags,
      security: bearerAuth,
      params: IdParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      return presentJourney(await journeyOrThrow(db, storeOf(request).id, request.params.id));
    },
  });

  app.put<{ Params: IdParams; Body: unknown }>('/v1/journeys/:id', {
    schema: {
      summary: 'Create a journey or save its next version',
      description:
        'The body is the definition (docs/journeys.md), optionally with `enabled`. Runs under way stay on the version they entered.',
      tags,
      security: bearerAuth,
      params: IdParams,
    },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: async (request) =>
      presentJourney(
        await saveJourney(deps.storage, storeOf(request), request.params.id, request.body, deps.clock.now()),
      ),
  });

  app.post<{ Params: IdParams }>('/v1/journeys/:id/enable', {
    schema: {
      summary: 'Enable a journey (a ready-made one is stored, with the templates it needs that the store lacks)',
      tags,
      security: bearerAuth,
      params: IdParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const { journey, installedTemplates } = await enableJourney(
        deps.storage,
        storeOf(request),
        request.params.id,
        deps.clock.now(),
      );
      return { ...presentJourney(journey), installedTemplates };
    },
  });

  app.post<{ Params: IdParams }>('/v1/journeys/:id/disable', {
    schema: {
      summary: 'Disable a journey: no new shoppers enter; runs under way go on',
      tags,
      security: bearerAuth,
      params: IdParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) =>
      presentJourney(await disableJourney(db, storeOf(request), request.params.id, deps.clock.now())),
  });

  app.post<{ Params: IdParams; Body: Type.Static<typeof TriggerBody> }>('/v1/journeys/:id/trigger', {
    schema: {
      summary: 'Put a shopper into a journey now, with data (the trigger API)',
      tags,
      security: bearerAuth,
      params: IdParams,
      body: TriggerBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const contact = await shopperOf(deps, store, request.body.to);
      const { runId } = await triggerJourney(
        deps.storage,
        store,
        request.params.id,
        contact.id,
        { data: request.body.data ?? {}, orderId: request.body.orderId ?? null, eventName: null },
        deps.clock.now(),
      );
      deps.wakeJourneys?.();
      const run = await getRun(db, store.id, runId);
      return reply.code(202).send(presentRun(run!));
    },
  });

  app.post<{ Params: IdParams; Body: Type.Static<typeof SimulateBody> }>('/v1/journeys/:id/simulate', {
    schema: {
      summary: 'What the journey would send to a shopper over its whole life, sending nothing',
      tags,
      security: bearerAuth,
      params: IdParams,
      body: SimulateBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      let definition: JourneyDefinition;
      if (request.body.definition !== undefined) {
        const { templatesOfStore } = await import('../../messaging/templates/catalog.js');
        const templates = new Map(
          (await templatesOfStore(db, store.id)).map((t) => [t.name, String(t.definition.channel)]),
        );
        const checked = validateDefinition(request.body.definition, { templates });
        if (!checked.ok)
          throw new AppError('JOURNEY_INVALID', `${checked.problems[0]!.path}: ${checked.problems[0]!.message}`, {
            path: checked.problems[0]!.path,
            problems: checked.problems,
          });
        definition = checked.definition;
      } else {
        definition = (await journeyOrThrow(db, store.id, request.params.id)).definition;
      }
      const contact = await shopperOf(deps, store, request.body.to);
      const now = deps.clock.now();
      let event: Record<string, unknown>;
      const orderId = request.body.orderId ?? null;
      if (request.body.eventId) {
        const stored = await findEvent(db, store.id, request.body.eventId);
        if (!stored) throw new AppError('EVENT_NOT_FOUND', `no event "${request.body.eventId}" in this store`);
        event = eventView({ ...stored, contactId: contact.id, orderId });
      } else {
        event = eventView({
          eventId: '',
          name: Array.isArray(definition.trigger.event) ? definition.trigger.event[0]! : definition.trigger.event,
          subName: null,
          contactId: contact.id,
          occurredAt: now,
          data: request.body.data ?? {},
          orderId,
        });
      }
      const timeline = await simulateJourney(db, {
        store,
        contact,
        definition,
        event,
        eventId: request.body.eventId ?? null,
        orderId,
        publicUrl: deps.publicUrl,
        now,
      });
      return {
        journeyId: request.params.id,
        contactId: contact.id,
        assumptions:
          'no awaited event comes; messages are sent but not delivered, read or answered; exit conditions stay as they are now',
        timeline,
      };
    },
  });

  app.get<{ Params: IdParams; Querystring: { contactId?: string; status?: string; limit?: string } }>(
    '/v1/journeys/:id/runs',
    {
      schema: {
        summary: "A journey's runs, newest first",
        tags,
        security: bearerAuth,
        params: IdParams,
        querystring: Type.Object({
          contactId: Type.Optional(Type.String()),
          status: Type.Optional(
            Type.Union([Type.Literal('active'), Type.Literal('completed'), Type.Literal('exited')]),
          ),
          limit: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
        }),
      },
      onRequest: deps.auth.storeKey,
      handler: async (request) => {
        const store = storeOf(request);
        await journeyOrThrow(db, store.id, request.params.id); // a 404, not an empty list
        const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 500);
        const runs = await listRuns(db, store.id, request.params.id, {
          contactId: request.query.contactId,
          status: request.query.status,
          limit,
        });
        return { runs: await presentRunsWithContacts(db, store.id, runs) };
      },
    },
  );

  app.get<{ Params: { runId: string } }>('/v1/journey-runs/:runId', {
    schema: {
      summary: 'One run with the steps it executed',
      tags,
      security: bearerAuth,
      params: Type.Object({ runId: Type.String({ minLength: 1 }) }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const run = await getRun(db, storeOf(request).id, request.params.runId);
      if (!run) throw new AppError('RUN_NOT_FOUND', `no journey run "${request.params.runId}" in this store`);
      const steps = await stepsOfRun(db, run.id);
      const [shown] = await presentRunsWithContacts(db, run.storeId, [run]);
      return {
        ...shown,
        steps: steps.map((s) => ({
          seq: s.seq,
          stepId: s.stepId,
          outcome: s.outcome,
          detail: s.detail,
          messageId: s.messageId,
          at: iso(s.at),
        })),
      };
    },
  });

  app.get<{ Params: IdParams }>('/v1/journeys/:id/stats', {
    schema: {
      summary: 'Per step: entered, waiting, sent, delivered, read, replied, exited, converted, revenue',
      tags,
      security: bearerAuth,
      params: IdParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      const journey = await journeyOrThrow(db, store.id, request.params.id);
      return journeyStats(db, store.id, journey.id, journey.definition);
    },
  });
}

async function journeyOrThrow(db: Db, storeId: string, id: string) {
  const journey = await getJourneyView(db, storeId, id);
  if (!journey) throw new AppError('JOURNEY_NOT_FOUND', `no journey "${id}" in this store, and no ready-made one`);
  return journey;
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import { identityKeyOf, type IdentityKey } from '../../domain/identity.js';
import type { ContactView } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import {
  findTemplate,
  ownTemplate,
  templatesOfStore,
  type ResolvedTemplate,
} from '../../messaging/templates/catalog.js';
import { mergeData } from '../../messaging/templates/merge-data.js';
import { builtInTemplate, renderFromParams } from '../../messaging/templates/messenger.js';
import { renderTemplate } from '../../messaging/templates/render.js';
import type { RenderResult } from '../../messaging/templates/result.js';
import { TemplateDefinition } from '../../messaging/templates/schema.js';
import { templateNameProblem, validateTemplate, type TemplateProblem } from '../../messaging/templates/validate.js';
import { checkTemplateDraft, TemplateNameParams } from './template-drafts.js';
import { getCart } from '../../storage/carts.js';
import { findContactByIdentity, getContact } from '../../storage/contacts.js';
import type { Db } from '../../storage/database.js';
import { findEvent } from '../../storage/events.js';
import { getOrder } from '../../storage/orders.js';
import { deleteTemplate, putTemplate } from '../../storage/templates.js';
import { storeOf } from '../auth.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

const NameParams = TemplateNameParams;
type NameParams = { name: string };

const PreviewBody = Type.Object({
  contactId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  customer_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Number()])),
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
  phone: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()])),
  orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  eventId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  params: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'Values a send request would give (Messenger templates are built from them).',
    }),
  ),
  definition: Type.Optional(
    Type.Unknown({
      description:
        'A draft to render instead of the stored template (validated like a PUT, stored nothing): the editor previews as it is typed.',
    }),
  ),
});
type PreviewBody = Type.Static<typeof PreviewBody>;

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

function presentTemplate(template: ResolvedTemplate) {
  return {
    name: template.name,
    channel: template.definition.channel,
    builtIn: template.builtIn,
    overridesBuiltIn: template.overridesBuiltIn,
    definition: template.definition,
    createdAt: iso(template.createdAt),
    updatedAt: iso(template.updatedAt),
  };
}

function sendInvalid(reply: FastifyReply, problems: TemplateProblem[]) {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see details.problems)` : '';
  return sendError(reply, 'TEMPLATE_INVALID', `${first!.path || 'template'}: ${first!.message}${more}`, {
    path: first!.path,
    problems,
  });
}

/** Message templates: WhatsApp templates as Meta models them, Messenger receipts and shipping updates. */
export function templateRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  app.put<{ Params: NameParams; Body: unknown }>('/v1/templates/:name', {
    schema: {
      summary: 'Create or replace a template',
      description:
        'The body is the template definition (docs/templates.md). A built-in template is replaced for this store by one of the same name.',
      tags: ['templates'],
      security: bearerAuth,
      params: NameParams,
      body: TemplateDefinition,
    },
    // The definition is checked in the handler, which names the field at fault (TEMPLATE_INVALID).
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const { name } = request.params;
      const result = validateTemplate(request.body);
      if (!result.ok) return sendInvalid(reply, result.problems);
      const nameProblem = templateNameProblem(name, result.template.channel);
      if (nameProblem) return sendInvalid(reply, [{ path: 'params/name', message: nameProblem }]);
      const stored = await putTemplate(db, store.id, name, result.template.channel, result.template, deps.clock.now());
      return presentTemplate(ownTemplate(stored));
    },
  });

  app.get<{ Params: NameParams }>('/v1/templates/:name', {
    schema: {
      summary: "A template: the store's own, or a built-in one",
      tags: ['templates'],
      security: bearerAuth,
      params: NameParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const template = await findTemplate(db, store.id, request.params.name);
      if (!template) return notFound(reply, request.params.name);
      return presentTemplate(template);
    },
  });

  app.get('/v1/templates', {
    schema: {
      summary: 'Every template the store can send, built-in ones included',
      tags: ['templates'],
      security: bearerAuth,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      return { templates: (await templatesOfStore(db, store.id)).map(presentTemplate) };
    },
  });

  app.delete<{ Params: NameParams }>('/v1/templates/:name', {
    schema: {
      summary: 'Delete a template',
      description:
        "Deleting the store's replacement of a built-in template brings the built-in one back; deleting a built-in one that was not replaced changes nothing.",
      tags: ['templates'],
      security: bearerAuth,
      params: NameParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const { name } = request.params;
      const deleted = await deleteTemplate(db, store.id, name);
      if (!deleted && !builtInTemplate(name)) return notFound(reply, name);
      return reply.code(204).send();
    },
  });

  app.post<{ Params: NameParams; Body: PreviewBody }>('/v1/templates/:name/preview', {
    schema: {
      summary: "Render a template with the store's real data, without sending it",
      description:
        'Names the shopper by contactId, customer_id, email or phone (or through the order or event given); the order and event are optional. Answers the provider request body (without the recipient) and the text the shopper would read, or MISSING_PARAMETER / INVALID_PARAMETER naming the parameter.',
      tags: ['templates'],
      security: bearerAuth,
      params: NameParams,
      body: PreviewBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const { name } = request.params;
      const body = request.body;
      let definition: TemplateDefinition;
      if (body.definition !== undefined) {
        const problems = checkTemplateDraft(name, body.definition);
        if (problems.length > 0) return sendInvalid(reply, problems);
        definition = body.definition as TemplateDefinition;
      } else {
        const template = await findTemplate(db, store.id, name);
        if (!template) return notFound(reply, name);
        definition = template.definition;
      }

      let result: RenderResult;
      if (definition.channel === 'messenger') {
        result = renderFromParams(definition, body.params ?? {});
      } else {
        const order = body.orderId ? await getOrder(db, store.id, body.orderId) : null;
        if (body.orderId && !order)
          return sendError(reply, 'ORDER_NOT_FOUND', `no order ${body.orderId} in this store`);
        const event = body.eventId ? await findEvent(db, store.id, body.eventId) : null;
        if (body.eventId && !event)
          return sendError(reply, 'EVENT_NOT_FOUND', `no event ${body.eventId} in this store`);
        const found = await findShopper(db, store, body, order?.contactId ?? event?.contactId ?? null);
        if (!found.ok) return sendError(reply, found.code, found.message);
        const cart = await getCart(db, store.id, found.contact.id);
        result = await renderTemplate(
          definition,
          name,
          mergeData({
            contact: found.contact,
            order,
            event,
            cart,
            store,
            params: body.params,
            publicUrl: deps.publicUrl,
          }),
        );
      }
      if (!result.ok)
        return sendError(reply, result.error.code, result.error.message, { parameter: result.error.parameter });
      return {
        template: name,
        channel: result.channel,
        kind: result.kind,
        category: result.category,
        payload: result.payload,
        preview: result.preview,
      };
    },
  });
}

function notFound(reply: FastifyReply, name: string) {
  return sendError(reply, 'TEMPLATE_NOT_FOUND', `no template ${JSON.stringify(name)} in this store`);
}

type Shopper =
  | { ok: true; contact: ContactView }
  | { ok: false; code: 'CONTACT_NOT_FOUND' | 'CUSTOMER_NOT_FOUND' | 'VALIDATION_FAILED'; message: string };

/** The contact the preview is for: named in the body, else the shopper of the order or event. */
async function findShopper(db: Db, store: Store, body: PreviewBody, fallbackId: string | null): Promise<Shopper> {
  if (body.contactId) {
    const contact = await getContact(db, store.id, body.contactId);
    return contact
      ? { ok: true, contact }
      : { ok: false, code: 'CONTACT_NOT_FOUND', message: `no contact ${body.contactId} in this store` };
  }
  const named = identityKeyOf(
    { customer_id: body.customer_id, email: body.email, phone: body.phone },
    store.defaultCountry,
  );
  let key: IdentityKey | null = null;
  let what = '';
  if (named) {
    const raw = named.kind === 'customer_id' ? body.customer_id : named.kind === 'email' ? body.email : body.phone;
    if (!named.value) {
      const message =
        named.kind === 'customer_id'
          ? 'customer_id is empty'
          : `${JSON.stringify(raw)} is not ${named.kind === 'email' ? 'an email address' : 'a valid phone number'}`;
      return { ok: false, code: 'VALIDATION_FAILED', message };
    }
    key = { kind: named.kind, value: named.value };
    what = `${named.kind === 'customer_id' ? 'customer id' : named.kind} ${named.value}`;
  }
  if (key) {
    const contact = await findContactByIdentity(db, store.id, key);
    if (contact) return { ok: true, contact };
    return key.kind === 'customer_id'
      ? { ok: false, code: 'CUSTOMER_NOT_FOUND', message: `no contact with ${what} in this store` }
      : { ok: false, code: 'CONTACT_NOT_FOUND', message: `no contact with ${what} in this store` };
  }
  if (fallbackId) {
    const contact = await getContact(db, store.id, fallbackId);
    if (contact) return { ok: true, contact };
  }
  return {
    ok: false,
    code: 'VALIDATION_FAILED',
    message:
      'name the shopper: contactId, customer_id, email or phone (or an orderId or eventId whose shopper is known)',
  };
}

import type { FastifyInstance } from 'fastify';
import { attemptsOf } from '../../storage/message-attempts.js';
import Type from 'typebox';
import { newId } from '../../domain/ids.js';
import type { ContactRecord } from '../../domain/records.js';
import type { Store } from '../../domain/store.js';
import { AppError } from '../../errors.js';
import type { Content } from '../../messaging/compose.js';
import { sendMessage } from '../../messaging/send.js';
import { identityKeyOf } from '../../domain/identity.js';
import { findContactByIdentity, getContact } from '../../storage/contacts.js';
import type { Db } from '../../storage/database.js';
import { getMessage, listMessages, messageStats } from '../../storage/message-queries.js';
import { journeyCampaigns } from '../../journeys/message-campaigns.js';
import { storeOf } from '../auth.js';
import { presentMessage } from '../presenters/message.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const SendBody = Type.Object({
  to: Type.Object(
    {
      contactId: Type.Optional(Type.String({ minLength: 1 })),
      customer_id: Type.Optional(Type.String({ minLength: 1 })),
      email: Type.Optional(Type.String({ minLength: 1 })),
      phone: Type.Optional(Type.String({ minLength: 1 })),
      psid: Type.Optional(Type.String({ minLength: 1 })),
    },
    { description: 'The shopper, by one of their identifiers.' },
  ),
  channel: Type.Optional(Type.Union([Type.Literal('whatsapp'), Type.Literal('messenger')])),
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  orderId: Type.Optional(Type.String({ minLength: 1 })),
  eventId: Type.Optional(Type.String({ minLength: 1 })),
  text: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 4096,
      description: 'A free-form text (only within 24 h of the shopper writing).',
    }),
  ),
  interactive: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'A WhatsApp interactive object (buttons, list, product), within the 24-hour window.',
    }),
  ),
  campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  notBefore: Type.Optional(Type.String({ format: 'date-time' })),
});
type SendBody = Type.Static<typeof SendBody>;

const ListQuery = Type.Object({
  contact: Type.Optional(Type.String()),
  status: Type.Optional(
    Type.Union(['queued', 'sending', 'sent', 'delivered', 'read', 'failed'].map((s) => Type.Literal(s))),
  ),
  template: Type.Optional(Type.String()),
  campaign: Type.Optional(Type.String()),
  channel: Type.Optional(Type.Union(['whatsapp', 'messenger', 'sandbox'].map((c) => Type.Literal(c)))),
  journey: Type.Optional(Type.String({ minLength: 1, description: 'A journey id: the messages its steps sent.' })),
  after: Type.Optional(Type.String({ description: 'The `next` of the previous page.' })),
  before: Type.Optional(Type.String({ description: 'A message id: page to older messages (the same as after).' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'Messages per page: 1 to 500 (default 50).' })),
});

/** The shopper a send names, by contact id or by an identifier. */
export async function findRecipient(db: Db, store: Store, to: SendBody['to']): Promise<ContactRecord | null> {
  if (to.contactId) return getContact(db, store.id, to.contactId);
  const key = identityKeyOf(to, store.defaultCountry);
  return key?.value ? findContactByIdentity(db, store.id, { kind: key.kind, value: key.value }) : null;
}

/** Send a message, read the message log and its statistics (docs/messages.md). */
export function messageRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;

  app.post<{ Body: SendBody }>('/v1/messages', {
    schema: {
      summary: 'Send a template or a free-form message to a shopper',
      tags: ['messages'],
      security: bearerAuth,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: SendBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const store = storeOf(request);
      const body = request.body;
      const kinds = [body.template, body.text, body.interactive].filter((v) => v !== undefined).length;
      if (kinds !== 1)
        return sendError(reply, 'VALIDATION_FAILED', 'give exactly one of template, text or interactive', {
          path: 'body',
        });
      if (!Object.values(body.to).some(Boolean))
        return sendError(reply, 'VALIDATION_FAILED', 'to needs contactId, customer_id, email, phone or psid', {
          path: 'body/to',
        });
      const contact = await findRecipient(db, store, body.to);
      if (!contact) return sendError(reply, 'CONTACT_NOT_FOUND', 'no contact in this store matches "to"');
      const content: Content = body.template
        ? { template: body.template, params: body.params, orderId: body.orderId, eventId: body.eventId }
        : body.text
          ? { text: body.text }
          : { interactive: body.interactive! };
      const now = deps.clock.now();
      const key =
        (request.headers['idempotency-key'] as string | undefined) ?? body.idempotencyKey ?? newId('key', now);
      const sent = await sendMessage(
        deps.storage,
        {
          store,
          contact,
          channel: body.channel ?? (body.to.psid ? 'messenger' : 'whatsapp'),
          content,
          source: 'api',
          idempotencyKey: `api:${key}`,
          campaign: body.campaign ?? null,
          ...(body.notBefore ? { notBefore: Date.parse(body.notBefore) } : {}),
          publicUrl: deps.publicUrl,
          now,
        },
        deps.messaging.sendOptions,
      );
      if (!sent.ok) throw new AppError(sent.code, sent.message, sent.details);
      deps.messaging.queued(sent);
      return reply
        .code(sent.duplicate ? 200 : 202)
        .send({ ...presentMessage(sent.message), duplicate: sent.duplicate });
    },
  });

  app.get<{ Querystring: Type.Static<typeof ListQuery> }>('/v1/messages', {
    schema: {
      summary: 'The message log, newest first (filters: contact, status, template, campaign, channel, journey)',
      tags: ['messages'],
      security: bearerAuth,
      querystring: ListQuery,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const q = request.query;
      const store = storeOf(request);
      const limit = Math.min(Math.max(Number(q.limit ?? 50), 1), 500);
      // A journey's messages are those of its send steps' campaigns (and of the campaign asked for, if any).
      const campaigns = q.journey ? await journeyCampaigns(db, store.id, q.journey) : undefined;
      const messages = await listMessages(db, store.id, {
        contactId: q.contact,
        status: q.status as never,
        template: q.template,
        ...(campaigns
          ? { campaigns: q.campaign ? campaigns.filter((c) => c === q.campaign) : campaigns }
          : { campaign: q.campaign }),
        channel: q.channel,
        before: q.after ?? q.before,
        limit: limit + 1,
      });
      const page = messages.slice(0, limit);
      return {
        messages: page.map(presentMessage),
        // A message id: the next page is the messages older than it.
        next: messages.length > limit ? page[page.length - 1]!.id : null,
      };
    },
  });

  app.get<{ Params: { id: string } }>('/v1/messages/:id', {
    schema: {
      summary: 'One message with its status history',
      tags: ['messages'],
      security: bearerAuth,
      params: Type.Object({ id: Type.String() }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const message = await getMessage(db, storeOf(request).id, request.params.id);
      if (!message) return sendError(reply, 'MESSAGE_NOT_FOUND', `no message ${request.params.id} in this store`);
      // One message also shows what was (or will be) sent to the provider, and every attempt.
      const attemptLog = (await attemptsOf(db, message.id)).map((a) => ({
        attempt: a.attempt,
        worker: a.worker,
        startedAt: new Date(a.startedAt).toISOString(),
        endedAt: a.endedAt === null ? null : new Date(a.endedAt).toISOString(),
        outcome: a.outcome ?? 'in_flight',
        providerMessageId: a.providerMessageId,
        errorCode: a.errorCode,
      }));
      return { ...presentMessage(message), payload: message.payload, attemptLog };
    },
  });

  app.get<{ Querystring: { template?: string; campaign?: string; since?: string } }>('/v1/stats/messages', {
    schema: {
      summary:
        'Queued / sent / delivered / read / failed / replied counts and failure reasons of a template or campaign',
      tags: ['messages'],
      security: bearerAuth,
      querystring: Type.Object({
        template: Type.Optional(Type.String()),
        campaign: Type.Optional(Type.String()),
        since: Type.Optional(Type.String({ format: 'date-time' })),
      }),
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const { template, campaign, since } = request.query;
      if (!template && !campaign)
        return sendError(reply, 'VALIDATION_FAILED', 'give template or campaign', { path: 'querystring' });
      const stats = await messageStats(db, storeOf(request).id, {
        template,
        campaign,
        ...(since ? { since: Date.parse(since) } : {}),
      });
      return { ...(template ? { template } : {}), ...(campaign ? { campaign } : {}), ...stats };
    },
  });
}

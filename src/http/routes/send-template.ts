import type { FastifyInstance, FastifyReply } from 'fastify';
import Type from 'typebox';
import type { ChannelAccount } from '../../channels/channel.js';
import { normalizePhone } from '../../domain/phone.js';
import type { Store } from '../../domain/store.js';
import { checker } from '../../ingest/validate.js';
import type { ComposeError } from '../../messaging/compose.js';
import { sendMessage } from '../../messaging/send.js';
import { channelAccountsOfStore } from '../../storage/channel-accounts.js';
import { findContactByIdentity } from '../../storage/contacts.js';
import type { Db } from '../../storage/database.js';
import { storeOf } from '../auth.js';
import { bodyReadProblem, handleError } from '../error-handler.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

/** Seed 002's request: send a named template to a recipient of a page (or number). */
export const SendTemplateBody = Type.Object({
  request: Type.Object({
    method: Type.String({ description: '"send_template"' }),
    id: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Echoed back; a second request with the same id sends nothing.',
    }),
    page_id: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'The Messenger page id, WhatsApp phone number id, or "sandbox".',
    }),
    template_name: Type.String({ minLength: 1, maxLength: 512 }),
  }),
  recipient: Type.Object({ id: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Number()]) }),
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
const bodyChecker = checker(SendTemplateBody);

/** Seed 002's failure codes (docs/messages.md). */
export const SEND_TEMPLATE_ERRORS = {
  INVALID_REQUEST: { code: 10000, status: 400, message: 'Invalid request' },
  UNKNOWN_METHOD: { code: 10001, status: 400, message: 'Unknown method' },
  RECIPIENT_NOT_FOUND: { code: 10010, status: 404, message: 'Recipient not found' },
  PAGE_NOT_FOUND: { code: 10020, status: 404, message: 'Page not found' },
  TEMPLATE_NOT_FOUND: { code: 10030, status: 404, message: 'Template not found' },
  INVALID_PARAMS: { code: 10040, status: 400, message: 'Invalid params' },
  NOT_SUBSCRIBED: { code: 10050, status: 409, message: 'Recipient has not subscribed to marketing messages' },
  OUTSIDE_WINDOW: { code: 10060, status: 409, message: 'Outside the 24-hour messaging window' },
  FREQUENCY_CAP: { code: 10070, status: 409, message: 'Recipient reached the marketing frequency cap' },
} as const;
type Failure = keyof typeof SEND_TEMPLATE_ERRORS;

const FROM_COMPOSE: Partial<Record<ComposeError, Failure>> = {
  CHANNEL_NOT_CONFIGURED: 'PAGE_NOT_FOUND',
  RECIPIENT_UNREACHABLE: 'RECIPIENT_NOT_FOUND',
  TEMPLATE_NOT_FOUND: 'TEMPLATE_NOT_FOUND',
  MISSING_PARAMETER: 'INVALID_PARAMS',
  INVALID_PARAMETER: 'INVALID_PARAMS',
  VALIDATION_FAILED: 'INVALID_PARAMS',
  NO_CONSENT: 'NOT_SUBSCRIBED',
  OUTSIDE_WINDOW: 'OUTSIDE_WINDOW',
  FREQUENCY_CAP: 'FREQUENCY_CAP',
};

function fail(reply: FastifyReply, failure: Failure, requestId: unknown, detail?: string) {
  const { code, status, message } = SEND_TEMPLATE_ERRORS[failure];
  return reply.code(status).send({
    error: {
      code,
      error_subcode: 0,
      type: '',
      message: detail ? `${message}: ${detail}` : message,
      request_id: typeof requestId === 'string' ? requestId : null,
    },
  });
}

/** The store's account a page_id names: its Messenger page, its WhatsApp number, or its sandbox. */
async function accountForPage(db: Db, store: Store, pageId: string): Promise<ChannelAccount | null> {
  const accounts = await channelAccountsOfStore(db, store.id);
  return accounts.find((a) => a.externalId === pageId || (a.channel === 'sandbox' && pageId === 'sandbox')) ?? null;
}

/**
 * Seed 002: `POST /v1/messages/send-template` for the order receipt and the shipping status
 * update (and any other template of the store), answered `{request_id, recipient_id, message_id}`
 * once the message is queued, or with seed 002's error shape and numeric codes.
 */
export function sendTemplateRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post('/v1/messages/send-template', {
    schema: {
      summary: 'Send a template by page and recipient (seed 002)',
      tags: ['messages'],
      security: bearerAuth,
      body: SendTemplateBody,
    },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    // A body that is not JSON is answered in seed 002's shape too (10000), not the catalogue's:
    // a seed 002 client reads error.code as a number.
    errorHandler: (error, request, reply) => {
      const problem = bodyReadProblem(error);
      return problem ? fail(reply, 'INVALID_REQUEST', null, problem) : handleError(error, request, reply);
    },
    handler: async (request, reply) => {
      const store = storeOf(request);
      const raw = request.body as { request?: { id?: unknown } } | null;
      const requestId = raw?.request?.id;
      const problem = bodyChecker.check(request.body);
      if (problem) return fail(reply, 'INVALID_REQUEST', requestId, problem.message);
      const body = request.body as Type.Static<typeof SendTemplateBody>;
      if (body.request.method !== 'send_template') return fail(reply, 'UNKNOWN_METHOD', requestId, body.request.method);

      const account = await accountForPage(deps.storage.db, store, body.request.page_id);
      if (!account)
        return fail(reply, 'PAGE_NOT_FOUND', requestId, `${body.request.page_id} is not connected to this store`);
      const recipientId = String(body.recipient.id);
      const contact =
        account.channel === 'messenger'
          ? await findContactByIdentity(deps.storage.db, store.id, { kind: 'psid', value: recipientId })
          : await contactByPhone(deps.storage.db, store, recipientId);
      if (!contact) return fail(reply, 'RECIPIENT_NOT_FOUND', requestId);

      const now = deps.clock.now();
      const sent = await sendMessage(
        deps.storage,
        {
          store,
          contact,
          channel: account.channel === 'messenger' ? 'messenger' : 'whatsapp',
          account,
          content: { template: body.request.template_name, params: body.params ?? {} },
          source: 'send_template',
          idempotencyKey: `send_template:${body.request.id}`,
          publicUrl: deps.publicUrl,
          now,
        },
        deps.messaging.sendOptions,
      );
      if (!sent.ok) return fail(reply, FROM_COMPOSE[sent.code] ?? 'INVALID_REQUEST', requestId, sent.message);
      deps.messaging.queued(sent);
      return { request_id: body.request.id, recipient_id: recipientId, message_id: sent.message.id };
    },
  });
}

/** A WhatsApp recipient as seed 002 writes it: E.164, national, or wa_id digits. */
async function contactByPhone(db: Db, store: Store, recipientId: string) {
  const phone =
    normalizePhone(recipientId, store.defaultCountry) ?? normalizePhone(`+${recipientId}`, store.defaultCountry);
  return phone ? findContactByIdentity(db, store.id, { kind: 'phone', value: phone }) : null;
}

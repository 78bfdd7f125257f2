import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ParsedWebhook } from '../../channels/channel.js';
import { normalizePhone } from '../../domain/phone.js';
import { AppError } from '../../errors.js';
import { applyProviderWebhook } from '../../engine/provider-webhooks.js';
import { getChannelAccount } from '../../storage/channel-accounts.js';
import { getMessage } from '../../storage/message-queries.js';
import { storeOf } from '../auth.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const InboundBody = Type.Object({
  from: Type.String({ minLength: 1, description: "The shopper's phone number." }),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  replyTo: Type.Optional(
    Type.String({ minLength: 1, description: "Storewire's id of the message the shopper answers." }),
  ),
  button: Type.Optional(
    Type.Object(
      { id: Type.String({ minLength: 1 }), title: Type.String({ minLength: 1 }) },
      { description: 'A quick-reply button or list row the shopper tapped.' },
    ),
  ),
});

/**
 * The sandbox's shopper side: "the shopper writes back" or "taps a button", arriving exactly
 * like a WhatsApp webhook would (same events, same store webhooks, same journey waits), so the
 * whole loop can be tried offline.
 */
export function sandboxInboundRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: Type.Static<typeof InboundBody> }>('/v1/channels/sandbox/inbound', {
    schema: {
      summary: 'Pretend a shopper wrote to (or tapped a button of) the sandbox',
      tags: ['channels'],
      security: bearerAuth,
      body: InboundBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      const body = request.body;
      if (!body.text && !body.button) throw new AppError('VALIDATION_FAILED', 'give text or button', { path: 'body' });
      const account = await getChannelAccount(deps.storage.db, store.id, 'sandbox');
      if (!account)
        throw new AppError('CHANNEL_NOT_CONFIGURED', 'the store has no sandbox: PUT /v1/channels/sandbox first');
      const phone = normalizePhone(body.from, store.defaultCountry);
      if (!phone)
        throw new AppError('INVALID_PHONE', `"${body.from}" is not a phone number for ${store.defaultCountry}`, {
          path: 'from',
        });
      let answered: string | null = null;
      if (body.replyTo) {
        const message = await getMessage(deps.storage.db, store.id, body.replyTo);
        if (!message) throw new AppError('MESSAGE_NOT_FOUND', `no message "${body.replyTo}" in this store`);
        answered = message.providerMessageId;
      }
      const parsed: ParsedWebhook = {
        statuses: [],
        inbound: [
          {
            providerMessageId: `wamid.SANDBOXIN${randomBytes(12).toString('base64url')}`,
            accountExternalId: account.externalId,
            from: phone.replace(/^\+/, ''),
            profileName: null,
            at: deps.clock.now(),
            type: body.button ? 'interactive' : 'text',
            text: body.text ?? null,
            context: answered ? { messageId: answered, referredProduct: null } : null,
            reply: body.button ?? null,
            order: null,
            raw: body as Record<string, unknown>,
          },
        ],
        accountExternalIds: [account.externalId],
      };
      const result = await applyProviderWebhook(deps.storage.db, deps.engine, 'sandbox', parsed, [account]);
      await deps.messaging.confirmOptOuts(result);
      deps.messaging.wake();
      deps.wakeJourneys?.();
      return { received: result.applied };
    },
  });
}

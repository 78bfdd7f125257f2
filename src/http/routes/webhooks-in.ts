import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChannelAccount } from '../../channels/channel.js';
import type { ChannelName } from '../../domain/messages.js';
import { recordAccountErrors } from '../../messaging/account-errors.js';
import { applyProviderWebhook } from '../../messaging/provider-webhooks.js';
import { accountsByExternalId, allAccountsOfChannel, getChannelAccount } from '../../storage/channel-accounts.js';
import { findMessagesByProviderIds } from '../../storage/messages.js';
import { jsonHasNul } from '../json-nul.js';
import { sendError } from '../reply-error.js';
import type { RouteDeps } from '../route-deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as it arrived: provider signatures are over these bytes. */
    rawBody?: Buffer;
  }
}

const VerifyQuery = Type.Object({
  'hub.mode': Type.Optional(Type.String()),
  'hub.verify_token': Type.Optional(Type.String()),
  'hub.challenge': Type.Optional(Type.String()),
});

/**
 * Meta's webhooks: the subscription check (GET with hub.challenge) and deliveries (POST, signed
 * with X-Hub-Signature-256 over the raw bytes with the app secret of the account they are for).
 * A delivery for no account Storewire knows is answered 200 and ignored, so Meta does not
 * retry it for days; a wrong signature is refused with 401 and nothing is stored.
 */
export function webhookInRoutes(app: FastifyInstance, deps: RouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      if (jsonHasNul((body as Buffer).toString('utf8'))) {
        done(
          Object.assign(new Error('NUL characters (\\u0000) are not accepted'), {
            statusCode: 400,
            code: 'NUL_IN_BODY',
          }),
          undefined,
        );
        return;
      }
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch {
        const error = Object.assign(new SyntaxError('the body is not valid JSON'), { statusCode: 400 });
        done(error, undefined);
      }
    });
    for (const channel of ['whatsapp', 'messenger'] as const) {
      scope.get<{ Querystring: Record<string, string | undefined> }>(`/v1/webhooks/${channel}`, {
        schema: {
          summary: `Meta's subscription check for the ${channel} webhook`,
          tags: ['webhooks'],
          querystring: VerifyQuery,
        },
        handler: async (request, reply) => verify(deps, channel, request.query, reply),
      });
      scope.post(`/v1/webhooks/${channel}`, {
        schema: {
          summary: `${channel === 'whatsapp' ? 'WhatsApp Cloud API' : 'Messenger'} webhook: statuses and shopper messages`,
          tags: ['webhooks'],
        },
        handler: async (request, reply) => receive(deps, channel, request, reply),
      });
    }
  });
}

async function verify(
  deps: RouteDeps,
  channel: ChannelName,
  query: Record<string, string | undefined>,
  reply: FastifyReply,
) {
  const token = query['hub.verify_token'];
  const accounts = await allAccountsOfChannel(deps.storage.db, channel);
  if (query['hub.mode'] !== 'subscribe' || !token || !accounts.some((a) => a.secrets.verifyToken === token)) {
    return sendError(reply, 'UNAUTHORIZED', 'hub.verify_token matches no connected account');
  }
  return reply.type('text/plain').send(query['hub.challenge'] ?? '');
}

async function receive(deps: RouteDeps, channel: ChannelName, request: FastifyRequest, reply: FastifyReply) {
  let parsed;
  try {
    parsed = deps.messaging.channels[channel].parseWebhook(request.body);
  } catch (error) {
    return sendError(reply, 'VALIDATION_FAILED', `not a ${channel} webhook: ${(error as Error).message}`);
  }
  const accounts = await accountsFor(
    deps,
    channel,
    parsed.accountExternalIds,
    parsed.statuses.map((s) => s.providerMessageId),
  );
  const accountErrors = parsed.accountErrors ?? [];
  if (accounts.length === 0)
    return { received: 0, ignored: parsed.statuses.length + parsed.inbound.length + accountErrors.length };
  const signature = request.headers['x-hub-signature-256'] as string | undefined;
  const rawBody = request.rawBody ?? Buffer.alloc(0);
  const signed = accounts.filter((account) =>
    deps.messaging.channels[channel].verifySignature(account, rawBody, signature),
  );
  if (signed.length === 0) {
    return sendError(reply, 'UNAUTHORIZED', 'X-Hub-Signature-256 does not match the body signed with the app secret');
  }
  const result = await applyProviderWebhook(deps.storage.db, deps.engine, channel, parsed, accounts);
  // Only the accounts whose app secret signed this delivery have their errors recorded.
  const errors = await recordAccountErrors(deps.storage, channel, accountErrors, signed, deps.clock.now());
  for (const error of errors.recorded) deps.metrics.accountErrors.inc({ channel, code: error.code });
  deps.messaging.wake();
  return { received: result.applied + errors.recorded.length, ignored: result.ignored + errors.ignored };
}

/** The accounts a delivery is for: those it names, else those of the messages it reports on. */
async function accountsFor(
  deps: RouteDeps,
  channel: ChannelName,
  externalIds: string[],
  providerIds: string[],
): Promise<ChannelAccount[]> {
  const named = await accountsByExternalId(deps.storage.db, channel, externalIds);
  if (named.length > 0 || providerIds.length === 0) return named;
  const messages = await findMessagesByProviderIds(deps.storage.db, channel, providerIds);
  const accounts: ChannelAccount[] = [];
  for (const storeId of new Set([...messages.values()].map((m) => m.storeId))) {
    const account = await getChannelAccount(deps.storage.db, storeId, channel);
    if (account) accounts.push(account);
  }
  return accounts;
}

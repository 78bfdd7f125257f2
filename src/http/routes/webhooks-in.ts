import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ParsedWebhook } from '../../channels/channel.js';
import type { ChannelName } from '../../domain/messages.js';
import { recordAccountErrors } from '../../messaging/account-errors.js';
import { applyProviderWebhook } from '../../engine/provider-webhooks.js';
import { allAccountsOfChannel } from '../../storage/channel-accounts.js';
import { readJsonText } from '../json-nul.js';
import { webhookSigners } from '../meta-webhook-signers.js';
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
 * Each entry goes to the one store holding its number or page, and only when that account's
 * app secret signed the delivery (meta-webhook-signers.ts). A signed delivery for no account
 * Storewire knows is answered 200 and ignored, so Meta does not retry it for days; one without
 * a valid signature is refused with 401 and nothing is stored.
 */
export function webhookInRoutes(app: FastifyInstance, deps: RouteDeps): void {
  void app.register(async (scope) => {
    // The body is read as bytes and parsed in the handler, after the signature is checked:
    // an unsigned delivery is a 401 whatever it holds, even when it is not JSON.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, body);
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

/** The delivery as a webhook of the channel, or why it is not one. */
type Problem = { problem: string; code: 'INVALID_JSON' | 'VALIDATION_FAILED' };

function readDelivery(deps: RouteDeps, channel: ChannelName, raw: Buffer): ParsedWebhook | Problem {
  const text = raw.toString('utf8');
  const read = readJsonText(text);
  if (!read.ok) return { code: read.code, problem: read.message };
  const body = read.value;
  try {
    return deps.messaging.channels[channel].parseWebhook(body);
  } catch (error) {
    return { code: 'VALIDATION_FAILED', problem: `not a ${channel} webhook: ${(error as Error).message}` };
  }
}

async function receive(deps: RouteDeps, channel: ChannelName, request: FastifyRequest, reply: FastifyReply) {
  const rawBody = request.rawBody ?? Buffer.alloc(0);
  const header = request.headers['x-hub-signature-256'];
  const signature = Array.isArray(header) ? header[0] : header;
  const read = readDelivery(deps, channel, rawBody);
  const parsed = 'problem' in read ? null : read;
  const signers = await webhookSigners(deps, channel, parsed, rawBody, signature);
  if (signers.kind === 'refused') {
    return sendError(
      reply,
      'UNAUTHORIZED',
      'X-Hub-Signature-256 is missing, or does not match the body signed with the app secret of the account it names',
    );
  }
  if ('problem' in read) return sendError(reply, read.code, read.problem);
  if (signers.kind === 'unnamed') return { received: 0, ignored: itemCount(read) };
  const result = await applyProviderWebhook(deps.storage.db, deps.engine, channel, read, signers.accounts);
  await deps.messaging.confirmOptOuts(result);
  // Only the accounts whose app secret signed this delivery have their errors recorded.
  const errors = await recordAccountErrors(
    deps.storage,
    channel,
    read.accountErrors ?? [],
    signers.accounts,
    deps.clock.now(),
  );
  for (const error of errors.recorded) deps.metrics.accountErrors.inc({ channel, code: error.code });
  deps.messaging.wake();
  return { received: result.applied + errors.recorded.length, ignored: result.ignored + errors.ignored };
}

const itemCount = (parsed: ParsedWebhook) =>
  parsed.statuses.length +
  parsed.inbound.length +
  (parsed.preferences?.length ?? 0) +
  (parsed.readUpTo?.length ?? 0) +
  (parsed.accountErrors?.length ?? 0);

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ChannelAccount } from '../../channels/channel.js';
import { sandboxAccount } from '../../channels/sandbox/account.js';
import { connectChannelAccount } from '../../messaging/connect-account.js';
import { channelAccountsOfStore, deleteChannelAccount } from '../../storage/channel-accounts.js';
import { latestChannelErrors, type ChannelErrorRecord } from '../../storage/channel-errors.js';
import { storeOf } from '../auth.js';
import { sendError } from '../reply-error.js';
import { bearerAuth, type RouteDeps } from '../route-deps.js';

const Url = Type.String({ pattern: '^https?://', maxLength: 2048 });
const Secret = Type.String({ minLength: 1, maxLength: 4096 });

const WhatsAppBody = Type.Object({
  phoneNumberId: Type.String({ minLength: 1, maxLength: 64 }),
  accessToken: Secret,
  appSecret: Secret,
  verifyToken: Secret,
  apiBaseUrl: Type.Optional(Url),
  graphVersion: Type.Optional(Type.String({ pattern: '^v\\d+\\.\\d+$' })),
  wabaId: Type.Optional(Type.String({ maxLength: 64 })),
  throughputPerSecond: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1000,
      description: 'Messages per second this number may send (80 by default, up to 1,000).',
    }),
  ),
});

const MessengerBody = Type.Object({
  pageId: Type.String({ minLength: 1, maxLength: 64 }),
  pageAccessToken: Secret,
  appSecret: Secret,
  verifyToken: Secret,
  apiBaseUrl: Type.Optional(Url),
  graphVersion: Type.Optional(Type.String({ pattern: '^v\\d+\\.\\d+$' })),
});

const ChannelParams = Type.Object({
  channel: Type.Union([Type.Literal('whatsapp'), Type.Literal('messenger'), Type.Literal('sandbox')]),
});

/** How many of an account's latest provider errors GET /v1/channels shows. */
const ERRORS_SHOWN = 5;

/** An account as the API shows it: everything but the secrets, with the provider's latest errors about it. */
export function presentAccount(account: ChannelAccount, errors: ChannelErrorRecord[] = []) {
  const idName =
    account.channel === 'messenger' ? 'pageId' : account.channel === 'whatsapp' ? 'phoneNumberId' : 'accountId';
  return {
    channel: account.channel,
    [idName]: account.externalId,
    ...account.config,
    status: account.status,
    statusReason: account.statusReason,
    webhookUrl: account.channel === 'sandbox' ? null : `/v1/webhooks/${account.channel}`,
    recentErrors: errors.map((e) => ({
      code: e.code,
      title: e.title,
      detail: e.detail,
      href: e.href,
      at: new Date(e.receivedAt).toISOString(),
    })),
  };
}

/** Connecting a WhatsApp number, a Messenger page, or the offline sandbox to the store (docs/channels.md). */
export function channelRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const save = async (account: ChannelAccount) => {
    await connectChannelAccount(deps.storage.db, account, deps.clock.now());
    deps.messaging.wake();
    return presentAccount(account, await latestChannelErrors(deps.storage.db, account, ERRORS_SHOWN));
  };

  app.put<{ Body: Type.Static<typeof WhatsAppBody> }>('/v1/channels/whatsapp', {
    schema: {
      summary: 'Connect a WhatsApp Cloud API number (secrets are never returned)',
      tags: ['channels'],
      security: bearerAuth,
      body: WhatsAppBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const b = request.body;
      return save({
        storeId: storeOf(request).id,
        channel: 'whatsapp',
        externalId: b.phoneNumberId,
        config: {
          apiBaseUrl: b.apiBaseUrl,
          graphVersion: b.graphVersion,
          wabaId: b.wabaId,
          throughputPerSecond: b.throughputPerSecond,
        },
        secrets: { accessToken: b.accessToken, appSecret: b.appSecret, verifyToken: b.verifyToken },
        status: 'active',
        statusReason: null,
      });
    },
  });

  app.put<{ Body: Type.Static<typeof MessengerBody> }>('/v1/channels/messenger', {
    schema: {
      summary: 'Connect a Messenger page (secrets are never returned)',
      tags: ['channels'],
      security: bearerAuth,
      body: MessengerBody,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const b = request.body;
      return save({
        storeId: storeOf(request).id,
        channel: 'messenger',
        externalId: b.pageId,
        config: { apiBaseUrl: b.apiBaseUrl, graphVersion: b.graphVersion },
        secrets: { accessToken: b.pageAccessToken, appSecret: b.appSecret, verifyToken: b.verifyToken },
        status: 'active',
        statusReason: null,
      });
    },
  });

  app.put('/v1/channels/sandbox', {
    schema: {
      summary: 'Use the offline sandbox as the WhatsApp sender (every store starts with it; this reactivates it)',
      tags: ['channels'],
      security: bearerAuth,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => save(sandboxAccount(storeOf(request).id)),
  });

  app.delete<{ Params: Type.Static<typeof ChannelParams> }>('/v1/channels/:channel', {
    schema: {
      summary:
        "Disconnect the store's account for a channel: its number or page is free for another store, its webhooks are no longer taken",
      tags: ['channels'],
      security: bearerAuth,
      params: ChannelParams,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request, reply) => {
      const { channel } = request.params;
      if (!(await deleteChannelAccount(deps.storage.db, storeOf(request).id, channel)))
        return sendError(reply, 'CHANNEL_NOT_FOUND', `the store has no ${channel} account`);
      deps.messaging.wake();
      return reply.code(204).send();
    },
  });

  app.get('/v1/channels', {
    schema: { summary: "The store's connected channels", tags: ['channels'], security: bearerAuth },
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const accounts = await channelAccountsOfStore(deps.storage.db, storeOf(request).id);
      const errors = await Promise.all(accounts.map((a) => latestChannelErrors(deps.storage.db, a, ERRORS_SHOWN)));
      return { channels: accounts.map((account, i) => presentAccount(account, errors[i])) };
    },
  });
}

import type { ChannelAccount } from '../../../src/channels/channel.js';
import type { FakeMessenger } from './messenger-server.js';
import type { FakeWhatsApp } from './whatsapp-server.js';
import { FIXTURE_PHONE_NUMBER_ID } from './whatsapp-webhooks.js';

/** A WhatsApp sender pointed at the fake, with the fake's token and app secret. */
export function whatsappAccountFor(fake: FakeWhatsApp, overrides: Partial<ChannelAccount> = {}): ChannelAccount {
  return {
    storeId: 'store-test',
    channel: 'whatsapp',
    externalId: FIXTURE_PHONE_NUMBER_ID,
    config: { apiBaseUrl: fake.url },
    secrets: { accessToken: fake.accessToken, appSecret: fake.appSecret, verifyToken: 'verify-me' },
    status: 'active',
    statusReason: null,
    ...overrides,
  };
}

/** A Messenger page pointed at the fake, with the fake's page token and app secret. */
export function messengerAccountFor(fake: FakeMessenger, overrides: Partial<ChannelAccount> = {}): ChannelAccount {
  return {
    storeId: 'store-test',
    channel: 'messenger',
    externalId: fake.pageId,
    config: { apiBaseUrl: fake.url },
    secrets: { accessToken: fake.accessToken, appSecret: fake.appSecret, verifyToken: 'verify-me' },
    status: 'active',
    statusReason: null,
    ...overrides,
  };
}

import type { ChannelAccount } from '../channel.js';

/** A store's sandbox sender. Its id carries the store's, so status reports find their store. */
export function sandboxAccount(storeId: string): ChannelAccount {
  return {
    storeId,
    channel: 'sandbox',
    externalId: `sandbox:${storeId}`,
    config: {},
    secrets: {},
    status: 'active',
    statusReason: null,
  };
}

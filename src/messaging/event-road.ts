import type { ChannelAccount, ParsedWebhook } from '../channels/channel.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import type { Store } from '../domain/store.js';
import type { StoreEvent } from '../domain/store-event.js';

export interface WebhookResult {
  /** Items applied, by the store they belong to. */
  applied: number;
  /** Items for no store Storewire knows (a number or page not connected, or a message not sent by Storewire). */
  ignored: number;
  /** Shopper messages that were opt-outs (a keyword or button), newly stored: each may be confirmed. */
  optOuts: { store: Store; event: StoreEvent; contactId: string }[];
}

/**
 * What messaging hands back to the one road of events (ingest -> engine.apply). Messaging
 * does not import the engine (the engine uses messaging's rules, not the other way round):
 * the composition root gives it this, built by engine/provider-webhooks.ts.
 */
export interface EventRoad {
  /** A provider webhook's items (or the sandbox's due reports), each applied to its store. */
  providerWebhook(channel: ChannelName, parsed: ParsedWebhook, accounts: ChannelAccount[]): Promise<WebhookResult>;
  /**
   * Meta refused a marketing send with 131050: the shopper's consent is withdrawn, as the
   * webhook saying so would. False when the message's store is gone.
   */
  marketingRefused(message: MessageRecord, at: number): Promise<boolean>;
}

import type { ChannelAccount, ParsedWebhook } from '../channels/channel.js';
import type { ChannelName, MessageRecord } from '../domain/messages.js';
import type { Store } from '../domain/store.js';
import type { StoreEvent } from '../domain/store-event.js';
import { inboundEvent, marketingRefusedEvent, preferenceEvent, statusEvent } from '../ingest/provider-webhook.js';
import type { EventRoad, WebhookResult } from '../messaging/event-road.js';
import type { Db } from '../storage/database.js';
import { findMessagesByProviderIds, messagesSentTo } from '../storage/messages.js';
import { findStoreById } from '../storage/stores.js';
import type { Engine } from './engine.js';

/**
 * Applies a provider webhook: each status goes to the store of the message it reports on,
 * each shopper message to the store of the account it was sent to; all through engine.apply,
 * the same road as every event.
 */
export async function applyProviderWebhook(
  db: Db,
  engine: Engine,
  channel: ChannelName,
  parsed: ParsedWebhook,
  accounts: ChannelAccount[],
): Promise<WebhookResult> {
  const storeOfAccount = new Map(accounts.map((a) => [a.externalId, a.storeId]));
  const sent = await findMessagesByProviderIds(
    db,
    channel,
    parsed.statuses.map((s) => s.providerMessageId),
  );
  const byStore = new Map<string, StoreEvent[]>();
  const add = (storeId: string, event: StoreEvent) => byStore.set(storeId, [...(byStore.get(storeId) ?? []), event]);
  const stores = new Map<string, Store | null>();
  const storeFor = async (id: string) => {
    if (!stores.has(id)) stores.set(id, await findStoreById(db, id));
    return stores.get(id) ?? null;
  };

  let ignored = 0;
  // A webhook speaks for the accounts that signed it: a status naming another store's message
  // (or another number's) is not theirs to move.
  const verifiedStores = new Set(accounts.map((a) => a.storeId));
  const belongs = (message: { storeId: string; sender: string }, accountExternalId: string | null) =>
    verifiedStores.has(message.storeId) && (!accountExternalId || message.sender === accountExternalId);
  // A read watermark reads every message sent to that shopper up to its time.
  for (const mark of parsed.readUpTo ?? []) {
    const storeId = storeOfAccount.get(mark.accountExternalId);
    if (!storeId) {
      ignored += 1;
      continue;
    }
    for (const message of await messagesSentTo(db, storeId, channel, mark.recipientId, mark.at)) {
      add(
        storeId,
        statusEvent(channel, {
          providerMessageId: message.providerMessageId!,
          status: 'read',
          at: mark.at,
          recipientId: mark.recipientId,
          errors: [],
          accountExternalId: mark.accountExternalId,
        }),
      );
    }
  }
  for (const status of parsed.statuses) {
    // A status may come before its message's provider id is stored; the account tells its store.
    const message = sent.get(status.providerMessageId);
    const storeId = message
      ? belongs(message, status.accountExternalId)
        ? message.storeId
        : undefined
      : status.accountExternalId
        ? storeOfAccount.get(status.accountExternalId)
        : undefined;
    if (storeId) add(storeId, statusEvent(channel, status));
    else ignored += 1;
  }
  const contextOf = (store: Store) => ({
    storeId: store.id,
    defaultCountry: store.defaultCountry,
    timeZone: store.timeZone,
  });
  for (const message of parsed.inbound) {
    const storeId = storeOfAccount.get(message.accountExternalId);
    const store = storeId ? await storeFor(storeId) : null;
    // The store's keywords make a STOP (or START) a consent change as well as a message.
    const event = store ? inboundEvent(channel, message, contextOf(store), store.settings) : null;
    if (event) add(store!.id, event);
    else ignored += 1;
  }
  for (const pref of parsed.preferences ?? []) {
    const storeId = storeOfAccount.get(pref.accountExternalId);
    const store = storeId ? await storeFor(storeId) : null;
    const event = store ? preferenceEvent(channel, pref, contextOf(store)) : null;
    if (event) add(store!.id, event);
    else ignored += 1;
  }

  let applied = 0;
  const optOuts: WebhookResult['optOuts'] = [];
  for (const [storeId, events] of byStore) {
    const store = await storeFor(storeId);
    if (!store) continue;
    const outcomes = await engine.apply(store, events);
    applied += events.length;
    events.forEach((event, i) => {
      const outcome = outcomes[i];
      const optOut = event.inbound && event.consent?.whatsappStatus === 'INACTIVE';
      if (optOut && outcome?.status === 'accepted' && outcome.contactId)
        optOuts.push({ store, event, contactId: outcome.contactId });
    });
  }
  return { applied, ignored, optOuts };
}

/** The road messaging hands events back on (the composition root gives it to Messaging). */
export function providerEventRoad(db: Db, engine: Engine): EventRoad {
  return {
    providerWebhook: (channel, parsed, accounts) => applyProviderWebhook(db, engine, channel, parsed, accounts),
    async marketingRefused(message: MessageRecord, at: number) {
      const store = await findStoreById(db, message.storeId);
      if (!store) return false;
      await engine.apply(store, [marketingRefusedEvent(message, at)]);
      return true;
    },
  };
}

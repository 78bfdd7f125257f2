import type { AccountError, ChannelAccount } from '../channels/channel.js';
import { newId } from '../domain/ids.js';
import type { ChannelName } from '../domain/messages.js';
import { insertChannelErrors, type ChannelErrorRecord } from '../storage/channel-errors.js';
import type { Storage } from '../storage/database.js';
import { enqueueWebhookDeliveries } from '../webhooks-out/enqueue.js';
import { webhookEvent } from '../webhooks-out/event-types.js';

/**
 * Errors Meta reports about an account rather than a message (WhatsApp's `value.errors`: a
 * system error, the whole number rate-limited): recorded for GET /v1/channels, and told to the
 * store as `channel.error` webhooks in the same transaction. Only errors of the accounts the
 * webhook was verified for are taken; the others are returned as ignored.
 */
export async function recordAccountErrors(
  storage: Storage,
  channel: ChannelName,
  errors: AccountError[],
  accounts: ChannelAccount[],
  now: number,
): Promise<{ recorded: ChannelErrorRecord[]; ignored: number }> {
  const byStore = new Map<string, ChannelErrorRecord[]>();
  let ignored = 0;
  for (const error of errors) {
    const account = accounts.find((a) => a.channel === channel && a.externalId === error.accountExternalId);
    if (!account) {
      ignored += 1;
      continue;
    }
    const record: ChannelErrorRecord = {
      id: newId('che', now),
      storeId: account.storeId,
      channel,
      externalId: account.externalId,
      code: error.code,
      title: error.title,
      detail: error.detail ?? null,
      href: error.href ?? null,
      receivedAt: now,
    };
    byStore.set(account.storeId, [...(byStore.get(account.storeId) ?? []), record]);
  }
  for (const [storeId, records] of byStore) {
    await storage.transaction(async (trx) => {
      await storage.lockStore(trx, storeId);
      await insertChannelErrors(trx, records);
      await enqueueWebhookDeliveries(trx, storeId, records.map(channelErrorEvent), now);
    });
  }
  return { recorded: [...byStore.values()].flat(), ignored };
}

const channelErrorEvent = (r: ChannelErrorRecord) =>
  webhookEvent('channel.error', {
    channel: r.channel === 'messenger' ? 'messenger' : 'whatsapp',
    accountId: r.externalId,
    code: r.code,
    title: r.title,
    detail: r.detail,
    href: r.href,
    at: new Date(r.receivedAt).toISOString(),
  });

import type { MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import { countMarketingSince, findMessagesByKeys } from '../storage/messages.js';
import { composeMessage, type ComposeError, type ComposeInput } from './compose.js';
import { newMessage } from './outbox.js';
import { insertMessages } from '../storage/messages.js';

export type SendResult =
  | { ok: true; message: MessageRecord; duplicate: boolean }
  | { ok: false; code: ComposeError; message: string; details?: Record<string, unknown> };

/**
 * Queues one message, exactly once per idempotency key:
 * 1. a key the store used before answers with that message, whatever the rules say now (a
 *    client retrying a request that succeeded must not be told it failed);
 * 2. otherwise the message is composed and its rules checked;
 * 3. it is written under the store's lock, where the marketing frequency cap is counted again,
 *    so requests racing for the last slot cannot all take it.
 */
export async function sendMessage(storage: Storage, input: ComposeInput): Promise<SendResult> {
  const earlier = (await findMessagesByKeys(storage.db, input.store.id, [input.idempotencyKey])).get(input.idempotencyKey);
  if (earlier) return { ok: true, message: earlier, duplicate: true };

  const composed = await composeMessage(storage.db, input);
  if (!composed.ok) return composed;
  const record = newMessage(composed.message, input.now);
  const cap = input.store.settings.marketingFrequencyCap;

  return storage.transaction(async (trx): Promise<SendResult> => {
    await storage.lockStores(trx, [record.storeId]);
    if (record.category === 'marketing' && record.contactId) {
      const recent = (await countMarketingSince(trx, record.storeId, [record.contactId], input.now - cap.hours * 3_600_000, true)).get(record.contactId) ?? 0;
      if (recent >= cap.max) {
        const again = (await findMessagesByKeys(trx, record.storeId, [record.idempotencyKey])).get(record.idempotencyKey);
        if (again) return { ok: true, message: again, duplicate: true };
        return { ok: false, code: 'FREQUENCY_CAP', message: `the shopper already has ${recent} marketing messages in ${cap.hours} h (cap ${cap.max})` };
      }
    }
    const { inserted, existing } = await insertMessages(trx, [record]);
    return inserted.length > 0 ? { ok: true, message: inserted[0]!, duplicate: false } : { ok: true, message: existing[0]!, duplicate: true };
  });
}

import type { ChannelAccount } from '../channels/channel.js';
import type { MessageRecord } from '../domain/messages.js';
import { capReached, capWindowStart, type FrequencyCap } from '../domain/frequency-cap.js';
import type { Db, Storage } from '../storage/database.js';
import { countMarketingSince, findMessagesByKeys, insertMessages } from '../storage/messages.js';
import { Batcher, type BatcherReport } from '../work/batcher.js';
import type { SendResult } from './send-result.js';

/** One composed message to write to the outbox, with what its write checks again. */
export interface QueuedWrite {
  record: MessageRecord;
  account: ChannelAccount;
  cap: FrequencyCap;
  now: number;
}

/** Writes queued alone share a transaction at most this many at a time. */
const MAX_WRITES_PER_TRANSACTION = 500;

/**
 * Writes one message in the caller's transaction, which holds its store's lock: the marketing
 * frequency cap is counted again there (messages written earlier in the same transaction
 * count), so requests racing for the last slot cannot all take it.
 */
async function writeQueued(trx: Db, { record, account, cap, now }: QueuedWrite): Promise<SendResult> {
  if (record.category === 'marketing' && record.contactId) {
    const recent =
      (await countMarketingSince(trx, record.storeId, [record.contactId], capWindowStart(cap, now), true)).get(
        record.contactId,
      ) ?? 0;
    if (capReached(cap, recent)) {
      const again = (await findMessagesByKeys(trx, record.storeId, [record.idempotencyKey])).get(record.idempotencyKey);
      if (again) return { ok: true, message: again, duplicate: true };
      return {
        ok: false,
        code: 'FREQUENCY_CAP',
        message: `the shopper already has ${recent} marketing messages in ${cap.hours} h (cap ${cap.max})`,
      };
    }
  }
  const { inserted, existing } = await insertMessages(trx, [record]);
  return inserted.length > 0
    ? { ok: true, message: inserted[0]!, duplicate: false, account }
    : { ok: true, message: existing[0]!, duplicate: true };
}

/** Writes one message in a transaction of its own. */
export function writeAlone(storage: Storage, write: QueuedWrite): Promise<SendResult> {
  return storage.transaction(async (trx) => {
    await storage.lockStores(trx, [write.record.storeId]);
    return writeQueued(trx, write);
  });
}

/**
 * Group commit for messages queued one request at a time (send-template, POST /v1/messages;
 * work/batcher.ts): the writes that arrive while a transaction is being written share the next
 * one. A commit is an fsync (on SQLite it holds the event loop meanwhile); one per request put
 * bursts of 500 requests/s behind each other for tens of ms. Each request is answered after the
 * commit that holds its message. If a shared transaction fails, each of its writes is tried
 * alone, so one bad write cannot fail the others.
 */
export class QueueWriter {
  private readonly batcher: Batcher<QueuedWrite, SendResult>;

  /** Its batcher's figures (for /metrics). */
  batcherReport(): BatcherReport {
    return this.batcher.report();
  }

  constructor(storage: Storage) {
    this.batcher = new Batcher({
      name: 'queued messages',
      commit: (writes) =>
        storage.transaction(async (trx) => {
          await storage.lockStores(
            trx,
            writes.map((w) => w.record.storeId),
          );
          const out: SendResult[] = [];
          for (const write of writes) out.push(await writeQueued(trx, write));
          return out;
        }),
      failure: 'each-alone',
      commitOne: (write) => writeAlone(storage, write),
      maxBatch: MAX_WRITES_PER_TRANSACTION,
    });
  }

  write(write: QueuedWrite): Promise<SendResult> {
    return this.batcher.submit(write);
  }
}

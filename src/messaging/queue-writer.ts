import type { ChannelAccount } from '../channels/channel.js';
import type { MessageRecord } from '../domain/messages.js';
import { capReached, capWindowStart, type FrequencyCap } from '../domain/frequency-cap.js';
import type { Db, Storage } from '../storage/database.js';
import { countMarketingSince, findMessagesByKeys, insertMessages } from '../storage/messages.js';
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

interface Pending {
  write: QueuedWrite;
  resolve(result: SendResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for messages queued one request at a time (send-template, POST /v1/messages):
 * the writes that arrive while a transaction is being written share the next one. A commit is
 * an fsync (on SQLite it holds the event loop meanwhile); one per request put bursts of 500
 * requests/s behind each other for tens of ms. Each request is answered after the commit that
 * holds its message. If a shared transaction fails, each of its writes is tried alone, so one
 * bad write cannot fail the others.
 */
export class QueueWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  write(write: QueuedWrite): Promise<SendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // setImmediate runs after the poll phase, so every request read in this turn joins.
      setImmediate(() => {
        this.scheduled = false;
        this.running = this.running.then(() => this.flush());
      });
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_WRITES_PER_TRANSACTION);
      if (batch.length === 1) {
        await writeAlone(this.storage, batch[0]!.write).then(batch[0]!.resolve, batch[0]!.reject);
        continue;
      }
      try {
        const results = await this.storage.transaction(async (trx) => {
          await this.storage.lockStores(
            trx,
            batch.map((p) => p.write.record.storeId),
          );
          const out: SendResult[] = [];
          for (const pending of batch) out.push(await writeQueued(trx, pending.write));
          return out;
        });
        batch.forEach((pending, i) => pending.resolve(results[i]!));
      } catch {
        for (const pending of batch)
          await writeAlone(this.storage, pending.write).then(pending.resolve, pending.reject);
      }
    }
  }
}

import type { MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import { findMessagesByKeys } from '../storage/messages.js';
import { composeMessage, type ComposeInput } from './compose.js';
import { markSending } from './message-state.js';
import { newMessage } from './outbox.js';
import { writeAlone, type QueueWriter } from './queue-writer.js';
import type { SendResult } from './send-result.js';

export type { SendResult } from './send-result.js';

/**
 * Claims a message as it is written (Messaging.claimAsWritten): the lease it is written
 * "sending" with and the worker claiming it, or null to queue it for the dispatcher's next claim.
 */
export type ClaimAsWritten = (message: MessageRecord) => { until: number; by: string | null } | null;

export interface SendOptions {
  /** Lets this process's dispatcher claim a message due now as it is written (then Messaging.queued sends it). */
  claim?: ClaimAsWritten;
  /** Shares the write's transaction with others queued at the same moment (group commit). */
  writer?: QueueWriter;
}

/**
 * Queues one message, exactly once per idempotency key:
 * 1. a key the store used before answers with that message, whatever the rules say now (a
 *    client retrying a request that succeeded must not be told it failed);
 * 2. otherwise the message is composed and its rules checked;
 * 3. it is written under the store's lock, where the marketing frequency cap is counted again,
 *    so requests racing for the last slot cannot all take it (queue-writer.ts).
 */
export async function sendMessage(
  storage: Storage,
  input: ComposeInput,
  options: SendOptions = {},
): Promise<SendResult> {
  const earlier = (await findMessagesByKeys(storage.db, input.store.id, [input.idempotencyKey])).get(
    input.idempotencyKey,
  );
  if (earlier) return { ok: true, message: earlier, duplicate: true };

  const composed = await composeMessage(storage.db, input);
  if (!composed.ok) return composed;
  const queued = newMessage(composed.message, input.now);
  const lease = options.claim?.(queued) ?? null;
  const write = {
    record: lease === null ? queued : markSending(queued, lease.until, input.now, lease.by),
    account: composed.account,
    cap: input.store.settings.marketingFrequencyCap,
    now: input.now,
  };
  return options.writer ? options.writer.write(write) : writeAlone(storage, write);
}

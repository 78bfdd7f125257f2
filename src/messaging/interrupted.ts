import type { MessageRecord } from '../domain/messages.js';
import type { Storage } from '../storage/database.js';
import { findInterruptedMessages } from '../storage/message-claims.js';
import { findMessagesByIds, saveMessages } from '../storage/messages.js';
import { endAttempts, type AttemptEnd } from '../storage/message-attempts.js';
import type { WorkScope } from '../storage/work-scope.js';
import type { Liveness } from '../storage/workers.js';
import { enqueueWebhookDeliveries } from '../webhooks-out/enqueue.js';
import { markFailed, markRetry } from './message-state.js';
import { messageStatusPayload } from './status-payload.js';

/**
 * A message still "sending" after its lease ran out was being sent when its dispatcher stopped:
 * whether the provider got it is unknown. The rule (docs/messages.md):
 * - marketing is not sent again — it fails with SEND_INTERRUPTED (a duplicate promotion is
 *   worse than a missing one);
 * - utility, authentication and service messages (receipts, shipping updates, replies) are sent
 *   again — a receipt twice is better than none.
 */
export async function recoverInterrupted(
  storage: Storage,
  now: number,
  scope?: WorkScope,
  liveness?: Liveness,
): Promise<number> {
  const stuck = await findInterruptedMessages(storage.db, now, 500, scope, liveness);
  if (stuck.length === 0) return 0;
  return storage.transaction(async (trx) => {
    const storeIds = [...new Set(stuck.map((m) => m.storeId))].sort();
    await storage.lockStores(trx, storeIds);
    const fresh = await findMessagesByIds(
      trx,
      stuck.map((m) => m.id),
    );
    const found = new Map(stuck.map((m) => [m.id, m]));
    const changed: MessageRecord[] = [];
    const unknown: AttemptEnd[] = [];
    for (const message of fresh.values()) {
      // Still the attempt that was found interrupted (no one recorded or reclaimed it meanwhile).
      const was = found.get(message.id);
      if (message.status !== 'sending' || message.leaseUntil !== was?.leaseUntil || message.claimedBy !== was.claimedBy)
        continue;
      unknown.push({ messageId: message.id, attempt: message.attempts, outcome: 'unknown', at: now });
      // Whatever happens next, this attempt may have reached the shopper.
      message.unknownAttempts = (message.unknownAttempts ?? 0) + 1;
      if (message.category === 'marketing') {
        const failed = markFailed(
          message,
          'SEND_INTERRUPTED',
          'the send was in flight when the dispatcher stopped; marketing messages are not sent twice',
          now,
        );
        changed.push(failed);
        await enqueueWebhookDeliveries(
          trx,
          message.storeId,
          [{ type: 'message.status', payload: messageStatusPayload(failed, now) }],
          now,
        );
      } else {
        changed.push(
          markRetry(
            message,
            now,
            'SEND_INTERRUPTED',
            'the send was in flight when the dispatcher stopped; sent again',
            now,
          ),
        );
      }
    }
    if (changed.length > 0) await saveMessages(trx, changed);
    await endAttempts(trx, unknown);
    return changed.length;
  });
}

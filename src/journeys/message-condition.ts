import type { MessageRecord } from '../domain/messages.js';
import type { Db } from '../storage/database.js';
import { latestStepMessageId, messageOutcome, replyEventData } from '../storage/journey-facts.js';
import type { JourneyRun, StepLogEntry } from '../storage/journeys.js';
import type { MessageCondition } from './definition.js';

/**
 * What became of the message the run's send step `c.message` sent (its latest execution). `turn`
 * is the run's turn so far: its step log and messages are not written yet, and they are the latest.
 */
export async function messageIs(
  db: Db,
  c: MessageCondition,
  run: JourneyRun,
  turn: { log: StepLogEntry[]; messages: MessageRecord[] },
): Promise<boolean> {
  const mine = [...turn.log].reverse().find((e) => e.stepId === c.message);
  const messageId = mine ? mine.messageId : await latestStepMessageId(db, run.id, c.message);
  if (!messageId) return c.is === 'not_sent';
  const planned = turn.messages.find((m) => m.id === messageId);
  const message = planned
    ? { status: planned.status, replied_at: planned.repliedAt, provider_message_id: planned.providerMessageId }
    : await messageOutcome(db, messageId);
  if (!message) return c.is === 'not_sent';
  const rank: Record<string, number> = { queued: 0, sending: 0, sent: 1, delivered: 2, read: 3 };
  switch (c.is) {
    case 'not_sent':
      return message.status === 'failed';
    case 'failed':
      return message.status === 'failed';
    case 'sent':
    case 'delivered':
    case 'read':
      return (rank[message.status] ?? -1) >= rank[c.is]!;
    case 'replied':
      return message.replied_at !== null;
    case 'button': {
      const replies = await replyEventData(db, run.storeId, run.contactId);
      return replies.some((r) => {
        const data = JSON.parse(String(r.data)) as { reply?: { id?: string }; replyTo?: string };
        return (
          (!c.button || data.reply?.id === c.button) &&
          message.provider_message_id !== null &&
          data.replyTo === message.provider_message_id
        );
      });
    }
  }
}

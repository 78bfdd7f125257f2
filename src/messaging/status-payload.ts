import type { MessageRecord } from '../domain/messages.js';
import type { MessageStatusPayload } from '../webhooks-out/event-types.js';

/** What the store's webhook subscribers are told when a message moves (message.status). */
export function messageStatusPayload(message: MessageRecord, at: number): MessageStatusPayload {
  return {
    messageId: message.id,
    // A message being sent is still queued as far as the store is concerned.
    status: message.status === 'sending' ? 'queued' : message.status,
    at: new Date(at).toISOString(),
    contactId: message.contactId,
    channel: message.channel,
    templateName: message.templateName,
    campaign: message.campaign,
    ...(message.status === 'failed'
      ? { error: { code: message.errorCode ?? 'UNKNOWN', reason: message.errorReason ?? '' } }
      : {}),
  };
}

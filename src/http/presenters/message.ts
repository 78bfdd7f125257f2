import type { MessageRecord } from '../../domain/messages.js';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** A message as the API shows it: where it is, how it got there, and why it failed if it did. */
export function presentMessage(m: MessageRecord) {
  return {
    id: m.id,
    channel: m.channel,
    sender: m.sender,
    recipient: m.recipient,
    contactId: m.contactId,
    kind: m.kind,
    category: m.category,
    templateName: m.templateName,
    campaign: m.campaign,
    source: m.source,
    status: m.status,
    statusHistory: m.history.map((h) => ({
      status: h.status,
      at: iso(h.at),
      ...(h.detail ? { detail: h.detail } : {}),
    })),
    providerMessageId: m.providerMessageId,
    error: m.status === 'failed' || m.errorCode ? { code: m.errorCode, reason: m.errorReason } : null,
    attempts: m.attempts,
    // An attempt whose outcome stayed unknown (its worker stopped mid-send), then a send that
    // went: the shopper may have it twice (docs/messages.md, "The log of attempts").
    possiblyDuplicate: (m.unknownAttempts ?? 0) > 0 && m.sentAt !== null,
    nextAttemptAt: m.status === 'queued' ? iso(m.nextAttemptAt) : null,
    createdAt: iso(m.createdAt),
    sentAt: iso(m.sentAt),
    deliveredAt: iso(m.deliveredAt),
    readAt: iso(m.readAt),
    failedAt: iso(m.failedAt),
    repliedAt: iso(m.repliedAt),
  };
}

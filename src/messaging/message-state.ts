import { statusMovesForward, type MessageRecord, type MessageStatus, type ProviderError } from '../domain/messages.js';

/**
 * Every change of a message, as pure functions of the record. Each returns the changed record,
 * or null when the change would do nothing (a repeat, or a step backwards).
 */

export function withStatus(
  message: MessageRecord,
  status: MessageStatus,
  at: number,
  now: number,
  errors: ProviderError[] = [],
): MessageRecord | null {
  if (!statusMovesForward(message.status, status)) return null;
  const next: MessageRecord = {
    ...message,
    status,
    updatedAt: now,
    leaseUntil: status === 'queued' || status === 'sending' ? message.leaseUntil : null,
    history: [
      ...message.history,
      { status, at, ...(errors[0] ? { detail: `${errors[0].code} ${errors[0].title}` } : {}) },
    ],
  };
  if (status === 'sent') next.sentAt ??= at;
  if (status === 'delivered') {
    next.sentAt ??= at;
    next.deliveredAt ??= at;
  }
  if (status === 'read') {
    next.sentAt ??= at;
    next.readAt ??= at;
  }
  if (status === 'failed') {
    next.failedAt = at;
    next.errorCode = errors[0]?.code ?? next.errorCode;
    next.errorReason = errors[0] ? [errors[0].title, errors[0].detail].filter(Boolean).join(': ') : next.errorReason;
  }
  return next;
}

/** Claimed for sending by worker `claimedBy`, as claimDueMessages claims in SQL: leased, the attempt counted, the history unchanged. */
export function markSending(
  message: MessageRecord,
  leaseUntil: number,
  now: number,
  claimedBy: string | null = null,
): MessageRecord {
  return { ...message, status: 'sending', attempts: message.attempts + 1, leaseUntil, claimedBy, updatedAt: now };
}

/** The provider took the message: earlier retry errors no longer describe it. */
export function markAccepted(message: MessageRecord, providerMessageId: string, now: number): MessageRecord {
  const accepted = { ...message, providerMessageId, errorCode: null, errorReason: null };
  return withStatus(accepted, 'sent', now, now) ?? { ...accepted, leaseUntil: null, updatedAt: now };
}

/** Back in the queue until `at`, with the reason kept for the log. */
export function markRetry(
  message: MessageRecord,
  at: number,
  code: string,
  reason: string,
  now: number,
): MessageRecord {
  return {
    ...message,
    status: 'queued',
    nextAttemptAt: at,
    leaseUntil: null,
    errorCode: code,
    errorReason: reason,
    updatedAt: now,
  };
}

export function markFailed(message: MessageRecord, code: string, reason: string, now: number): MessageRecord {
  return withStatus(message, 'failed', now, now, [{ code, title: reason }]) ?? message;
}

export function markReplied(message: MessageRecord, at: number, now: number): MessageRecord | null {
  if (message.repliedAt !== null) return null;
  return { ...message, repliedAt: at, updatedAt: now, history: [...message.history, { status: 'replied', at }] };
}

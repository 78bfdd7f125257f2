/** Messages Storewire sends, as the rest of the code sees them. */

export type ChannelName = 'whatsapp' | 'messenger' | 'sandbox';

/** A provider's reason for refusing or failing a message (Meta's error code and title). */
export interface ProviderError {
  code: string;
  title: string;
  detail?: string;
}

/** Meta's template categories, plus service: a free-form reply inside the 24-hour window. */
export type MessageCategory = 'marketing' | 'utility' | 'authentication' | 'service';

/** What is sent: a template, or a free-form message (only inside the customer-service window). */
export type MessageKind = 'template' | 'text' | 'interactive' | 'product' | 'receipt' | 'shipping_update';

export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusChange {
  status: MessageStatus | 'replied';
  at: number;
  detail?: string;
}

export interface MessageRecord {
  id: string;
  storeId: string;
  contactId: string | null;
  channel: ChannelName;
  /** The sending account's external id: phone number id, page id, or "sandbox". */
  sender: string;
  /** E.164 phone (WhatsApp) or page-scoped id (Messenger). */
  recipient: string;
  kind: MessageKind;
  category: MessageCategory;
  templateName: string | null;
  campaign: string | null;
  /** consent: the reply confirming a shopper's opt-out (the store's optOutConfirmation). */
  source: 'api' | 'send_template' | 'journey' | 'consent';
  idempotencyKey: string;
  /** The provider request body, rendered when the message was queued. */
  payload: Record<string, unknown>;
  status: MessageStatus;
  history: StatusChange[];
  providerMessageId: string | null;
  errorCode: string | null;
  errorReason: string | null;
  attempts: number;
  nextAttemptAt: number;
  leaseUntil: number | null;
  /** The worker whose attempt this is while "sending" (absent when written by code that does not know). */
  claimedBy?: string | null;
  /** Attempts whose outcome stayed unknown (its worker stopped mid-send); a send after one may have reached the shopper twice. */
  unknownAttempts?: number;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  failedAt: number | null;
  repliedAt: number | null;
}

/**
 * A provider status moves a message forward only: statuses arrive late, twice and out of
 * order, and `delivered` may be skipped when a message is read at once. A failure after
 * delivery is ignored (the shopper has the message).
 */
const RANK: Record<MessageStatus, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

export function statusMovesForward(from: MessageStatus, to: MessageStatus): boolean {
  if (from === to) return false;
  if (from === 'failed') return false;
  if (to === 'failed') return RANK[from] <= RANK.sent;
  return RANK[to] > RANK[from];
}

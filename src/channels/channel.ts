import type { ChannelAccount } from '../domain/channel-account.js';
import type { ChannelName, MessageCategory, MessageKind, ProviderError } from '../domain/messages.js';

/**
 * The port every messaging provider implements: send a rendered message, check and read the
 * provider's webhooks. Channels know nothing of journeys, templates or the database; what a
 * failure means for a retry is said by the error's type.
 */

// A connected account is a record the database keeps: its type lives in domain/ (storage needs it too).
export type { ChannelAccount, ChannelConfig, ChannelSecrets } from '../domain/channel-account.js';

export interface OutboundMessage {
  /** Storewire's message id */
  id: string;
  recipient: string;
  kind: MessageKind;
  category: MessageCategory;
  /** The provider request body, as the template rendered it. */
  payload: Record<string, unknown>;
}

export interface SendResult {
  providerMessageId: string;
  /** The provider's id for the recipient (WhatsApp wa_id, Messenger PSID). */
  recipientId?: string;
}

/** The provider is busy or down: try this message again later, not before `retryAfterMs`. */
export class RetryAfterError extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'RetryAfterError';
  }
}

/** This message cannot be sent as it is (bad recipient, template problem): fail it with the reason. */
export class DoNotRetryError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'DoNotRetryError';
  }
}

/** The sender itself cannot send (token expired or revoked): stop it until it is fixed; keep the message. */
export class SenderError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'SenderError';
  }
}

export type { ProviderError };

/** A delivery report from the provider. */
export interface WebhookStatus {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
  recipientId: string | null;
  errors: ProviderError[];
  /** The account it was reported for, when the payload says (flat on-premises payloads do not). */
  accountExternalId: string | null;
}

/** A message from the shopper. */
export interface WebhookInbound {
  providerMessageId: string;
  accountExternalId: string;
  /** WhatsApp wa_id (digits) or Messenger PSID. */
  from: string;
  profileName: string | null;
  at: number;
  /** text, interactive, button, order, image, ... as the provider names it */
  type: string;
  text: string | null;
  /** The message this one answers, and the product it asks about. */
  context: {
    messageId: string | null;
    referredProduct: { catalogId: string; productRetailerId: string } | null;
  } | null;
  /** A tapped button or list row. */
  reply: { id: string; title: string } | null;
  /** A cart sent from WhatsApp. */
  order: {
    catalogId: string;
    text: string | null;
    items: { productRetailerId: string; quantity: number; itemPrice: number; currency: string }[];
  } | null;
  raw: Record<string, unknown>;
}

/** Messenger's read receipt: every message to `recipientId` sent up to `at` has been read. */
export interface ReadWatermark {
  accountExternalId: string;
  recipientId: string;
  at: number;
}

/**
 * A problem Meta reports about the account itself rather than one message (WhatsApp's
 * `value.errors`, e.g. 130429 when the whole number is rate-limited, 131000 on a system error).
 */
export interface AccountError extends ProviderError {
  accountExternalId: string;
  /** Meta's page about the code, when it gives one. */
  href?: string;
}

/**
 * A shopper stopped or resumed marketing messages from a number inside WhatsApp (Meta's
 * `user_preferences` webhook, category `marketing_messages`).
 */
export interface MarketingPreference {
  accountExternalId: string;
  /** The shopper's wa_id (digits). */
  from: string;
  value: 'stop' | 'resume';
  at: number;
  detail: string | null;
}

export interface ParsedWebhook {
  statuses: WebhookStatus[];
  inbound: WebhookInbound[];
  /** Errors about the account (WhatsApp's system and account-level error webhooks). */
  accountErrors?: AccountError[];
  /** Marketing preference changes (WhatsApp). */
  preferences?: MarketingPreference[];
  /** Read receipts that name a time rather than messages (Messenger). */
  readUpTo?: ReadWatermark[];
  /** Accounts the payload names (for routing and signature checks). */
  accountExternalIds: string[];
}

export interface ChannelCapabilities {
  templates: boolean;
  freeForm: boolean;
  interactive: boolean;
  productMessages: boolean;
  receipts: boolean;
}

export interface Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  send(account: ChannelAccount, message: OutboundMessage): Promise<SendResult>;
  /** Checks `X-Hub-Signature-256: sha256=<hex>` over the raw body bytes with the app secret. */
  verifySignature(account: ChannelAccount, rawBody: Buffer, signatureHeader: string | undefined): boolean;
  /** Reads a webhook payload; throws a TypeError naming what is wrong when it is not one. */
  parseWebhook(body: unknown): ParsedWebhook;
}

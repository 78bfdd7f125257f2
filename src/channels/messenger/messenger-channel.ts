import type { Dispatcher } from 'undici';
import {
  DoNotRetryError,
  SenderError,
  type Channel,
  type ChannelAccount,
  type ChannelCapabilities,
  type OutboundMessage,
  type ParsedWebhook,
  type SendResult,
} from '../channel.js';
import { messengerError } from '../graph-errors.js';
import { graphUrl, postGraph } from '../graph-http.js';
import { signatureMatches } from '../signature.js';
import { parseMessengerWebhook } from './webhook.js';

export interface MessengerChannelOptions {
  /** Deadline for one send, connection included (default 10 s). */
  timeoutMs?: number;
  /** Defaults to the process-wide keep-alive agent (graph-http.ts). */
  dispatcher?: Dispatcher;
}

/**
 * Messenger Send API: `POST {base}/{version}/{page-id}/messages?access_token=…` with
 * `recipient: {id: PSID}`. A payload without `messaging_type` gets one: receipts and shipping
 * updates go as `MESSAGE_TAG` / `POST_PURCHASE_UPDATE` (allowed outside the 24-hour window),
 * anything else as `RESPONSE`.
 */
export class MessengerChannel implements Channel {
  readonly name = 'messenger' as const;
  readonly capabilities: ChannelCapabilities = {
    templates: false,
    freeForm: true,
    interactive: true,
    productMessages: false,
    receipts: true,
  };

  constructor(private readonly options: MessengerChannelOptions = {}) {}

  async send(account: ChannelAccount, message: OutboundMessage): Promise<SendResult> {
    const token = account.secrets.accessToken;
    if (!token) throw new SenderError('NO_ACCESS_TOKEN', 'the Messenger page has no access token');
    const page = account.externalId ? encodeURIComponent(account.externalId) : 'me';
    const url = `${graphUrl(account.config.apiBaseUrl, account.config.graphVersion, `${page}/messages`)}?access_token=${encodeURIComponent(token)}`;
    const body = { ...messagingType(message), ...message.payload, recipient: { id: message.recipient } };
    const res = await postGraph(url, body, { timeoutMs: this.options.timeoutMs, dispatcher: this.options.dispatcher });
    if (res.status < 200 || res.status >= 300) throw messengerError(res);
    return readAccepted(res.body);
  }

  verifySignature(account: ChannelAccount, rawBody: Buffer, signatureHeader: string | undefined): boolean {
    return signatureMatches(account.secrets.appSecret ?? '', rawBody, signatureHeader);
  }

  parseWebhook(body: unknown): ParsedWebhook {
    return parseMessengerWebhook(body);
  }
}

function messagingType(message: OutboundMessage): Record<string, unknown> {
  if (message.payload.messaging_type !== undefined) return {};
  if (message.kind === 'receipt' || message.kind === 'shipping_update')
    return { messaging_type: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' };
  return { messaging_type: 'RESPONSE' };
}

/** `{"recipient_id": "...", "message_id": "..."}` */
function readAccepted(body: unknown): SendResult {
  const b = body as { message_id?: unknown; recipient_id?: unknown } | null;
  const id = b?.message_id;
  // A 2xx means Meta took the message: retrying could send it twice, so this is not retried.
  if (typeof id !== 'string' || id === '')
    throw new DoNotRetryError(
      'INVALID_PROVIDER_RESPONSE',
      'the provider accepted the message but returned no message id',
    );
  const recipientId = b?.recipient_id;
  return typeof recipientId === 'string' && recipientId !== ''
    ? { providerMessageId: id, recipientId }
    : { providerMessageId: id };
}

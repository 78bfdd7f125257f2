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
import { whatsappError } from '../graph-errors.js';
import { graphUrl, postGraph } from '../graph-http.js';
import { signatureMatches } from '../signature.js';
import { parseWhatsAppWebhook } from './webhook.js';

export interface WhatsAppChannelOptions {
  /** Deadline for one send, connection included (default 10 s). */
  timeoutMs?: number;
  /** Defaults to the process-wide keep-alive agent (graph-http.ts). */
  dispatcher?: Dispatcher;
}

/**
 * WhatsApp Cloud API: `POST {base}/{version}/{phone-number-id}/messages` with the store's access
 * token. The rendered payload is sent as it is, with `to` set to the recipient.
 */
export class WhatsAppChannel implements Channel {
  readonly name = 'whatsapp' as const;
  readonly capabilities: ChannelCapabilities = {
    templates: true,
    freeForm: true,
    interactive: true,
    productMessages: true,
    receipts: false,
  };

  constructor(private readonly options: WhatsAppChannelOptions = {}) {}

  async send(account: ChannelAccount, message: OutboundMessage): Promise<SendResult> {
    const token = account.secrets.accessToken;
    if (!token) throw new SenderError('NO_ACCESS_TOKEN', 'the WhatsApp sender has no access token');
    if (!account.externalId) throw new SenderError('NO_PHONE_NUMBER_ID', 'the WhatsApp sender has no phone number id');
    const url = graphUrl(
      account.config.apiBaseUrl,
      account.config.graphVersion,
      `${encodeURIComponent(account.externalId)}/messages`,
    );
    const body = { messaging_product: 'whatsapp', ...message.payload, to: message.recipient };
    const res = await postGraph(url, body, {
      headers: { authorization: `Bearer ${token}` },
      timeoutMs: this.options.timeoutMs,
      dispatcher: this.options.dispatcher,
    });
    if (res.status < 200 || res.status >= 300) throw whatsappError(res);
    return readAccepted(res.body);
  }

  verifySignature(account: ChannelAccount, rawBody: Buffer, signatureHeader: string | undefined): boolean {
    return signatureMatches(account.secrets.appSecret ?? '', rawBody, signatureHeader);
  }

  parseWebhook(body: unknown): ParsedWebhook {
    return parseWhatsAppWebhook(body);
  }
}

/** `{"messages": [{"id": "wamid..."}], "contacts": [{"input", "wa_id"}]}` */
function readAccepted(body: unknown): SendResult {
  const b = body as { messages?: { id?: unknown }[]; contacts?: { wa_id?: unknown }[] } | null;
  const id = Array.isArray(b?.messages) ? b.messages[0]?.id : undefined;
  // A 2xx means Meta took the message: retrying could send it twice, so this is not retried.
  if (typeof id !== 'string' || id === '')
    throw new DoNotRetryError(
      'INVALID_PROVIDER_RESPONSE',
      'the provider accepted the message but returned no message id',
    );
  const waId = Array.isArray(b?.contacts) ? b.contacts[0]?.wa_id : undefined;
  return typeof waId === 'string' && waId !== ''
    ? { providerMessageId: id, recipientId: waId }
    : { providerMessageId: id };
}

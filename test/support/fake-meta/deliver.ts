import { request } from 'undici';
import { signBody } from '../../../src/channels/signature.js';

/** How a fake signs a webhook: with the app secret (default), a given header, or no header at all. */
export interface DeliveryOptions {
  appSecret?: string;
  /** Overrides the computed X-Hub-Signature-256; null sends none. */
  signature?: string | null;
}

export interface SignedWebhook {
  rawBody: Buffer;
  headers: Record<string, string>;
}

/** The bytes and headers Meta would send, for tests that inject instead of using HTTP. */
export function signWebhook(payload: unknown, appSecret: string, options: DeliveryOptions = {}): SignedWebhook {
  const rawBody = Buffer.from(JSON.stringify(payload));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature =
    options.signature === undefined ? signBody(options.appSecret ?? appSecret, rawBody) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return { rawBody, headers };
}

export interface DeliveryResult {
  status: number;
  body: string;
}

/** POSTs a signed webhook to `url` over real HTTP, as Meta does. */
export async function deliverWebhook(
  url: string,
  payload: unknown,
  appSecret: string,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const { rawBody, headers } = signWebhook(payload, appSecret, options);
  const res = await request(url, { method: 'POST', headers, body: rawBody });
  return { status: res.statusCode, body: await res.body.text() };
}

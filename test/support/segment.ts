import type { LightMyRequestResponse } from 'fastify';
import type { Harness } from './harness.js';

/** HTTP Basic with the write key as user and an empty password, as Segment clients send it. */
export const basicAuth = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

/** Posts to a Segment route as a Segment client would: write key = the store's ingest token. */
export function segmentPost(
  h: Harness,
  path: string,
  body: unknown,
  writeKey: string | null = h.shop.ingestToken,
): Promise<LightMyRequestResponse> {
  return h.call('POST', path, body, { as: null, headers: writeKey ? { authorization: basicAuth(writeKey) } : {} });
}

/** The contact (with cart, recent events and orders) that holds an identifier, or null. */
export async function contactBy(h: Harness, query: 'customer_id' | 'email' | 'phone' | 'anonymous_id', value: string) {
  const found = (await h.get(`/v1/contacts?${query}=${encodeURIComponent(value)}`)).json();
  const [summary] = found.contacts ?? [];
  return summary ? (await h.get(`/v1/contacts/${summary.id}`)).json() : null;
}

let n = 0;
/** A track message with its own messageId. */
export const track = (
  event: string,
  properties: Record<string, unknown>,
  who: Record<string, unknown> = { userId: 'shopper-1' },
  extra: Record<string, unknown> = {},
) => ({
  type: 'track',
  messageId: `msg-${process.pid}-${++n}`,
  event,
  properties,
  timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, n)).toISOString(),
  ...who,
  ...extra,
});

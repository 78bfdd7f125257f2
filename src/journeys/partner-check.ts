import { request } from 'undici';
import type { PartnerSettings } from './settings.js';

/** Funnel stages: a later event at a later stage than the trigger means the shopper moved on. */
const STAGE: Record<string, number> = {
  product_view: 1,
  collection_view: 1,
  cart_update: 2,
  checkout_started: 3,
  order_created: 4,
  order_placed: 4,
  order_completed: 4,
  purchase: 4,
};

export type PartnerAnswer =
  | { kind: 'moved_on'; event: string; at: string }
  | { kind: 'nothing_later' }
  | { kind: 'unavailable'; reason: string };

/**
 * Seed 001 step 5: asks the checkout partner for the shopper's recent events and reports
 * whether one later than the trigger, at a later funnel stage (or an order), is among them.
 * Never throws: a timeout, an error status or garbage is `unavailable` with the reason.
 */
export async function askPartner(
  settings: PartnerSettings,
  customerId: string,
  triggerName: string,
  triggerAt: number,
): Promise<PartnerAnswer> {
  const url = new URL(settings.url);
  const init: Parameters<typeof request>[1] = {
    method: 'GET',
    headers: { accept: 'application/json', ...settings.headers },
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
  };
  if (settings.style === 'query') {
    url.searchParams.set('customer_id', customerId);
    url.searchParams.set('event_count', String(settings.eventCount));
  } else {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify({ customer_id: customerId, event_count: settings.eventCount });
  }
  let body: unknown;
  try {
    const controller = AbortSignal.timeout(settings.timeoutMs);
    const res = await request(url, { ...init, signal: controller });
    const text = await res.body.text();
    if (res.statusCode === 404) return { kind: 'nothing_later' };
    if (res.statusCode >= 300) return { kind: 'unavailable', reason: `the partner answered ${res.statusCode}` };
    body = JSON.parse(text);
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? 'the partner answered something that is not JSON'
        : error instanceof Error && /timeout|abort/i.test(`${error.name} ${error.message}`)
          ? `no answer within ${settings.timeoutMs} ms`
          : `the partner could not be reached (${error instanceof Error ? error.message : String(error)})`;
    return { kind: 'unavailable', reason };
  }
  const events = (body as { recent_events?: unknown })?.recent_events;
  if (!Array.isArray(events)) return { kind: 'unavailable', reason: 'the answer has no recent_events list' };
  const triggerStage = STAGE[triggerName] ?? 0;
  for (const e of events as { event_name?: unknown; timestamp?: unknown }[]) {
    if (typeof e?.event_name !== 'string' || typeof e.timestamp !== 'string') continue;
    const at = Date.parse(e.timestamp);
    if (!Number.isFinite(at) || at <= triggerAt) continue;
    const stage = STAGE[e.event_name] ?? 0;
    if (stage > triggerStage || stage === 4) return { kind: 'moved_on', event: e.event_name, at: e.timestamp };
  }
  return { kind: 'nothing_later' };
}

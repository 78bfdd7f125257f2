import type { QuietHours } from './definition.js';

/** A store's journey settings (PUT /v1/journey-settings). */
export interface JourneySettings {
  /** Quiet hours for every journey that does not set its own. */
  quietHours: QuietHours | null;
  /** The checkout partner's recent-events API (seed 001's Journey Exit API). */
  partner: PartnerSettings | null;
  /** A discount code the ready-made journeys offer (the last cart reminder). */
  discountCode: string | null;
  /** Where a COD order is paid online: the order id is appended (https://shop.example/pay/ → https://shop.example/pay/1042). */
  paymentLinkBase: string | null;
}

export interface PartnerSettings {
  url: string;
  /** customer_id and event_count in the query string, or in a JSON body of the GET (both styles of seed 001). */
  style: 'query' | 'body';
  eventCount: number;
  timeoutMs: number;
  /** When the partner does not answer in time or answers garbage: send anyway (default) or leave the journey. */
  fallback: 'send' | 'exit';
  /** Extra headers, e.g. an API key. */
  headers: Record<string, string>;
}

export const DEFAULT_JOURNEY_SETTINGS: JourneySettings = {
  quietHours: null,
  partner: null,
  discountCode: null,
  paymentLinkBase: null,
};
export const DEFAULT_PARTNER: Omit<PartnerSettings, 'url'> = {
  style: 'query',
  eventCount: 5,
  timeoutMs: 2_000,
  fallback: 'send',
  headers: {},
};

/** A partner header as the API shows it: its name, and that a value is stored — never the value. */
export interface HeaderShown {
  set: true;
}

/** The settings as the API answers them: the partner's header values are write-only (an API key, usually). */
export function shownJourneySettings(settings: JourneySettings) {
  if (!settings.partner) return settings;
  const headers: Record<string, HeaderShown> = {};
  for (const name of Object.keys(settings.partner.headers)) headers[name] = { set: true };
  return { ...settings, partner: { ...settings.partner, headers } };
}

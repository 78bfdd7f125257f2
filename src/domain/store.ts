import { DEFAULT_FREQUENCY_CAP, type FrequencyCap } from './frequency-cap.js';

/** A store (tenant) as the rest of the code sees it. */
export interface Store {
  id: string;
  name: string;
  defaultCountry: string;
  timeZone: string;
  settings: StoreSettings;
  createdAt: number;
}

export type { FrequencyCap } from './frequency-cap.js';

/**
 * What a store sets about itself beyond its name, country and time zone (GET / PATCH
 * /v1/store/settings; engine/store-settings.ts lists every field the API offers). Kept as one
 * JSON document: a new setting is a new field here with its default, no migration.
 */
export interface StoreSettings {
  /** When true an order whose items do not add up to totalCost is refused instead of kept with a warning. */
  rejectOrderTotalMismatch: boolean;
  /** The most marketing messages one shopper receives, across templates, journeys and broadcasts. */
  marketingFrequencyCap: FrequencyCap;
  /** The store's logo on its public pages (the order-tracking page): an https URL, or null for the name alone. */
  logoUrl: string | null;
  /** The colour of headings, buttons and links on its public pages, "#rrggbb"; null for Storewire's. */
  accentColor: string | null;
  /** A shopper message that is one of these withdraws marketing consent (STOP and UNSUBSCRIBE always do). */
  optOutKeywords: string[];
  /** A shopper message that is one of these gives it back on that channel (START always does). */
  optInKeywords: string[];
  /** The reply sent after an opt-out keyword or button (a session message); null sends none. */
  optOutConfirmation: string | null;
}

/** Keywords that always count, whatever the store's lists say: a shopper's STOP is honoured. */
export const BUILT_IN_OPT_OUT_KEYWORDS = ['STOP', 'UNSUBSCRIBE'];
export const BUILT_IN_OPT_IN_KEYWORDS = ['START'];

export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  rejectOrderTotalMismatch: false,
  marketingFrequencyCap: DEFAULT_FREQUENCY_CAP,
  logoUrl: null,
  accentColor: null,
  optOutKeywords: BUILT_IN_OPT_OUT_KEYWORDS,
  optInKeywords: BUILT_IN_OPT_IN_KEYWORDS,
  optOutConfirmation: null,
};

/** A store (tenant) as the rest of the code sees it. */
export interface Store {
  id: string;
  name: string;
  defaultCountry: string;
  timeZone: string;
  settings: StoreSettings;
  createdAt: number;
}

export interface FrequencyCap {
  /** Marketing messages a shopper may receive within `hours`. */
  max: number;
  hours: number;
}

export interface StoreSettings {
  /** When true an order whose items do not add up to totalCost is refused instead of kept with a warning. */
  rejectOrderTotalMismatch: boolean;
  /** The most marketing messages one shopper receives, across templates, journeys and broadcasts. */
  marketingFrequencyCap: FrequencyCap;
  /** The store's logo on its public pages (the order-tracking page): an https URL, or null for the name alone. */
  logoUrl: string | null;
  /** The colour of headings, buttons and links on its public pages, "#rrggbb"; null for Storewire's. */
  accentColor: string | null;
}

export const DEFAULT_STORE_SETTINGS: StoreSettings = {
  rejectOrderTotalMismatch: false,
  marketingFrequencyCap: { max: 2, hours: 24 },
  logoUrl: null,
  accentColor: null,
};

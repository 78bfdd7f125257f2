/**
 * The marketing frequency cap: at most `max` marketing messages per shopper within `hours`,
 * across templates, journeys and broadcasts. One rule, asked wherever marketing is counted:
 * when a message is composed, when it is written (under the store's lock), when a journey's
 * turns are saved and before the dispatcher sends.
 */
export interface FrequencyCap {
  /** Marketing messages a shopper may receive within `hours`. */
  max: number;
  hours: number;
}

/** A store's cap until it sets its own. */
export const DEFAULT_FREQUENCY_CAP: FrequencyCap = { max: 2, hours: 24 };

/** The store's cap (the default for a store that could not be read). */
export const frequencyCapOf = (store: { settings: { marketingFrequencyCap: FrequencyCap } } | null | undefined) =>
  store?.settings.marketingFrequencyCap ?? DEFAULT_FREQUENCY_CAP;

/** Marketing messages created at or after this time count towards the cap at `now`. */
export const capWindowStart = (cap: FrequencyCap, now: number): number => now - cap.hours * 3_600_000;

/** A shopper with `recent` marketing messages in the window has no room for another. */
export const capReached = (cap: FrequencyCap, recent: number): boolean => recent >= cap.max;

import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

/**
 * Normalizes a phone number to E.164 with the store's default country, so "9711166382" in an
 * Indian store and "+91 97111 66382" are the same person. Numbers written with their country
 * code but no "+" ("380501234567", "919711166382") are recognized too, since stores and
 * WhatsApp ids often send them that way. Returns null for text that is not a valid number.
 */
export function normalizePhone(raw: unknown, defaultCountry: string): string | null {
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) raw = String(raw);
  if (typeof raw !== 'string') return null;
  // Parsing costs more than the rest of an event's ingest, and shoppers come back: remember.
  const key = `${defaultCountry}|${raw}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = parse(raw, defaultCountry);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, result);
  return result;
}

const CACHE_SIZE = 100_000;
const cache = new Map<string, string | null>();

function parse(raw: string, defaultCountry: string): string | null {
  const text = raw.trim();
  if (text === '' || !/\d/.test(text)) return null;
  const country = defaultCountry.toUpperCase() as CountryCode;
  const national = parsePhoneNumberFromString(text, country);
  if (national?.isValid()) return national.number;
  if (!text.startsWith('+')) {
    const digits = text.replace(/^00/, '');
    const international = parsePhoneNumberFromString(`+${digits}`);
    if (international?.isValid()) return international.number;
  }
  return null;
}

/** Whether a two-letter region code is one libphonenumber knows (for a store's default country). */
export function isKnownCountry(code: string): boolean {
  return /^[A-Za-z]{2}$/.test(code) && isSupportedCountry(code.toUpperCase());
}

/** The country calling code of a region ("91" for IN), or null for one libphonenumber does not know. */
export function callingCodeOf(country: string): string | null {
  const code = country.toUpperCase();
  return isSupportedCountry(code) ? getCountryCallingCode(code as CountryCode) : null;
}

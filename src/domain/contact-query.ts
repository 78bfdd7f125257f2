import { callingCodeOf } from './phone.js';

/**
 * What a dashboard search box means, as terms for the contacts' word index: every group must
 * match, a group matches when any of its terms is the beginning of a word of the contact's name,
 * email, phone or customer id. Words are runs of letters and digits, lower case, so
 * "priya.s@ex" finds priya.s@example.com and "pri sha" finds Priya Shah.
 *
 * A query that looks like a phone number is one term of its digits (phones are indexed in E.164
 * without "+"): typed with its country code it is used as is, typed nationally ("98200 12",
 * "098200") it is tried also after the store's country code.
 */
export type ContactQuery = string[][];

const MAX_WORDS = 8;
const PHONE_LIKE = /^\+?[\d\s().-]+$/;

export function parseContactQuery(raw: string, defaultCountry: string): ContactQuery | null {
  const text = raw.trim();
  if (text === '') return null;
  const digits = text.replace(/\D/g, '');
  if (PHONE_LIKE.test(text) && digits.length >= 3) {
    if (text.startsWith('+')) return [[digits]];
    if (text.startsWith('00')) return [[digits.slice(2)]];
    const code = callingCodeOf(defaultCountry);
    const national = digits.replace(/^0+/, '');
    const terms = new Set([digits]);
    if (code && national) terms.add(`${code}${national}`);
    return [[...terms]];
  }
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return [...new Set(words)].slice(0, MAX_WORDS).map((word) => [word]);
}

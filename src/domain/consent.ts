import type { StoreSettings } from './store.js';

/**
 * A shopper's own words about marketing: a message that is an opt-out keyword (STOP), an opt-in
 * keyword (START), or a tap on an opt-out button. Matching ignores case, accents, spacing and
 * the punctuation around the word ("Stop!", "stöp", " unsubscribe."), but the whole message
 * must be the keyword: "please don't stop" is not a STOP.
 */

export type ConsentIntent = 'opt_out' | 'opt_in';

export type ConsentKeywords = Pick<StoreSettings, 'optOutKeywords' | 'optInKeywords'>;

/**
 * Meta's own marketing opt-out quick-reply button ("Stop promotions"): a tap on it arrives as a
 * button message with that text, and the business is to honour it.
 */
const OPT_OUT_BUTTON_TEXTS = ['STOP PROMOTIONS'];

/** The form keywords are compared in: no accents, lower case, single spaces, no surrounding punctuation. */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');
}

/** What a shopper's text says about marketing, if anything. */
export function keywordIntent(text: string | null, keywords: ConsentKeywords): ConsentIntent | null {
  if (!text || text.length > 200) return null;
  const said = normalizeKeyword(text);
  if (said === '') return null;
  if (keywords.optOutKeywords.some((k) => normalizeKeyword(k) === said)) return 'opt_out';
  if (keywords.optInKeywords.some((k) => normalizeKeyword(k) === said)) return 'opt_in';
  return null;
}

/**
 * What a tapped button (or list row) says: an opt-out when its payload or its text is an
 * opt-out keyword, or it is Meta's "Stop promotions" button; an opt-in likewise.
 */
export function tapIntent(
  reply: { id: string; title: string } | null,
  keywords: ConsentKeywords,
): ConsentIntent | null {
  if (!reply) return null;
  const optOut = { optOutKeywords: [...keywords.optOutKeywords, ...OPT_OUT_BUTTON_TEXTS], optInKeywords: [] };
  if (keywordIntent(reply.id, optOut) || keywordIntent(reply.title, optOut)) return 'opt_out';
  return keywordIntent(reply.id, keywords) ?? keywordIntent(reply.title, keywords);
}

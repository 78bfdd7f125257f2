import { describe, expect, it } from 'vitest';
import { keywordIntent, normalizeKeyword, tapIntent } from './consent.js';
import { DEFAULT_STORE_SETTINGS } from './store.js';

const keywords = {
  optOutKeywords: [...DEFAULT_STORE_SETTINGS.optOutKeywords, 'Désabonner'],
  optInKeywords: DEFAULT_STORE_SETTINGS.optInKeywords,
};

describe('consent keywords', () => {
  it('compares without case, accents, spacing or surrounding punctuation', () => {
    expect(normalizeKeyword('  Stöp!! ')).toBe('stop');
    expect(normalizeKeyword('ＳＴＯＰ')).toBe('stop');
    for (const text of ['STOP', 'stop', 'Stop.', ' unsubscribe ', 'DESABONNER', 'désabonner!'])
      expect(keywordIntent(text, keywords), text).toBe('opt_out');
    expect(keywordIntent('Start', keywords)).toBe('opt_in');
  });

  it('needs the whole message to be the keyword', () => {
    for (const text of ["please don't stop", 'stop it now', 'STOPS', '', '!!!', null])
      expect(keywordIntent(text, keywords), String(text)).toBeNull();
  });

  it('reads a tap by its payload or its text, and knows Meta’s "Stop promotions" button', () => {
    expect(tapIntent({ id: 'STOP', title: 'No more offers' }, keywords)).toBe('opt_out');
    expect(tapIntent({ id: 'promo-off', title: 'Stop promotions' }, keywords)).toBe('opt_out');
    expect(tapIntent({ id: 'start', title: 'Resume' }, keywords)).toBe('opt_in');
    expect(tapIntent({ id: 'ndr:reattempt', title: 'Deliver again' }, keywords)).toBeNull();
    expect(tapIntent(null, keywords)).toBeNull();
  });
});

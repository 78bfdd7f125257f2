import { describe, expect, it } from 'vitest';
import { parseJsonKeepingBigInts } from './json-big-ints.js';

describe('parseJsonKeepingBigInts', () => {
  it('keeps the exact digits of integers a double cannot hold', () => {
    const parsed = parseJsonKeepingBigInts(
      '{"id":820982911946154508,"customer":{"id":-115310627314723954},"ids":[9007199254740993]}',
    );
    expect(parsed).toEqual({
      id: '820982911946154508',
      customer: { id: '-115310627314723954' },
      ids: ['9007199254740993'],
    });
  });

  it('leaves safe integers, decimals, exponents and strings as JSON.parse reads them', () => {
    const text =
      '{"a":9007199254740991,"b":12345678901234567.5,"c":1e25,"d":"820982911946154508","e":"x\\"1234567890123456789","f":-0.5,"g":[1,2]}';
    expect(parseJsonKeepingBigInts(text)).toEqual(JSON.parse(text));
  });

  it('still refuses malformed JSON', () => {
    expect(() => parseJsonKeepingBigInts('{"id": 12345678901234567890')).toThrow(SyntaxError);
  });
});

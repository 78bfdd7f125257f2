import { describe, expect, it } from 'vitest';
import { jsonHasNul } from './json-nul.js';

describe('jsonHasNul', () => {
  it.each([
    ['{"a":"x\\u0000y"}', true],
    ['{"a":"\\u0000"}', true],
    ['"\\\\\\u0000"', true],
    ['{"path":"C:\\\\u0000dir"}', false],
    ['{"a":"plain"}', false],
    ['{"a":"\\u0001"}', false],
  ])('%s -> %s', (text, expected) => {
    expect(jsonHasNul(text)).toBe(expected);
    // The same answer as parsing and looking for the character itself.
    const strings = (v: unknown): string[] =>
      typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
    expect(strings(JSON.parse(text)).some((s) => s.includes('\u0000'))).toBe(expected);
  });
});

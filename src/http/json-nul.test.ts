import { describe, expect, it } from 'vitest';
import { jsonHasNul, readJsonText } from './json-nul.js';

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

describe('readJsonText', () => {
  it('reads JSON, refusing a NUL and malformed text, with lone surrogates made U+FFFD', () => {
    expect(readJsonText('{"a":"\\ud800x"}')).toEqual({ ok: true, value: { a: '\uFFFDx' } });
    expect(readJsonText('{"a":"\\u0000"}')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(readJsonText('{"a":')).toEqual({ ok: false, code: 'INVALID_JSON', message: 'the body is not valid JSON' });
  });

  it('refuses deep nesting when asked, and reads with the parser given', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    expect(readJsonText(deep, { limitDepth: true })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(readJsonText(deep).ok).toBe(true);
    expect(readJsonText('{"n":1}', { parse: () => ({ n: 'parsed' }) })).toEqual({ ok: true, value: { n: 'parsed' } });
  });
});

import { wellFormed } from '../domain/well-formed.js';
import { nestedDeeperThan } from '../ingest/validate.js';

/**
 * Whether JSON text encodes a NUL character (`\u0000` not itself escaped): PostgreSQL cannot
 * store NUL in text, so Storewire refuses it everywhere (SQLite would take it). `"C:\\u0000"`
 * — a backslash, then the letters — is not a NUL.
 */
export function jsonHasNul(text: string): boolean {
  if (!text.includes('\\u0000')) return false;
  return /(?:^|[^\\])(?:\\\\)*\\u0000/.test(text);
}

/** A UTF-16 surrogate written as a JSON escape (`\ud800`): the only way JSON text can carry a lone one. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/**
 * Lone UTF-16 surrogates replaced by U+FFFD (domain/well-formed.ts). `text` is the JSON the
 * value came from: only text with a surrogate escape needs the walk (valid UTF-8 bytes cannot
 * encode a lone surrogate).
 */
export function wellFormedJson<T>(value: T, text: string): T {
  if (!SURROGATE_ESCAPE.test(text)) return value;
  // The walk recurses: a body nested thousands deep is refused rather than overflow the stack.
  if (nestedDeeperThan(value, 1000)) {
    throw Object.assign(new Error('the body nests objects or arrays too deeply'), {
      statusCode: 400,
      code: 'BODY_TOO_DEEP',
    });
  }
  return wellFormed(value) as T;
}

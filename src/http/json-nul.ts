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

export type JsonRead =
  | { ok: true; value: unknown }
  | { ok: false; code: 'VALIDATION_FAILED' | 'INVALID_JSON'; message: string };

/**
 * A raw request body's text as JSON, the way every body is read: a NUL refused (PostgreSQL
 * cannot store it), malformed JSON refused, lone surrogates made U+FFFD. `parse` reads the
 * text (JSON.parse, or one keeping big ids exact); `limitDepth` refuses deep nesting before
 * anything walks the value.
 */
export function readJsonText(
  text: string,
  options: { parse?: (text: string) => unknown; limitDepth?: boolean } = {},
): JsonRead {
  if (jsonHasNul(text))
    return { ok: false, code: 'VALIDATION_FAILED', message: 'NUL characters (\\u0000) are not accepted' };
  let value: unknown;
  try {
    value = (options.parse ?? JSON.parse)(text);
  } catch {
    return { ok: false, code: 'INVALID_JSON', message: 'the body is not valid JSON' };
  }
  if (options.limitDepth && nestedDeeperThan(value))
    return { ok: false, code: 'VALIDATION_FAILED', message: 'the body nests objects or arrays too deeply' };
  try {
    return { ok: true, value: wellFormedJson(value, text) };
  } catch (error) {
    return { ok: false, code: 'VALIDATION_FAILED', message: (error as Error).message };
  }
}

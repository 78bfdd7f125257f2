import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Rejection } from '../domain/store-event.js';

export interface Checker {
  check(value: unknown, basePath?: string): Rejection | null;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * Compiles a schema once and reports the first problem as a JSON-pointer path and a sentence.
 * For a union ("string or number") the branch errors are folded into one message, since
 * "must match a schema in anyOf" tells a client nothing.
 */
export function checker(schema: TSchema): Checker {
  const validator = Compile(schema);
  return {
    check(value, basePath = '') {
      if (validator.Check(value)) return null;
      const errors = [...validator.Errors(value)] as SchemaError[];
      const union = errors.find((e) => e.keyword === 'anyOf');
      const first = union ?? errors[0]!;
      const path = basePath + first.instancePath;
      let message = first.message;
      if (union) {
        const types = errors
          .filter((e) => e.keyword === 'type' && e.instancePath === union.instancePath)
          .map((e) => String(e.params.type));
        const deeper = errors.find(
          (e) => e.instancePath.startsWith(union.instancePath) && e.instancePath !== union.instancePath,
        );
        if (deeper) return rejection(basePath + deeper.instancePath, deeper.message);
        // A value of the right kind that breaks a rule of its branch (a string too long): say the
        // rule, not the kinds it is not.
        const rule = errors.find(
          (e) => e.instancePath === union.instancePath && e.keyword !== 'type' && e.keyword !== 'anyOf',
        );
        if (rule) return rejection(path, rule.message);
        message = types.length > 0 ? `must be ${[...new Set(types)].join(' or ')}` : first.message;
      }
      return rejection(path, message);
    },
  };
}

function rejection(path: string, message: string): Rejection {
  const where = path === '' ? 'body' : path;
  return { code: 'VALIDATION_FAILED', message: `${where} ${message}`, path: where };
}

/** Deeper JSON than this is refused: no store event needs it, and serializing it can overflow the stack. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects/arrays deeper than `limit` (checked without recursion). */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current as object)) stack.push([child, depth + 1]);
  }
  return false;
}

export const tooDeep = (path = ''): Rejection => ({
  code: 'VALIDATION_FAILED',
  message: `${path || 'body'} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
  path: path || 'body',
});

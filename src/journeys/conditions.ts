import type { FieldCondition } from './definition.js';

/** The value at a dotted path ("event.data.payment_type") of the data a step sees; undefined when absent. */
export function valueAt(root: Record<string, unknown>, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const asNumber = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

/** Equal as the store would mean it: "258.0" equals 258, "COD" equals "cod" is not. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x === y;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return false;
}

export function holds(condition: FieldCondition, root: Record<string, unknown>): boolean {
  const v = valueAt(root, condition.field);
  const target = condition.value;
  switch (condition.op) {
    case 'exists':
      return v !== undefined && v !== null;
    case 'not_exists':
      return v === undefined || v === null;
    case 'eq':
      return same(v, target);
    case 'ne':
      return !same(v, target);
    case 'in':
      return Array.isArray(target) && target.some((t) => same(v, t));
    case 'contains':
      return Array.isArray(v)
        ? v.some((item) => same(item, target))
        : typeof v === 'string' && typeof target === 'string' && v.includes(target);
    default: {
      const x = asNumber(v);
      const y = asNumber(target);
      if (x === null || y === null) return false;
      return condition.op === 'gt' ? x > y : condition.op === 'gte' ? x >= y : condition.op === 'lt' ? x < y : x <= y;
    }
  }
}

export const allHold = (conditions: FieldCondition[] | undefined, root: Record<string, unknown>): boolean =>
  (conditions ?? []).every((c) => holds(c, root));

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The value with every lone UTF-16 surrogate (in strings and object keys) replaced by U+FFFD,
 * which is what both databases store for one. Without it an id holding one ("\ud800y") is
 * stored as "\ufffdy", a retry is not recognised as a duplicate, and runs into the unique
 * constraint forever.
 */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty: a "__proto__" key stays an own property, as JSON.parse made it.
      Object.defineProperty(out, wellFormed(key) as string, {
        value: wellFormed(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

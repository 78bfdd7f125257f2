/**
 * Batch endpoints take one item, an array of items, or an envelope {"<key>": [...]}.
 * `single` tells whether the client sent a lone item (its refusal is then a plain 400).
 */
export function splitBatchBody(body: unknown, envelopeKey: string): { items: unknown[]; single: boolean } | null {
  if (Array.isArray(body)) return { items: body, single: false };
  if (body && typeof body === 'object') {
    const inner = (body as Record<string, unknown>)[envelopeKey];
    if (Array.isArray(inner)) return { items: inner, single: false };
    return { items: [body], single: true };
  }
  return null;
}

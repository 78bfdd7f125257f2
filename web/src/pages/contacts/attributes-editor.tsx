/** A contact's custom fields as rows of name and value, and what a save sends of them. */

export interface AttributeRow {
  /** Stable across edits, for the inputs' ids and keys. */
  id: number;
  key: string;
  value: string;
  /** The stored value (undefined for a row added here): unchanged rows are not sent. */
  original?: unknown;
}

let nextRow = 0;
export const newRow = (key = '', original?: unknown): AttributeRow => ({
  id: nextRow++,
  key,
  value: original === undefined ? '' : shown(original),
  original,
});

/** A stored value as it is typed: text as it is, anything else as JSON. */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The rows of the stored attributes (the emptied ones, null, are not shown). */
export function rowsOf(attributes: Record<string, unknown>): AttributeRow[] {
  return Object.entries(attributes)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => newRow(key, value));
}

/**
 * What a save sends: new and changed fields only (the API merges them key by key). A value
 * that was a number, a flag or a list stays one when its new text reads as JSON; an emptied
 * field is sent as null. Returns the problem when two rows share a name or a value has none.
 */
export function changedAttributes(rows: AttributeRow[]): { attributes: Record<string, unknown> } | { problem: string } {
  const attributes: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (!key) {
      if (row.value.trim()) return { problem: 'A field has a value but no name.' };
      continue;
    }
    if (seen.has(key)) return { problem: `Two fields are named “${key}”.` };
    seen.add(key);
    if (row.original !== undefined && row.value === shown(row.original)) continue;
    if (row.value.trim() === '') {
      if (row.original !== undefined) attributes[key] = null;
      continue;
    }
    attributes[key] = typeof row.original === 'string' || row.original === undefined ? row.value : asJson(row.value);
  }
  return { attributes };
}

function asJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function AttributesEditor({
  rows,
  onChange,
}: {
  rows: AttributeRow[];
  onChange: (rows: AttributeRow[]) => void;
}) {
  const update = (id: number, patch: Partial<AttributeRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <fieldset class="attributes">
      <legend>Custom fields</legend>
      <p class="hint" id="attributes-hint">
        Anything your store knows about the shopper (tier, city, birthday…); templates and journeys can use them. Empty
        a value to clear it.
      </p>
      {rows.map((row, index) => (
        <div class="field-row attribute-row" key={row.id}>
          <div class="field">
            <label for={`attribute-key-${row.id}`}>Field {index + 1} name</label>
            <input
              id={`attribute-key-${row.id}`}
              value={row.key}
              maxLength={100}
              readOnly={row.original !== undefined}
              autoComplete="off"
              onInput={(e) => update(row.id, { key: (e.currentTarget as HTMLInputElement).value })}
            />
          </div>
          <div class="field">
            <label for={`attribute-value-${row.id}`}>
              {row.key.trim() ? `Value of ${row.key.trim()}` : `Field ${index + 1} value`}
            </label>
            <input
              id={`attribute-value-${row.id}`}
              value={row.value}
              autoComplete="off"
              onInput={(e) => update(row.id, { value: (e.currentTarget as HTMLInputElement).value })}
            />
          </div>
        </div>
      ))}
      <button
        type="button"
        class="button"
        aria-describedby="attributes-hint"
        onClick={() => onChange([...rows, newRow()])}
      >
        Add a field
      </button>
    </fieldset>
  );
}

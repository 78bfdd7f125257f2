/**
 * Meta's placeholders in template texts: positional {{1}}, {{2}}... or named {{first_name}}
 * (lowercase letters, digits and underscores, starting with a letter or underscore).
 */

export type PlaceholderFormat = 'positional' | 'named';

export interface Placeholder {
  /** As written, e.g. "{{first_name}}". */
  raw: string;
  /** What is between the braces: "first_name" or "1". */
  name: string;
  format: PlaceholderFormat | 'invalid';
  /** Where it starts in the text. */
  at: number;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const POSITIONAL = /^[1-9][0-9]*$/;
const NAMED = /^[a-z_][a-z0-9_]*$/;

export function placeholdersIn(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    const format = POSITIONAL.test(name) ? 'positional' : NAMED.test(name) ? 'named' : 'invalid';
    found.push({ raw: match[0], name, format, at: match.index! });
  }
  return found;
}

/** The distinct placeholder names of a text, in the order a request lists their values. */
export function distinctNames(text: string): string[] {
  const names = [
    ...new Set(
      placeholdersIn(text)
        .filter((p) => p.format !== 'invalid')
        .map((p) => p.name),
    ),
  ];
  return names.every((n) => POSITIONAL.test(n)) ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

/** The text with each placeholder replaced by its value (left as written when there is none). */
export function fillPlaceholders(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (raw, name: string) => values.get(name) ?? raw);
}

export const isPlaceholderName = (name: string) => POSITIONAL.test(name) || NAMED.test(name);

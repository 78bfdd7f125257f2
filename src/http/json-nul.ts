/**
 * Whether JSON text encodes a NUL character (`\u0000` not itself escaped): PostgreSQL cannot
 * store NUL in text, so Storewire refuses it everywhere (SQLite would take it). `"C:\\u0000"`
 * — a backslash, then the letters — is not a NUL.
 */
export function jsonHasNul(text: string): boolean {
  if (!text.includes('\\u0000')) return false;
  return /(?:^|[^\\])(?:\\\\)*\\u0000/.test(text);
}

/**
 * JSON.parse for payloads whose ids outgrow a double: Shopify's ids are 64-bit integers sent
 * as JSON numbers (820982911946154508 would come back as 820982911946154500). Integers beyond
 * Number.MAX_SAFE_INTEGER are read as their exact digits, as strings; everything else is what
 * JSON.parse gives. One pass over the text, strings skipped, before JSON.parse does the rest
 * (and reports malformed JSON as usual).
 */
export function parseJsonKeepingBigInts(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

const isDigit = (code: number) => code >= 48 && code <= 57;

export function quoteBigIntegers(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      i++;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) break;
        else i++;
      }
      i++;
      continue;
    }
    if (code === 45 /* - */ || isDigit(code)) {
      const start = i;
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const next = i < n ? text[i] : '';
      const integer = next !== '.' && next !== 'e' && next !== 'E';
      // 16 digits or more may not be safe; fewer always are.
      if (integer && i - start >= 16) {
        const token = text.slice(start, i);
        if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) {
          out += `${text.slice(copiedUpTo, start)}"${token}"`;
          copiedUpTo = i;
        }
      }
      // Skip the rest of a number (fraction, exponent) so its digits are not read again.
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/**
 * Money is kept as an integer count of the currency's minor unit (cents, paise), converted
 * from the decimal text a store sends without going through floating point, so totals compare
 * and add up exactly.
 */

const exponentCache = new Map<string, number>();

/** Digits after the decimal point for a currency (2 when unknown or absent). */
export function currencyExponent(currency: string | null | undefined): number {
  if (!currency) return 2;
  const code = currency.toUpperCase();
  let exponent = exponentCache.get(code);
  if (exponent === undefined) {
    try {
      exponent =
        new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    exponentCache.set(code, exponent);
  }
  return exponent;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses "258.0", 990, "1,299.50"-free decimals into minor units, rounding half away from zero
 * when more digits are given than the currency has. Returns null for anything that is not a
 * finite decimal number.
 */
export function toMinor(value: unknown, currency?: string | null): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // Shortest round-trip text of the double, e.g. 11.99 -> "11.99", never 11.990000000000000213.
    text = String(value);
    if (/e/i.test(text)) text = value.toFixed(12);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const exponent = currencyExponent(currency);
  const sign = match[1] === '-' ? -1 : 1;
  const whole = match[2] || '0';
  const fraction = (match[3] ?? '').padEnd(exponent + 1, '0');
  const kept = fraction.slice(0, exponent);
  const roundDigit = Number(fraction[exponent]);
  let minor = Number(whole + kept);
  if (roundDigit >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return null;
  return minor === 0 ? 0 : sign * minor; // never -0
}

/** A decimal amount (a number or decimal text, "414.95") as a JSON number in the currency's digits; null if it is none. */
export function decimalAmount(value: unknown, currency?: string | null): number | null {
  return fromMinor(toMinor(value, currency), currency);
}

/** A discount as seed 004 writes it: a deduction, so negative (350 off -> -350); 0 without one. */
export function deduction(value: unknown, currency?: string | null): number | null {
  const amount = decimalAmount(value, currency);
  return amount === null || amount === 0 ? amount : -Math.abs(amount);
}

/** Minor units back to a JSON number in major units (25800 -> 258). */
export function fromMinor(minor: number | null, currency?: string | null): number | null {
  if (minor === null) return null;
  const exponent = currencyExponent(currency);
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

import { Liquid, type Template } from 'liquidjs';
import { currencyExponent, toMinor } from '../../domain/money.js';

/**
 * The Liquid engine template parameters are written in. Strict: a variable that is not there
 * or an unknown filter is an error, never an empty string sent to a shopper. It reads no
 * files ({% include %} finds nothing) and a render is bounded in time and memory, since the
 * expressions come from API clients.
 */
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  templates: {},
  parseLimit: 100_000,
  renderLimit: 200,
  memoryLimit: 1_000_000,
});

/** "258" -> "258.00" in the currency's minor digits (INR 2, JPY 0); `money: order.currency`. */
export function formatMoney(value: unknown, currency?: unknown): string {
  const code = typeof currency === 'string' && currency !== '' ? currency : null;
  const minor = toMinor(value, code);
  if (minor === null) return value === null || value === undefined ? '' : String(value);
  const exponent = currencyExponent(code);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? sign + digits : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** "258" with "INR" -> "₹258.00"; a currency Intl does not know -> "XYZ 258.00". */
export function formatMoneyWithCurrency(value: unknown, currency?: unknown): string {
  const amount = formatMoney(value, currency);
  if (amount === '' || typeof currency !== 'string' || currency === '') return amount;
  const code = currency.toUpperCase();
  try {
    const exponent = currencyExponent(code);
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency: code,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(Number(amount));
  } catch {
    return `${code} ${amount}`;
  }
}

engine.registerFilter('money', formatMoney);
engine.registerFilter('money_with_currency', formatMoneyWithCurrency);

const parsed = new Map<string, Template[]>();
const MAX_CACHED = 10_000;

/** Parses (once per distinct source) or throws the Liquid error. */
function parse(source: string): Template[] {
  let templates = parsed.get(source);
  if (!templates) {
    templates = engine.parse(source);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(source, templates);
  }
  return templates;
}

/** Why a Liquid source does not parse, or null when it does. */
export function liquidSyntaxError(source: string): string | null {
  try {
    parse(source);
    return null;
  } catch (error) {
    return cleanMessage(error);
  }
}

export type LiquidOutcome = { ok: true; text: string } | { ok: false; undefinedVariable: boolean; message: string };

export function renderLiquid(source: string, context: object): LiquidOutcome {
  try {
    return { ok: true, text: String(engine.renderSync(parse(source), context)) };
  } catch (error) {
    return {
      ok: false,
      undefinedVariable: (error as Error)?.name === 'UndefinedVariableError',
      message: cleanMessage(error),
    };
  }
}

/** Liquid's message without the ", line:1, col:4" a one-line expression does not need. */
function cleanMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, line:\d+, col:\d+$/, '');
}

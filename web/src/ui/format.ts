/** How the dashboard writes times, money and codes, in the reader's own locale. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const wallClock = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** An ISO time from the API, in the reader's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/**
 * Seed 004's order times ("2023-12-19 09:22:09") are the store's local time and carry no zone:
 * shown as that wall-clock time, without the seconds.
 */
export function formatStoreLocal(text: string | null | undefined): string {
  if (!text) return '—';
  // An ISO time with its zone (the order list's) is a moment: shown in the reader's zone.
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return formatTime(text);
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(text);
  if (!match) return text;
  // The wall-clock time as written, in the same words as every other time (no zone conversion).
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return wallClock.format(new Date(Date.UTC(year, month - 1, day, hour, minute)));
}

export function formatMoney(amount: number | null | undefined, currency: string | null | undefined): string {
  if (amount === null || amount === undefined) return '—';
  if (!currency) return String(amount);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** `out_for_delivery` → "Out for delivery"; `IN_PROGRESS` → "In progress". */
export function humanize(code: string | null | undefined): string {
  if (!code) return '—';
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const CHANNELS: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', sandbox: 'Sandbox' };

/** A channel's proper name ("WhatsApp", not "Whatsapp"). */
export function channelName(channel: string | null | undefined): string {
  return CHANNELS[channel ?? ''] ?? humanize(channel);
}

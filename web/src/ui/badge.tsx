import { humanize } from './format.js';

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

const TONES: Record<string, Tone> = {
  delivered: 'good',
  read: 'good',
  active: 'good',
  replied: 'good',
  sent: 'info',
  in_progress: 'info',
  out_for_delivery: 'info',
  shipped: 'info',
  queued: 'neutral',
  sending: 'neutral',
  initialized: 'neutral',
  created: 'neutral',
  packed: 'neutral',
  failed: 'bad',
  failed_delivery: 'bad',
  cancelled: 'bad',
  rto: 'bad',
  inactive: 'warn',
  abandoned_shopping_cart: 'warn',
};

/** A status in words with a colour that repeats it (never the colour alone). */
export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const tone = TONES[(status ?? '').toLowerCase()] ?? 'neutral';
  return <span class={`badge badge-${tone}`}>{label ?? humanize(status)}</span>;
}

import { fromMinor } from '../../domain/money.js';
import type { ContactRecord, OrderRecord, ShipmentRecord } from '../../domain/records.js';
import { currentNdr, latestEntry } from '../../domain/shipment-rules.js';
import type { Store } from '../../domain/store.js';
import { type FormAction, issueFormToken } from './form-token.js';

/** Everything the tracking page shows, in words and formats a shopper reads. */
export interface TrackingView {
  token: string;
  storeName: string;
  logoUrl: string | null;
  accentColor: string | null;
  orderNumber: string;
  placedAt: Moment;
  status: string;
  total: string | null;
  items: {
    name: string;
    quantity: number;
    unitPrice: string | null;
    lineTotal: string | null;
    imageUrl: string | null;
    url: string | null;
  }[];
  invoiceUrls: string[];
  shipments: ShipmentView[];
  whatsapp: { subscribed: true; phone: string } | { subscribed: false; formToken: string } | null;
  notice: { ok: boolean; text: string } | null;
}

export interface Moment {
  iso: string;
  text: string;
}

export interface ShipmentView {
  shipmentId: string;
  courier: string | null;
  trackingId: string | null;
  status: string;
  log: { at: Moment; status: string; remark: string; location: string }[];
  /** A failed delivery: the resolutions to choose from (with the form's token), or the choice made. */
  ndr:
    | { chosen: null; reason: string | null; resolutions: { code: string; action: string }[]; formToken: string }
    | { chosen: { action: string; at: Moment } }
    | null;
}

const ORDER_STATUS_WORDS: Record<string, string> = {
  INITIALIZED: 'Order placed',
  IN_PROGRESS: 'In progress',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
  ABANDONED_SHOPPING_CART: 'Not completed',
};

const SHIPMENT_STATUS_WORDS: Record<string, string> = {
  rto_initiated: 'Return to the seller started',
  rto_in_transit: 'Returning to the seller',
  rto_delivered: 'Returned to the seller',
};

export const shipmentStatusWords = (status: string) => {
  const words = SHIPMENT_STATUS_WORDS[status] ?? status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Only web links become links or images: never javascript: or data: from the store's data. */
export function webUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "+91 ••••••6382": enough for the shopper to recognise their number, not enough to read it off a shared screen. */
export const maskPhone = (e164: string) =>
  `${e164.slice(0, 3)} ${'•'.repeat(Math.max(0, e164.length - 7))}${e164.slice(-4)}`;

export interface ViewInput {
  store: Store;
  order: OrderRecord;
  token: string;
  shipments: ShipmentRecord[];
  contact: ContactRecord | null;
  notice: TrackingView['notice'];
  now: number;
}

export function trackingView(input: ViewInput): TrackingView {
  const { store, order, token, now } = input;
  const { state } = order;
  const locale = `en-${store.defaultCountry}`;
  const moment = (at: number): Moment => ({
    iso: new Date(at).toISOString(),
    text: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: store.timeZone }).format(
      at,
    ),
  });
  const money = (minor: number) => {
    const amount = fromMinor(minor, state.currency);
    if (amount === null) return null;
    if (!state.currency) return amount.toLocaleString(locale);
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: state.currency }).format(amount);
    } catch {
      return `${amount} ${state.currency}`;
    }
  };
  const form = (action: FormAction) => issueFormToken(token, action, now);
  const number = state.attributes.customerOrderNumber;
  const invoices = [state.attributes.invoiceUrl, ...state.items.map((i) => i.extra.invoiceUrl)].map(webUrl);
  const contact = input.contact;
  return {
    token,
    storeName: store.name,
    logoUrl: webUrl(store.settings.logoUrl),
    accentColor: store.settings.accentColor,
    orderNumber: typeof number === 'string' || typeof number === 'number' ? String(number) : order.orderId,
    placedAt: moment(state.orderedAt),
    status: ORDER_STATUS_WORDS[state.status] ?? state.status,
    total: money(state.totalMinor),
    items: state.items.map((item) => ({
      name: item.name,
      quantity: item.quantity,
      unitPrice: money(item.costMinor),
      lineTotal: money(item.costMinor * item.quantity),
      imageUrl: webUrl(item.imageUrl),
      url: webUrl(item.url),
    })),
    invoiceUrls: [...new Set(invoices.filter((u): u is string => !!u))],
    shipments: [...input.shipments]
      .sort((a, b) => (latestEntry(b.log)?.occurredAt ?? 0) - (latestEntry(a.log)?.occurredAt ?? 0))
      .map((shipment) => shipmentView(shipment, moment, () => form('delivery'))),
    whatsapp: !contact?.phone
      ? null
      : contact.whatsappStatus === 'ACTIVE'
        ? { subscribed: true, phone: maskPhone(contact.phone) }
        : { subscribed: false, formToken: form('whatsapp') },
    notice: input.notice,
  };
}

/** The choice the shopper made about the shipment's latest failed delivery, if they made one since it failed. */
export function choiceForLatestFailure(shipment: ShipmentRecord) {
  const latest = latestEntry(shipment.log);
  const chosen = shipment.ndrResolution;
  // A choice answers the failed delivery it followed; a later failed attempt asks again.
  return latest?.status === 'failed_delivery' && chosen && Date.parse(chosen.chosenAt) >= latest.occurredAt
    ? chosen
    : null;
}

function shipmentView(shipment: ShipmentRecord, moment: (at: number) => Moment, formToken: () => string): ShipmentView {
  const latest = latestEntry(shipment.log);
  const offered = latest?.status === 'failed_delivery' ? currentNdr(shipment.log) : null;
  const chosen = choiceForLatestFailure(shipment);
  let ndr: ShipmentView['ndr'] = null;
  if (chosen) ndr = { chosen: { action: chosen.action ?? chosen.title, at: moment(Date.parse(chosen.chosenAt)) } };
  else if (offered && offered.resolutions.length > 0)
    ndr = {
      chosen: null,
      reason: offered.reason,
      resolutions: offered.resolutions.map((r) => ({ code: r.resolutionCode, action: r.action })),
      formToken: formToken(),
    };
  return {
    shipmentId: shipment.shipmentId,
    courier: shipment.courierName,
    trackingId: shipment.trackingId,
    status: latest ? shipmentStatusWords(latest.status) : 'Created',
    log: [...shipment.log].reverse().map((entry) => ({
      at: moment(entry.occurredAt),
      status: shipmentStatusWords(entry.status),
      remark: entry.remark,
      location: entry.location,
    })),
    ndr,
  };
}

import { catchFailure, invalid, missing, type Preview, type Rendered, type RenderResult } from './result.js';
import type { MessengerTemplateDefinition } from './schema.js';

/**
 * Messenger's structured messages built from a send request's params (seed 002): the order
 * receipt and the shipping status update. Every store has the two seed templates without
 * creating them; a store may replace one by PUTting a template of the same name.
 */

export interface BuiltInTemplate {
  name: string;
  description: string;
  definition: MessengerTemplateDefinition;
}

export const builtInTemplates: readonly BuiltInTemplate[] = [
  {
    name: 'Order Receipt Push',
    description: 'Seed 002: a Messenger receipt for an order, from params.receipt.',
    definition: { channel: 'messenger', type: 'receipt', category: 'utility' },
  },
  {
    name: 'Shipping Status Update Push',
    description:
      'Seed 002: a Messenger card with the package status and a "Track package" button, from params package_number, package_status, package_status_description, image_url, detailed_tracking_url, fb_first_name.',
    definition: { channel: 'messenger', type: 'shipping_update', category: 'utility' },
  },
];

export function builtInTemplate(name: string): BuiltInTemplate | null {
  return builtInTemplates.find((t) => t.name === name) ?? null;
}

const DEFAULT_BUTTON_TITLE = 'Track package';
/** Messenger's limits for a generic template element's title and subtitle. */
const MAX_TITLE = 80;
const MAX_SUBTITLE = 80;
const MAX_ELEMENTS = 100;

/**
 * Builds the Messenger Send API body (without `recipient`) for a Messenger template or the
 * name of a built-in one, from the request's params. The first missing or malformed field is
 * named by its path in params, e.g. "receipt.summary.total_cost".
 */
export function renderFromParams(
  template: MessengerTemplateDefinition | string,
  params: Record<string, unknown>,
): RenderResult {
  const def = typeof template === 'string' ? builtInTemplate(template)?.definition : template;
  if (!def) throw new TypeError(`no built-in template named ${JSON.stringify(template)}`);
  return catchFailure(() => (def.type === 'receipt' ? receipt(def, params) : shippingUpdate(def, params)));
}

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const NUMBER = /^-?\d+(\.\d+)?$/;

function send(def: MessengerTemplateDefinition, kind: Rendered['kind'], payload: Obj, preview: Preview): Rendered {
  return {
    ok: true,
    channel: 'messenger',
    kind,
    category: 'utility',
    payload: {
      messaging_type: 'MESSAGE_TAG',
      tag: def.tag ?? 'POST_PURCHASE_UPDATE',
      message: { attachment: { type: 'template', payload } },
    },
    preview,
  };
}

/** Reads fields of one object of the params, naming each by its path. */
class Fields {
  constructor(
    private readonly obj: Obj,
    private readonly at: string,
  ) {}

  private path(key: string) {
    return this.at ? `${this.at}.${key}` : key;
  }

  has(key: string) {
    return !isBlank(this.obj[key]);
  }

  text(key: string): string {
    const value = this.obj[key];
    if (isBlank(value)) throw missing(this.path(key), `${this.path(key)} is required`);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') throw invalid(this.path(key), `${this.path(key)} must be text`);
    return value;
  }

  optionalText(key: string): string | undefined {
    return this.has(key) ? this.text(key) : undefined;
  }

  number(key: string): number {
    const value = this.obj[key];
    if (isBlank(value)) throw missing(this.path(key), `${this.path(key)} is required`);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
    throw invalid(this.path(key), `${this.path(key)} must be a number, not ${JSON.stringify(value)}`);
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  currency(key: string): string {
    const code = this.text(key).trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code))
      throw invalid(
        this.path(key),
        `${this.path(key)} must be a three-letter currency code (ISO 4217), not ${JSON.stringify(this.obj[key])}`,
      );
    return code;
  }

  url(key: string): string {
    const value = this.text(key).trim();
    let ok = false;
    try {
      const protocol = new URL(value).protocol;
      ok = (protocol === 'https:' || protocol === 'http:') && !/\s/.test(value);
    } catch {
      ok = false;
    }
    if (!ok) throw invalid(this.path(key), `${this.path(key)} must be an http(s) URL, not ${JSON.stringify(value)}`);
    return value;
  }

  optionalUrl(key: string): string | undefined {
    return this.has(key) ? this.url(key) : undefined;
  }

  /** An object field (a JSON string of one is read too). */
  object(key: string): Fields {
    let value = this.obj[key];
    if (isBlank(value)) throw missing(this.path(key), `${this.path(key)} is required`);
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        // reported below
      }
    }
    if (!isObject(value)) throw invalid(this.path(key), `${this.path(key)} must be an object`);
    return new Fields(value, this.path(key));
  }

  list(key: string, max: number): Fields[] {
    const value = this.obj[key];
    if (!Array.isArray(value)) throw invalid(this.path(key), `${this.path(key)} must be a list`);
    if (value.length > max) throw invalid(this.path(key), `${this.path(key)} has more than ${max} entries`);
    return value.map((entry, i) => {
      if (!isObject(entry)) throw invalid(`${this.path(key)}[${i}]`, `${this.path(key)}[${i}] must be an object`);
      return new Fields(entry, `${this.path(key)}[${i}]`);
    });
  }

  raw(key: string): unknown {
    return this.obj[key];
  }
}

/** Puts only the defined values into an object, in the order given. */
function compact(entries: [string, unknown][]): Obj {
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function receipt(def: MessengerTemplateDefinition, params: Obj): Rendered {
  const r = new Fields(params, '').object('receipt');
  const recipientName = r.text('recipient_name');
  const merchantName = r.optionalText('merchant_name');
  const orderNumber = r.text('order_number');
  const currency = r.currency('currency');
  const paymentMethod = r.text('payment_method');
  const orderUrl = r.optionalUrl('order_url');

  let timestamp: string | number | undefined;
  if (r.has('timestamp')) {
    const value = r.raw('timestamp');
    if (
      !(
        (typeof value === 'string' && /^\d+$/.test(value)) ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0)
      )
    ) {
      throw invalid(
        'receipt.timestamp',
        `receipt.timestamp must be a Unix time in seconds, not ${JSON.stringify(value)}`,
      );
    }
    timestamp = value;
  }

  let address: Obj | undefined;
  if (r.has('address')) {
    const a = r.object('address');
    const street2 = a.raw('street_2');
    address = compact([
      ['street_1', a.text('street_1')],
      ['street_2', typeof street2 === 'string' ? street2 : a.optionalText('street_2')],
      ['city', a.text('city')],
      ['postal_code', a.text('postal_code')],
      ['state', a.text('state')],
      ['country', a.text('country')],
    ]);
  }

  const s = r.object('summary');
  const summary = compact([
    ['subtotal', s.optionalNumber('subtotal')],
    ['shipping_cost', s.optionalNumber('shipping_cost')],
    ['total_tax', s.optionalNumber('total_tax')],
    ['total_cost', s.number('total_cost')],
  ]);

  const adjustments =
    r.raw('adjustments') === undefined
      ? undefined
      : r.list('adjustments', MAX_ELEMENTS).map((a) => ({ name: a.text('name'), amount: a.number('amount') }));

  const elements =
    r.raw('elements') === undefined
      ? undefined
      : r.list('elements', MAX_ELEMENTS).map((e) =>
          compact([
            ['title', e.text('title')],
            ['subtitle', e.optionalText('subtitle')],
            ['quantity', e.optionalNumber('quantity')],
            ['price', e.number('price')],
            ['currency', e.has('currency') ? e.currency('currency') : undefined],
            ['image_url', e.optionalUrl('image_url')],
          ]),
        );

  const sharable = r.raw('sharable');
  if (sharable !== undefined && typeof sharable !== 'boolean')
    throw invalid('receipt.sharable', 'receipt.sharable must be true or false');

  const payload = compact([
    ['template_type', 'receipt'],
    ['recipient_name', recipientName],
    ['merchant_name', merchantName],
    ['order_number', orderNumber],
    ['currency', currency],
    ['payment_method', paymentMethod],
    ['order_url', orderUrl],
    ['timestamp', timestamp],
    ['address', address],
    ['summary', summary],
    ['adjustments', adjustments],
    ['elements', elements],
    ['sharable', sharable],
  ]);

  const lines = (elements ?? []).map(
    (e) =>
      `${e.title}${e.quantity !== undefined ? ` × ${e.quantity}` : ''}: ${e.price} ${(e.currency as string | undefined) ?? currency}`,
  );
  return send(def, 'receipt', payload, {
    header: { format: 'text', text: `Order ${orderNumber}` },
    body: [`Receipt for ${recipientName}`, ...lines, `Total: ${summary.total_cost as number} ${currency}`].join('\n'),
    footer: `Paid with ${paymentMethod}`,
    buttons: [],
  });
}

function shippingUpdate(def: MessengerTemplateDefinition, params: Obj): Rendered {
  const p = new Fields(params, '');
  const number = p.text('package_number').trim();
  const status = p.text('package_status').trim().replace(/_/g, ' ');
  const description = p.optionalText('package_status_description')?.trim();
  const image = p.optionalUrl('image_url');
  const tracking = p.url('detailed_tracking_url');
  const firstName = p.optionalText('fb_first_name')?.trim();
  const buttonTitle = def.buttonTitle ?? DEFAULT_BUTTON_TITLE;

  const title = clip(
    firstName ? `Hi ${firstName}, package ${number} is ${status}` : `Package ${number} is ${status}`,
    MAX_TITLE,
  );
  const subtitle = description ? clip(description, MAX_SUBTITLE) : undefined;
  const element = compact([
    ['title', title],
    ['subtitle', subtitle],
    ['image_url', image],
    ['default_action', { type: 'web_url', url: tracking }],
    ['buttons', [{ type: 'web_url', url: tracking, title: buttonTitle }]],
  ]);
  return send(
    def,
    'shipping_update',
    { template_type: 'generic', elements: [element] },
    {
      header: image ? { format: 'image', link: image } : null,
      body: subtitle ? `${title}\n${subtitle}` : title,
      footer: null,
      buttons: [{ type: 'url', text: buttonTitle, url: tracking }],
    },
  );
}

/** Messenger cuts long titles itself; cutting here keeps the preview true to what is shown. */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

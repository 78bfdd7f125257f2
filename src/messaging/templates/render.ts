import { renderLiquid } from './liquid.js';
import type { MergeData } from './merge-data.js';
import { renderFromParams } from './messenger.js';
import { distinctNames, fillPlaceholders, placeholdersIn, type PlaceholderFormat } from './placeholders.js';
import {
  catchFailure,
  invalid,
  missing,
  type Preview,
  type PreviewButton,
  type PreviewHeader,
  type Rendered,
  type RenderResult,
} from './result.js';
import type {
  TemplateButton,
  TemplateCarouselCard,
  TemplateDefinition,
  TemplateHeader,
  WhatsAppTemplateDefinition,
} from './schema.js';
import { parameterFormatOf } from './slots.js';

export type { MergeData } from './merge-data.js';
export type { Preview, RenderError, RenderResult, Rendered } from './result.js';

/**
 * Renders a stored template for one message: each parameter's Liquid over the merge data,
 * checked as WhatsApp would check it, into the provider's request body (without the
 * recipient) and a preview of what the shopper will read. Stops at the first parameter that
 * is missing or malformed and names it; nothing is sent for a template that fails here.
 * Messenger templates are built from `data.params` (see messenger.ts).
 */
export async function renderTemplate(def: TemplateDefinition, name: string, data: MergeData): Promise<RenderResult> {
  if (def.channel === 'messenger') return renderFromParams(def, data.params ?? {});
  return catchFailure(() => renderWhatsApp(def, name, data));
}

type Component = Record<string, unknown>;

const TEXT_RULE = /[\n\t]| {5,}/;
const MAX_URL = 2000;
const MAX_COUPON = 15;

function renderWhatsApp(def: WhatsAppTemplateDefinition, name: string, data: MergeData): Rendered {
  const format = parameterFormatOf(def);
  const values = new Values(def, data);
  const components: Component[] = [];
  const preview: Preview = { header: null, body: '', footer: def.footer?.text ?? null, buttons: [] };

  if (def.header) {
    const header = renderHeader(def.header, 'header', values, format);
    if (header.component) components.push(header.component);
    preview.header = header.preview;
  }

  const body = renderBody(def.body.text, '', values, format);
  if (body.component) components.push(body.component);
  preview.body = body.text;

  if (def.carousel) {
    preview.cards = [];
    const cards = def.carousel.cards.map((card, i) => {
      const header = renderHeader(card.header, `card.${i}.header`, values, format);
      const cardBody = renderBody(card.body.text, `card.${i}.`, values, format);
      const buttons = (card.buttons ?? []).map((button, j) => renderButton(button, j, `card.${i}.button.${j}`, values));
      preview.cards!.push({ header: header.preview, body: cardBody.text, buttons: buttons.map((b) => b.preview) });
      const cardComponents = [header.component, cardBody.component, ...buttons.map((b) => b.component)].filter(
        (c): c is Component => c !== null,
      );
      return { card_index: i, components: cardComponents };
    });
    components.push({ type: 'carousel', cards });
  }

  (def.buttons ?? []).forEach((button, i) => {
    const rendered = renderButton(button, i, `button.${i}`, values);
    if (rendered.component) components.push(rendered.component);
    preview.buttons.push(rendered.preview);
  });

  return {
    ok: true,
    channel: 'whatsapp',
    kind: 'template',
    category: def.category,
    payload: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      type: 'template',
      template: { name, language: { code: def.language }, components },
    },
    preview,
  };
}

/** Renders parameter expressions, checking each value as WhatsApp will. */
class Values {
  constructor(
    private readonly def: WhatsAppTemplateDefinition,
    private readonly data: MergeData,
  ) {}

  /** The value of parameter `key` (or of an expression given in the component itself). */
  get(key: string, inline?: string, check?: (value: string) => string | null): string {
    const source = inline ?? this.def.parameters?.[key];
    if (source === undefined) throw missing(key, `parameter ${key}: the template gives no expression for it`);
    const out = renderLiquid(source, this.data);
    if (!out.ok) {
      if (out.undefinedVariable)
        throw missing(key, `parameter ${key}: ${out.message} (in ${JSON.stringify(source)}) for this message`);
      throw invalid(key, `parameter ${key}: ${out.message} (in ${JSON.stringify(source)})`);
    }
    const value = out.text.trim();
    if (value === '')
      throw missing(key, `parameter ${key} is empty: ${JSON.stringify(source)} renders nothing for this message`);
    const problem = check?.(value);
    if (problem)
      throw invalid(
        key,
        `parameter ${key} ${problem}: ${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}`,
      );
    return value;
  }

  has(key: string): boolean {
    return this.def.parameters?.[key] !== undefined;
  }
}

const textParameter = (max: number) => (value: string) => {
  if (TEXT_RULE.test(value))
    return 'has a newline, a tab or more than 4 spaces in a row, which WhatsApp refuses in a template parameter';
  if (value.length > max) return `is longer than the ${max} characters WhatsApp allows here`;
  return null;
};

const isHttpsUrl = (value: string) => {
  try {
    return new URL(value).protocol === 'https:' && !/\s/.test(value);
  } catch {
    return false; // not a URL at all
  }
};
/** The id WhatsApp answers a media upload with: digits. */
const isMediaId = (value: string) => /^\d{1,64}$/.test(value);

const httpsUrl = (value: string) => (isHttpsUrl(value) ? null : 'is not an https URL, which WhatsApp needs for media');
const mediaId = (value: string) =>
  isMediaId(value) ? null : 'is not a WhatsApp media id (the digits a media upload answers with)';
const linkOrMediaId = (value: string) =>
  isHttpsUrl(value) || isMediaId(value)
    ? null
    : 'is neither an https URL nor a WhatsApp media id, which WhatsApp needs for media';

function textParam(name: string, format: PlaceholderFormat, text: string): Component {
  return format === 'named' ? { type: 'text', parameter_name: name, text } : { type: 'text', text };
}

function renderHeader(
  header: TemplateHeader | TemplateCarouselCard['header'],
  key: string,
  values: Values,
  format: PlaceholderFormat,
): { component: Component | null; preview: PreviewHeader } {
  if (header.format === 'text') {
    const placeholder = placeholdersIn(header.text).find((p) => p.format !== 'invalid');
    if (!placeholder) return { component: null, preview: { format: 'text', text: header.text } };
    const value = values.get(key, undefined, textParameter(60));
    return {
      component: { type: 'header', parameters: [textParam(placeholder.name, format, value)] },
      preview: { format: 'text', text: fillPlaceholders(header.text, new Map([[placeholder.name, value]])) },
    };
  }
  // By link or by the id of uploaded media: as the template writes it, else as the parameter's value reads.
  const value =
    header.id !== undefined
      ? values.get(key, header.id, mediaId)
      : values.get(key, header.link, header.link !== undefined ? httpsUrl : linkOrMediaId);
  const media: Record<string, string> = isHttpsUrl(value) ? { link: value } : { id: value };
  if (header.format === 'document' && 'filename' in header && header.filename !== undefined)
    media.filename = values.get(`${key}.filename`, header.filename, textParameter(240));
  return {
    component: { type: 'header', parameters: [{ type: header.format, [header.format]: media }] },
    preview: { format: header.format, ...media },
  };
}

function renderBody(
  text: string,
  keyPrefix: string,
  values: Values,
  format: PlaceholderFormat,
): { component: Component | null; text: string } {
  const names = distinctNames(text);
  if (names.length === 0) return { component: null, text };
  const filled = new Map<string, string>();
  const parameters = names.map((name) => {
    const value = values.get(keyPrefix + name, undefined, textParameter(1024));
    filled.set(name, value);
    return textParam(name, format, value);
  });
  return { component: { type: 'body', parameters }, text: fillPlaceholders(text, filled) };
}

function renderButton(
  button: TemplateButton,
  index: number,
  key: string,
  values: Values,
): { component: Component | null; preview: PreviewButton } {
  const component = (subType: string, parameter: Component): Component => ({
    type: 'button',
    sub_type: subType,
    index: String(index),
    parameters: [parameter],
  });
  switch (button.type) {
    case 'quick_reply': {
      if (button.payload === undefined && !values.has(key))
        return { component: null, preview: { type: 'quick_reply', text: button.text } };
      const payload = values.get(key, button.payload);
      return {
        component: component('quick_reply', { type: 'payload', payload }),
        preview: { type: 'quick_reply', text: button.text, payload },
      };
    }
    case 'url': {
      const placeholder = placeholdersIn(button.url)[0];
      if (!placeholder) return { component: null, preview: { type: 'url', text: button.text, url: button.url } };
      const base = button.url.slice(0, placeholder.at);
      const suffix = values.get(key, undefined, (value) => urlSuffixProblem(base, value));
      return {
        component: component('url', { type: 'text', text: suffix }),
        preview: { type: 'url', text: button.text, url: base + suffix },
      };
    }
    case 'copy_code': {
      const code = values.get(key, button.code, (value) =>
        value.length > MAX_COUPON ? `is longer than the ${MAX_COUPON} characters of a coupon code` : null,
      );
      return {
        component: component('copy_code', { type: 'coupon_code', coupon_code: code }),
        preview: { type: 'copy_code', text: 'Copy code', code },
      };
    }
    case 'catalog': {
      const thumbnail = values.has(key) ? values.get(key) : null;
      const action = thumbnail ? { thumbnail_product_retailer_id: thumbnail } : {};
      return {
        component: component('catalog', { type: 'action', action }),
        preview: { type: 'catalog', text: button.text },
      };
    }
    case 'phone_number':
      return { component: null, preview: { type: 'phone_number', text: button.text, phone: button.phone } };
  }
}

function urlSuffixProblem(base: string, suffix: string): string | null {
  if (/\s/.test(suffix)) return 'has spaces, which a URL cannot';
  const url = base + suffix;
  if (url.length > MAX_URL) return `makes a URL longer than ${MAX_URL} characters`;
  try {
    new URL(url);
    return null;
  } catch {
    return 'does not make a valid URL';
  }
}

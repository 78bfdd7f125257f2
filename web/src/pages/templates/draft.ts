import type { Role } from '../../api/types.js';
import type { TemplateDefinition, TemplateProblem } from '../../api/templates.js';

/**
 * The editor's form and the definition it stands for. The form only arranges what the user
 * types; every rule about what makes a template valid stays in the API (POST …/validate).
 */

export type ButtonType = 'quick_reply' | 'url' | 'copy_code' | 'catalog' | 'phone_number';

export interface ButtonForm {
  type: ButtonType;
  text: string;
  url: string;
  phone: string;
  payload: string;
  code: string;
}

export interface CardForm {
  format: 'image' | 'video';
  link: string;
  /** The id WhatsApp gave uploaded media (instead of a link). */
  id: string;
  body: string;
  buttons: ButtonForm[];
}

export interface ParamRow {
  key: string;
  value: string;
}

export interface WhatsAppForm {
  channel: 'whatsapp';
  language: string;
  category: string;
  parameterFormat: '' | 'named' | 'positional';
  headerFormat: '' | 'text' | 'image' | 'video' | 'document';
  headerText: string;
  headerLink: string;
  headerId: string;
  headerFilename: string;
  body: string;
  footer: string;
  buttons: ButtonForm[];
  cards: CardForm[];
  params: ParamRow[];
}

export interface MessengerForm {
  channel: 'messenger';
  type: 'receipt' | 'shipping_update';
  tag: string;
  buttonTitle: string;
}

export type TemplateForm = WhatsAppForm | MessengerForm;

export const canEditTemplates = (role: Role) => role === 'owner' || role === 'marketer';

export const emptyButton = (type: ButtonType = 'quick_reply'): ButtonForm => ({
  type,
  text: '',
  url: '',
  phone: '',
  payload: '',
  code: '',
});

export const emptyCard = (): CardForm => ({ format: 'image', link: '', id: '', body: '', buttons: [] });

export function blankForm(channel: 'whatsapp' | 'messenger'): TemplateForm {
  if (channel === 'messenger') return { channel, type: 'shipping_update', tag: '', buttonTitle: '' };
  return {
    channel,
    language: 'en',
    category: 'utility',
    parameterFormat: '',
    headerFormat: '',
    headerText: '',
    headerLink: '',
    headerId: '',
    headerFilename: '',
    body: 'Hi {{first_name}}, ',
    footer: '',
    buttons: [],
    cards: [],
    params: [{ key: 'first_name', value: "{{ contact.first_name | default: 'there' }}" }],
  };
}

// biome-ignore lint/suspicious/noExplicitAny: a definition read field by field, each checked where used
type Obj = Record<string, any>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');

function buttonForm(b: Obj): ButtonForm {
  return {
    type: (b.type as ButtonType) ?? 'quick_reply',
    text: str(b.text),
    url: str(b.url),
    phone: str(b.phone),
    payload: str(b.payload),
    code: str(b.code),
  };
}

export function formOf(def: TemplateDefinition): TemplateForm {
  const d = def as Obj;
  if (d.channel === 'messenger')
    return { channel: 'messenger', type: d.type ?? 'receipt', tag: str(d.tag), buttonTitle: str(d.buttonTitle) };
  return {
    channel: 'whatsapp',
    language: str(d.language),
    category: str(d.category),
    parameterFormat: d.parameterFormat ?? '',
    headerFormat: d.header?.format ?? '',
    headerText: str(d.header?.text),
    headerLink: str(d.header?.link),
    headerId: str(d.header?.id),
    headerFilename: str(d.header?.filename),
    body: str(d.body?.text),
    footer: str(d.footer?.text),
    buttons: ((d.buttons ?? []) as Obj[]).map(buttonForm),
    cards: ((d.carousel?.cards ?? []) as Obj[]).map((card) => ({
      format: card.header?.format === 'video' ? 'video' : 'image',
      link: str(card.header?.link),
      id: str(card.header?.id),
      body: str(card.body?.text),
      buttons: ((card.buttons ?? []) as Obj[]).map(buttonForm),
    })),
    params: Object.entries((d.parameters ?? {}) as Record<string, string>).map(([key, value]) => ({ key, value })),
  };
}

function buttonOf(b: ButtonForm): Obj {
  switch (b.type) {
    case 'url':
      return { type: b.type, text: b.text, url: b.url };
    case 'phone_number':
      return { type: b.type, text: b.text, phone: b.phone };
    case 'copy_code':
      return b.code ? { type: b.type, code: b.code } : { type: b.type };
    case 'catalog':
      return { type: b.type, text: b.text };
    default:
      return b.payload ? { type: b.type, text: b.text, payload: b.payload } : { type: b.type, text: b.text };
  }
}

/**
 * The definition the form stands for. What is left empty and optional is left out; what is
 * required goes as typed, even empty, so that the API says what is missing and where.
 */
export function definitionOf(form: TemplateForm): TemplateDefinition {
  if (form.channel === 'messenger') {
    const def: Obj = { channel: 'messenger', type: form.type, category: 'utility' };
    if (form.tag) def.tag = form.tag;
    if (form.buttonTitle && form.type === 'shipping_update') def.buttonTitle = form.buttonTitle;
    return def as TemplateDefinition;
  }
  const def: Obj = { channel: 'whatsapp', language: form.language, category: form.category };
  if (form.parameterFormat) def.parameterFormat = form.parameterFormat;
  if (form.headerFormat === 'text') def.header = { format: 'text', text: form.headerText };
  else if (form.headerFormat) {
    def.header = { format: form.headerFormat };
    if (form.headerLink) def.header.link = form.headerLink;
    if (form.headerId) def.header.id = form.headerId;
    if (form.headerFormat === 'document' && form.headerFilename) def.header.filename = form.headerFilename;
  }
  def.body = { text: form.body };
  if (form.footer) def.footer = { text: form.footer };
  if (form.buttons.length) def.buttons = form.buttons.map(buttonOf);
  if (form.cards.length)
    def.carousel = {
      cards: form.cards.map((card) => {
        const out: Obj = { header: { format: card.format }, body: { text: card.body } };
        if (card.link) out.header.link = card.link;
        if (card.id) out.header.id = card.id;
        if (card.buttons.length) out.buttons = card.buttons.map(buttonOf);
        return out;
      }),
    };
  if (form.params.length) def.parameters = Object.fromEntries(form.params.map((row) => [row.key, row.value]));
  return def as TemplateDefinition;
}

/** JSON with its keys sorted: two definitions are the same whatever order their fields were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** A JSON pointer segment, as the API writes it. */
export const pointer = (...parts: (string | number)[]) =>
  parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** The problems at a field: its own path, or inside it. */
export function problemsAt(problems: TemplateProblem[], path: string): TemplateProblem[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}/`));
}

export { useSettled } from '../../ui/use-settled.js';

import { liquidSyntaxError } from './liquid.js';
import { placeholdersIn } from './placeholders.js';
import { templateShapeProblem } from './schema-errors.js';
import type { TemplateButton, TemplateDefinition, WhatsAppTemplateDefinition } from './schema.js';
import { parameterFormatOf, placeholderTexts, slotsOf } from './slots.js';

export interface TemplateProblem {
  /** JSON pointer into the definition: "/parameters/first_name", "/body/text". */
  path: string;
  message: string;
}

export type TemplateValidation =
  | { ok: true; template: TemplateDefinition }
  | { ok: false; problems: TemplateProblem[] };

/**
 * Checks a definition before it is stored, so a message never fails later for a reason the
 * template already had: its shape and Meta's limits, then (WhatsApp) that placeholders and
 * parameters match one to one and every Liquid expression parses. Lists every problem it
 * finds after the shape is right.
 */
export function validateTemplate(value: unknown): TemplateValidation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail([{ path: '', message: 'a template is a JSON object' }]);
  }
  const channel = (value as { channel?: unknown }).channel;
  if (channel !== 'whatsapp' && channel !== 'messenger') {
    return fail([{ path: '/channel', message: 'must be "whatsapp" or "messenger"' }]);
  }
  const shape = templateShapeProblem(value as Record<string, unknown>);
  if (shape) return fail([shape]);
  const template = value as TemplateDefinition;
  const problems = template.channel === 'whatsapp' ? whatsAppProblems(template) : [];
  return problems.length > 0 ? fail(problems) : { ok: true, template };
}

const fail = (problems: TemplateProblem[]): TemplateValidation => ({ ok: false, problems });

/** Meta names WhatsApp templates in lowercase letters, digits and underscores, up to 512. */
export function templateNameProblem(name: string, channel: TemplateDefinition['channel']): string | null {
  if (name.length < 1 || name.length > 512) return 'a template name has 1 to 512 characters';
  if (channel === 'whatsapp' && !/^[a-z0-9_]+$/.test(name)) {
    return 'a WhatsApp template name has only lowercase letters, digits and underscores, as in WhatsApp Manager';
  }
  return null;
}

export const pointer = (...parts: (string | number)[]) =>
  parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function whatsAppProblems(def: WhatsAppTemplateDefinition): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const texts = placeholderTexts(def);

  // Placeholders Meta would not recognize, and texts that take none.
  for (const { path, text } of texts) {
    for (const p of placeholdersIn(text)) {
      if (p.format === 'invalid')
        add(
          path,
          `${p.raw} is not a placeholder WhatsApp accepts: use {{1}}, {{2}}... or lowercase names like {{first_name}}`,
        );
    }
  }
  if (def.footer && placeholdersIn(def.footer.text).length > 0) add('/footer/text', 'a footer takes no placeholders');
  const allButtons: { path: string; button: TemplateButton }[] = [
    ...(def.buttons ?? []).map((button, i) => ({ path: `/buttons/${i}`, button })),
    ...(def.carousel?.cards ?? []).flatMap((card, i) =>
      (card.buttons ?? []).map((button, j) => ({ path: `/carousel/cards/${i}/buttons/${j}`, button })),
    ),
  ];
  for (const { path, button } of allButtons) {
    if ('text' in button && placeholdersIn(button.text).length > 0)
      add(`${path}/text`, 'button text takes no placeholders');
    if (button.type === 'url') urlProblems(button.url, `${path}/url`, add);
  }

  // One kind of placeholder per template, numbered without gaps.
  const format = parameterFormatOf(def);
  const reason = def.parameterFormat
    ? `parameterFormat is "${format}"`
    : `the template's first placeholder is ${format}`;
  for (const t of texts) {
    const other = placeholdersIn(t.text).find((p) => p.format !== 'invalid' && p.format !== format);
    if (other) add(t.path, `${other.raw} is ${other.format} but ${reason}: a template uses one kind of placeholder`);
  }
  if (def.header?.format === 'text') {
    const found = placeholdersIn(def.header.text);
    if (found.length > 1) add('/header/text', 'a text header takes at most one placeholder');
    else if (found[0]?.format === 'positional' && found[0].name !== '1')
      add('/header/text', `a header's placeholder is {{1}}, not ${found[0].raw}`);
  }
  for (const t of texts.filter((t) => t.path !== '/header/text')) {
    const numbers = new Set(
      placeholdersIn(t.text)
        .filter((p) => p.format === 'positional')
        .map((p) => Number(p.name)),
    );
    const max = Math.max(0, ...numbers);
    const missing = Array.from({ length: max }, (_, i) => i + 1).filter((n) => !numbers.has(n));
    if (missing.length > 0)
      add(
        t.path,
        `positional placeholders are numbered from {{1}} without gaps: ${missing.map((n) => `{{${n}}}`).join(', ')} missing`,
      );
  }

  mediaHeaderProblems(def, add);
  buttonProblems(def, add);
  carouselProblems(def, add);
  parameterProblems(def, add);
  return problems;
}

type Add = (path: string, message: string) => void;

function urlProblems(url: string, path: string, add: Add): void {
  const found = placeholdersIn(url);
  if (found.length > 1) return add(path, 'a url button takes at most one placeholder');
  if (found[0] && found[0].at + found[0].raw.length !== url.length)
    return add(path, `a url button's placeholder ends the URL (${found[0].raw} is followed by more text)`);
  let parsed: URL | null = null;
  try {
    parsed = new URL(found[0] ? `${url.slice(0, found[0].at)}x` : url);
  } catch {
    parsed = null;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    add(path, 'a url button needs an absolute http:// or https:// URL');
}

/** A media header is sent by link or by the id of uploaded media, never both. */
function mediaHeaderProblems(def: WhatsAppTemplateDefinition, add: Add): void {
  const headers = [
    { path: '/header', header: def.header },
    ...(def.carousel?.cards ?? []).map((card, i) => ({ path: `/carousel/cards/${i}/header`, header: card.header })),
  ];
  for (const { path, header } of headers) {
    if (!header || header.format === 'text') continue;
    if (header.link !== undefined && header.id !== undefined)
      add(path, 'a media header takes a link or a media id, not both: keep one');
    if ('filename' in header && header.filename !== undefined) {
      const error = liquidSyntaxError(header.filename);
      if (error) add(`${path}/filename`, `is not valid Liquid: ${error}`);
    }
  }
}

function buttonProblems(def: WhatsAppTemplateDefinition, add: Add): void {
  const buttons = def.buttons ?? [];
  const count = (type: TemplateButton['type']) => buttons.filter((b) => b.type === type).length;
  if (count('url') > 2) add('/buttons', 'a template has at most 2 url buttons');
  if (count('phone_number') > 1) add('/buttons', 'a template has at most 1 phone_number button');
  if (count('copy_code') > 1) add('/buttons', 'a template has at most 1 copy_code button');
  buttons.forEach((button, i) => {
    if (button.type !== 'catalog') return;
    if (def.category !== 'marketing') add(`/buttons/${i}`, 'a catalog button is only for marketing templates');
    if (buttons.length > 1) add(`/buttons/${i}`, "a catalog button is the template's only button");
  });
  const quick = buttons.flatMap((b, i) => (b.type === 'quick_reply' ? [i] : []));
  if (quick.length > 0 && quick[quick.length - 1]! - quick[0]! + 1 !== quick.length) {
    add(
      '/buttons',
      'quick_reply buttons must be next to each other: WhatsApp groups them apart from the other buttons',
    );
  }
}

function carouselProblems(def: WhatsAppTemplateDefinition, add: Add): void {
  const cards = def.carousel?.cards;
  if (!cards) return;
  if (def.category !== 'marketing') add('/category', 'carousel templates are marketing templates');
  if (def.header) add('/header', 'a carousel template has no header: each card has its own');
  if (def.footer) add('/footer', 'a carousel template has no footer');
  if ((def.buttons ?? []).length > 0)
    add('/buttons', 'a carousel template has no buttons of its own: each card has its own');
  const first = cards[0]!;
  const kinds = (card: typeof first) => (card.buttons ?? []).map((b) => b.type).join(', ');
  cards.forEach((card, i) => {
    if (i === 0) return;
    if (card.header.format !== first.header.format)
      add(`/carousel/cards/${i}/header/format`, `every card has the header format of card 0 (${first.header.format})`);
    if (kinds(card) !== kinds(first))
      add(`/carousel/cards/${i}/buttons`, `every card has the buttons of card 0 (${kinds(first) || 'none'})`);
  });
}

function parameterProblems(def: WhatsAppTemplateDefinition, add: Add): void {
  const parameters = def.parameters ?? {};
  const slots = slotsOf(def);
  const keys = new Map<string, string>();
  for (const slot of slots) {
    const earlier = keys.get(slot.key);
    if (earlier !== undefined)
      add(
        slot.textPath ?? pointer('parameters', slot.key),
        `${slot.where} would share the parameter key "${slot.key}" with ${earlier}; rename it`,
      );
    else keys.set(slot.key, slot.where);
  }
  for (const slot of slots) {
    const given = Object.hasOwn(parameters, slot.key);
    if (given && slot.inline)
      add(pointer('parameters', slot.key), `${slot.where} is given twice, here and in ${slot.inline.path}: keep one`);
    else if (slot.required && !given && !slot.inline)
      add(
        pointer('parameters', slot.key),
        `${slot.where} has no parameter: add "${slot.key}": "<Liquid expression>" to parameters`,
      );
    if (slot.inline) {
      const error = liquidSyntaxError(slot.inline.source);
      if (error) add(slot.inline.path, `is not valid Liquid: ${error}`);
    }
  }
  const expected = [...keys.keys()];
  for (const [key, source] of Object.entries(parameters)) {
    if (!keys.has(key)) {
      add(
        pointer('parameters', key),
        `no placeholder or slot of this template takes parameter "${key}" (${expected.length > 0 ? `it takes ${expected.map((k) => `"${k}"`).join(', ')}` : 'it takes none'})`,
      );
      continue;
    }
    const error = liquidSyntaxError(source);
    if (error) add(pointer('parameters', key), `is not valid Liquid: ${error}`);
  }
}

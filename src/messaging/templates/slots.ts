import { distinctNames, placeholdersIn, type PlaceholderFormat } from './placeholders.js';
import type { WhatsAppTemplateDefinition } from './schema.js';

/**
 * Every value a WhatsApp template needs at send time, under its parameter key: body
 * placeholders by name or number, "header", "button.<i>", "card.<i>.<placeholder>",
 * "card.<i>.header", "card.<i>.button.<j>".
 */
export interface Slot {
  key: string;
  /** In words, for error messages: "the body placeholder {{first_name}}". */
  where: string;
  /** Whether a message cannot be sent without it. */
  required: boolean;
  /** JSON pointer of the text that holds the placeholder, if a placeholder makes the slot. */
  textPath: string | null;
  /** An expression given in the component itself (header.link, a button's payload or code). */
  inline: { path: string; source: string } | null;
}

const inline = (path: string, source: string | undefined) => (source === undefined ? null : { path, source });
/** A media header's link or media id written in the component (validate.ts refuses both at once). */
const mediaInline = (at: string, header: { link?: string; id?: string }) =>
  header.id !== undefined ? inline(`${at}/id`, header.id) : inline(`${at}/link`, header.link);

export function slotsOf(def: WhatsAppTemplateDefinition): Slot[] {
  const slots: Slot[] = [];
  const header = def.header;
  if (header?.format === 'text') {
    const [placeholder] = placeholdersIn(header.text).filter((p) => p.format !== 'invalid');
    if (placeholder)
      slots.push({
        key: 'header',
        where: `the header placeholder ${placeholder.raw}`,
        required: true,
        textPath: '/header/text',
        inline: null,
      });
  } else if (header) {
    slots.push({
      key: 'header',
      where: `the ${header.format} header's link or media id`,
      required: true,
      textPath: null,
      inline: mediaInline('/header', header),
    });
  }
  for (const name of distinctNames(def.body.text)) {
    slots.push({
      key: name,
      where: `the body placeholder {{${name}}}`,
      required: true,
      textPath: '/body/text',
      inline: null,
    });
  }
  (def.buttons ?? []).forEach((button, i) => {
    const slot = buttonSlot(button, `button.${i}`, `/buttons/${i}`, `button ${i}`);
    if (slot) slots.push(slot);
  });
  (def.carousel?.cards ?? []).forEach((card, i) => {
    const at = `/carousel/cards/${i}`;
    slots.push({
      key: `card.${i}.header`,
      where: `card ${i}'s ${card.header.format} link or media id`,
      required: true,
      textPath: null,
      inline: mediaInline(`${at}/header`, card.header),
    });
    for (const name of distinctNames(card.body.text)) {
      slots.push({
        key: `card.${i}.${name}`,
        where: `card ${i}'s body placeholder {{${name}}}`,
        required: true,
        textPath: `${at}/body/text`,
        inline: null,
      });
    }
    (card.buttons ?? []).forEach((button, j) => {
      const slot = buttonSlot(button, `card.${i}.button.${j}`, `${at}/buttons/${j}`, `card ${i}'s button ${j}`);
      if (slot) slots.push(slot);
    });
  });
  return slots;
}

type AnyButton = NonNullable<WhatsAppTemplateDefinition['buttons']>[number];

function buttonSlot(button: AnyButton, key: string, at: string, label: string): Slot | null {
  switch (button.type) {
    case 'url':
      return placeholdersIn(button.url).length > 0
        ? { key, where: `the placeholder of ${label} (url)`, required: true, textPath: `${at}/url`, inline: null }
        : null;
    case 'quick_reply':
      return {
        key,
        where: `the payload of ${label} (quick_reply)`,
        required: false,
        textPath: null,
        inline: inline(`${at}/payload`, button.payload),
      };
    case 'copy_code':
      return {
        key,
        where: `the code of ${label} (copy_code)`,
        required: true,
        textPath: null,
        inline: inline(`${at}/code`, button.code),
      };
    case 'catalog':
      return {
        key,
        where: `the thumbnail product of ${label} (catalog)`,
        required: false,
        textPath: null,
        inline: null,
      };
    case 'phone_number':
      return null;
  }
}

/** The texts that hold placeholders with their own numbering, with their JSON pointers. */
export function placeholderTexts(def: WhatsAppTemplateDefinition): { path: string; text: string }[] {
  const texts: { path: string; text: string }[] = [];
  if (def.header?.format === 'text') texts.push({ path: '/header/text', text: def.header.text });
  texts.push({ path: '/body/text', text: def.body.text });
  def.carousel?.cards.forEach((card, i) =>
    texts.push({ path: `/carousel/cards/${i}/body/text`, text: card.body.text }),
  );
  return texts;
}

/** Named or positional: as parameterFormat says, else as the first placeholder is. */
export function parameterFormatOf(def: WhatsAppTemplateDefinition): PlaceholderFormat {
  if (def.parameterFormat) return def.parameterFormat;
  for (const { text } of placeholderTexts(def)) {
    const first = placeholdersIn(text).find((p) => p.format !== 'invalid');
    if (first) return first.format as PlaceholderFormat;
  }
  return 'positional';
}

/** The shapes of the templates API (docs/templates.md) as the dashboard reads them. */

export type TemplateDefinition = Record<string, unknown> & { channel: 'whatsapp' | 'messenger' };

export interface TemplateView {
  name: string;
  channel: 'whatsapp' | 'messenger';
  builtIn: boolean;
  overridesBuiltIn: boolean;
  definition: TemplateDefinition;
  createdAt: string | null;
  updatedAt: string | null;
}

/** One problem PUT would answer: a JSON pointer into the definition and what is wrong there. */
export interface TemplateProblem {
  path: string;
  message: string;
}

export interface DraftVerdict {
  valid: boolean;
  problems: TemplateProblem[];
}

export type PreviewHeader =
  | { format: 'text'; text: string }
  | { format: 'image' | 'video' | 'document'; link?: string; id?: string; filename?: string };

export interface PreviewButton {
  type: 'quick_reply' | 'url' | 'copy_code' | 'catalog' | 'phone_number';
  text: string;
  url?: string;
  payload?: string;
  code?: string;
  phone?: string;
}

export interface PreviewCard {
  header: PreviewHeader;
  body: string;
  buttons: PreviewButton[];
}

/** The message as the shopper will read it. */
export interface Preview {
  header: PreviewHeader | null;
  body: string;
  footer: string | null;
  buttons: PreviewButton[];
  cards?: PreviewCard[];
}

export interface PreviewAnswer {
  template: string;
  channel: 'whatsapp' | 'messenger';
  kind: string;
  category: string;
  payload: Record<string, unknown>;
  preview: Preview;
}

export const templatePath = (name: string, rest = '') => `/v1/templates/${encodeURIComponent(name)}${rest}`;

import type { MessageCategory, MessageKind } from '../../domain/messages.js';

/** Why a template could not be rendered for this message, naming the parameter. */
export interface RenderError {
  code: 'MISSING_PARAMETER' | 'INVALID_PARAMETER';
  /** The parameter key ("first_name", "header", "button.0", "card.1.header") or, for params-built templates, its path ("receipt.summary.total_cost"). */
  parameter: string;
  message: string;
}

/** A media header shows its link, or the id of media uploaded to WhatsApp (and a document its file name). */
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

/** The message as the shopper will read it, with the values put in. */
export interface Preview {
  header: PreviewHeader | null;
  body: string;
  footer: string | null;
  buttons: PreviewButton[];
  cards?: PreviewCard[];
}

export interface Rendered {
  ok: true;
  channel: 'whatsapp' | 'messenger';
  kind: MessageKind;
  category: MessageCategory;
  /** The provider's request body without the recipient ("to" / "recipient"). */
  payload: Record<string, unknown>;
  preview: Preview;
}

export type RenderResult = Rendered | { ok: false; error: RenderError };

/** Thrown inside a renderer to stop at the first bad parameter; caught at its entry point. */
export class ParameterFailure extends Error {
  constructor(readonly error: RenderError) {
    super(error.message);
  }
}

export const missing = (parameter: string, message: string) =>
  new ParameterFailure({ code: 'MISSING_PARAMETER', parameter, message });
export const invalid = (parameter: string, message: string) =>
  new ParameterFailure({ code: 'INVALID_PARAMETER', parameter, message });

/** Runs a renderer, turning the first ParameterFailure into an error result. */
export function catchFailure<T extends Rendered>(render: () => T): T | { ok: false; error: RenderError } {
  try {
    return render();
  } catch (error) {
    if (error instanceof ParameterFailure) return { ok: false, error: error.error };
    throw error;
  }
}

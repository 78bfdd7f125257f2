import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import {
  Button,
  CardButton,
  CardImageHeader,
  CardVideoHeader,
  Header,
  MessengerTemplate,
  WhatsAppTemplate,
} from './schema.js';

export interface SchemaProblem {
  /** JSON pointer into the checked value. */
  path: string;
  message: string;
}

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

type Validator = ReturnType<typeof Compile>;
type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem a compiled schema finds, in words (paths under `base`). */
function firstProblem(
  validator: Validator,
  value: unknown,
  base: string,
  skip: (path: string) => boolean = () => false,
): SchemaProblem | null {
  if (validator.Check(value)) return null;
  const errors = ([...validator.Errors(value)] as SchemaError[]).filter((e) => !skip(e.instancePath));
  const extra = errors.find((e) => e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties'));
  if (extra) return { path: base + extra.instancePath, message: 'is not a field here' };
  const first = errors.find((e) => e.keyword !== 'additionalProperties');
  if (!first) return null;
  if (first.keyword === 'const' || first.keyword === 'anyOf') {
    // A choice between literals ("receipt" or "shipping_update"): list the choices.
    const allowed = [
      ...new Set(
        errors
          .filter((e) => e.keyword === 'const' && e.instancePath === first.instancePath)
          .map((e) => JSON.stringify(e.params.allowedValue)),
      ),
    ];
    const message =
      allowed.length === 1
        ? `must be ${allowed[0]}`
        : allowed.length > 1
          ? `must be one of ${allowed.join(', ')}`
          : 'is not one of the allowed values';
    return { path: base + first.instancePath, message };
  }
  return { path: base + first.instancePath, message: first.message };
}

/** A union of objects told apart by one constant property ("type", "format"). */
class Discriminated {
  private readonly branches = new Map<string, Validator>();

  constructor(
    private readonly key: string,
    union: TSchema,
  ) {
    for (const branch of (union as { anyOf: TSchema[] }).anyOf) {
      const value = (branch as { properties: Record<string, { const: string }> }).properties[key]!.const;
      this.branches.set(value, Compile(branch));
    }
  }

  check(value: unknown, path: string): SchemaProblem | null {
    if (!isObject(value)) return { path, message: 'must be an object' };
    const choice = value[this.key];
    const choices = [...this.branches.keys()].map((c) => JSON.stringify(c)).join(', ');
    if (choice === undefined) return { path: `${path}/${this.key}`, message: `is required: one of ${choices}` };
    const branch = typeof choice === 'string' ? this.branches.get(choice) : undefined;
    if (!branch) return { path: `${path}/${this.key}`, message: `must be one of ${choices}` };
    return firstProblem(branch, value, path);
  }
}

const whatsApp = Compile(WhatsAppTemplate);
const messenger = Compile(MessengerTemplate);
const headers = new Discriminated('format', Header);
const buttons = new Discriminated('type', Button);
const cardHeaders = new Discriminated('format', { anyOf: [CardImageHeader, CardVideoHeader] } as unknown as TSchema);
const cardButtons = new Discriminated('type', CardButton);

/** Paths whose problems the discriminated checks report, not the whole-template check. */
const PIECE = /^\/(header|buttons\/\d+|carousel\/cards\/\d+\/(header|buttons\/\d+))(\/|$)/;

/**
 * The first problem with a template's shape, said about what the template meant: a url
 * button without its url is "/buttons/0 must have required properties url", not a list of
 * why it is not each of the five kinds of button.
 */
export function templateShapeProblem(value: Obj): SchemaProblem | null {
  if (value.channel === 'messenger') return firstProblem(messenger, value, '');
  const whole = firstProblem(whatsApp, value, '', (path) => PIECE.test(path));
  if (whole) return whole;
  if (value.header !== undefined) {
    const problem = headers.check(value.header, '/header');
    if (problem) return problem;
  }
  for (const [i, button] of (Array.isArray(value.buttons) ? value.buttons : []).entries()) {
    const problem = buttons.check(button, `/buttons/${i}`);
    if (problem) return problem;
  }
  const cards = isObject(value.carousel) && Array.isArray(value.carousel.cards) ? value.carousel.cards : [];
  for (const [i, card] of cards.entries()) {
    if (!isObject(card)) continue;
    const problem = cardHeaders.check(card.header, `/carousel/cards/${i}/header`);
    if (problem) return problem;
    for (const [j, button] of (Array.isArray(card.buttons) ? card.buttons : []).entries()) {
      const problem = cardButtons.check(button, `/carousel/cards/${i}/buttons/${j}`);
      if (problem) return problem;
    }
  }
  // Anything left is a problem the checks above cannot place; report the schema's own word.
  return firstProblem(whatsApp, value, '');
}

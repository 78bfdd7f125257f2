import fc from 'fast-check';

type Json = any;

/**
 * What the fuzz suite (test/fuzz.test.ts) sends: JSON bodies built from a route's valid body,
 * URL-encoded forms built from a page form's fields, and the headers a browser's session carries.
 */

/** JSON texts that break things: numbers no double or Date holds, NUL, lone surrogates, prototypes. */
export const NASTY = [
  '1e308',
  '-1e308',
  '5e-324',
  '123456789012345678901234567890',
  '9007199254740993',
  '-0',
  '0.1e-400',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800y"',
  '"\\udc00"',
  '"\\ud83d"',
  JSON.stringify('x'.repeat(70_000)),
  JSON.stringify('ü'.repeat(5_000)),
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  '[]',
  '{}',
  'null',
  'true',
  '""',
  '"1e308"',
  '"2024-13-45T99:99:99Z"',
  `${'['.repeat(200)}${']'.repeat(200)}`,
];

const nasty = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string().map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
);

/** Every place in a JSON value a mutation can go: object properties and array items, by path. */
function slots(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = [...path, Array.isArray(value) ? Number(key) : key];
      out.push(at);
      slots(child, at, out);
    }
  }
  return out;
}

/** The valid body as JSON text with some of its values replaced by raw JSON texts. */
function mutate(valid: unknown, mutations: [number, string][]): string {
  const copy = JSON.parse(JSON.stringify(valid ?? {}));
  const places = slots(copy);
  const raws: string[] = [];
  for (const [pick, raw] of mutations) {
    if (places.length === 0) return raw;
    const path = places[pick % places.length]!;
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = parent?.[key];
    if (parent && typeof parent === 'object') {
      parent[path[path.length - 1]!] = `__RAW_${raws.length}__`;
      raws.push(raw);
    }
  }
  return JSON.stringify(copy).replace(/"__RAW_(\d+)__"/g, (_, i: string) => raws[Number(i)]!);
}

export const bodies = (valid: unknown) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.array(fc.tuple(fc.nat(), nasty), { minLength: 1, maxLength: 3 }).map((m) => mutate(valid, m)),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: nasty },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(40, 2_000, 200_000), fc.boolean())
        .map(([depth, lone]) => `${'['.repeat(depth)}${lone ? '"\\ud800"' : ''}${']'.repeat(depth)}`),
    },
  );

/** What a form field may carry: what a browser sends, what it would not, and what breaks decoders. */
const formValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '1', '0', 'on', '\u0000', 'a\u0000b', '\ud800', 'ACTF001', 'x'.repeat(3_000), ...NASTY),
);

/** Raw pieces of URL-encoded text: broken escapes, encoded NUL and surrogates, bare separators. */
const formPiece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('%', '%E0%A4%A', '%00', '%FF%FE', '%ED%A0%80', '%uD800', '&', '=', '==', '+', ';', '&&=&'),
);

/**
 * Bodies for a page's form whose valid fields are `valid`: the form with fields changed, dropped,
 * repeated or added (`__proto__` among them), URL-encoded as a browser does; raw text a browser
 * would not send; bodies past the forms' 4 KB limit; JSON where a form belongs.
 */
export const formBodies = (valid: Record<string, string>) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .record({
          drop: fc.subarray(Object.keys(valid)),
          changes: fc.array(
            fc.tuple(
              fc.constantFrom(...Object.keys(valid), '__proto__', 'constructor', 'extra'),
              formValue,
              fc.boolean(),
            ),
            { maxLength: 3 },
          ),
        })
        .map(({ drop, changes }) => {
          const form = new URLSearchParams(Object.entries(valid).filter(([name]) => !drop.includes(name)));
          for (const [name, value, repeat] of changes) {
            if (repeat) form.append(name, value);
            else form.set(name, value);
          }
          return form.toString();
        }),
    },
    { weight: 2, arbitrary: fc.array(formPiece, { maxLength: 20 }).map((pieces) => pieces.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'x'.repeat(5_000),
        `form_token=${'a'.repeat(10_000)}`,
        'a=1&'.repeat(2_000),
        '=&'.repeat(1_500),
      ),
    },
    { weight: 1, arbitrary: nasty },
  );

/** A header value that can reach the server over HTTP: visible ASCII and spaces. */
export const headerText = (maxLength: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${maxLength}}$`));

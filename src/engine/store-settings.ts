import Type, { type Static, type TSchema } from 'typebox';
import { normalizeKeyword } from '../domain/consent.js';
import { brandingProblem } from '../domain/branding.js';
import { isKnownCountry } from '../domain/phone.js';
import {
  BUILT_IN_OPT_IN_KEYWORDS,
  BUILT_IN_OPT_OUT_KEYWORDS,
  type Store,
  type StoreSettings,
} from '../domain/store.js';
import { isValidTimeZone } from '../domain/time.js';
import { AppError } from '../errors.js';
import type { Storage } from '../storage/database.js';
import { saveStore } from '../storage/stores.js';

/**
 * What a store sets about itself (GET / PATCH /v1/store/settings), one entry per field: its
 * schema (which is also its OpenAPI documentation), how to read it off the store, and how to
 * set it, with the rules the schema cannot say. A later setting (branding, a public URL) is one
 * more entry here and a field of StoreSettings with its default: the route, the OpenAPI
 * document and the PATCH rules follow from this list.
 */
interface SettingField<S extends TSchema> {
  schema: S;
  read(store: Store): Static<S>;
  /** The store with the value set; throws AppError for a value the schema lets through but a rule refuses. */
  write(store: Store, value: Static<S>): Store;
}

const setting = <S extends TSchema>(field: SettingField<S>): SettingField<S> => field;

const withSettings = (store: Store, change: Partial<StoreSettings>): Store => ({
  ...store,
  settings: { ...store.settings, ...change },
});

const Keywords = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50, description });

/** A keyword list as kept: the built-in words first, then the store's, each once (as compared). */
function keywordList(path: string, given: string[], builtIn: string[]): string[] {
  const seen = new Set<string>();
  const list: string[] = [];
  for (const word of [...builtIn, ...given]) {
    const key = normalizeKeyword(word);
    if (key === '') {
      throw new AppError('VALIDATION_FAILED', `${path}: "${word}" has no letters or digits to match`, { path });
    }
    if (!seen.has(key)) list.push(word.trim().replace(/\s+/gu, ' '));
    seen.add(key);
  }
  return list;
}

export const STORE_SETTING_FIELDS = {
  name: setting({
    schema: Type.String({ minLength: 1, maxLength: 200, description: "The store's name, as the dashboard shows it." }),
    read: (store) => store.name,
    write: (store, name) => {
      const trimmed = name.trim();
      if (trimmed === '') throw new AppError('INVALID_STORE', 'a store needs a name of 1 to 200 characters');
      return { ...store, name: trimmed };
    },
  }),
  defaultCountry: setting({
    schema: Type.String({
      pattern: '^[A-Za-z]{2}$',
      description: 'ISO 3166-1 code (IN, US): phone numbers without a country code are read as of this country.',
    }),
    read: (store) => store.defaultCountry,
    write: (store, country) => {
      if (!isKnownCountry(country)) throw new AppError('INVALID_STORE', `"${country}" is not a known country code`);
      return { ...store, defaultCountry: country.toUpperCase() };
    },
  }),
  timeZone: setting({
    schema: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone (Asia/Kolkata): dates without an offset are read in it; quiet hours use it.',
    }),
    read: (store) => store.timeZone,
    write: (store, timeZone) => {
      if (!isValidTimeZone(timeZone))
        throw new AppError('INVALID_STORE', `"${timeZone}" is not an IANA time zone such as Asia/Kolkata`);
      return { ...store, timeZone };
    },
  }),
  optOutKeywords: setting({
    schema: Keywords(
      'A shopper message that is one of these (ignoring case, accents and punctuation) withdraws marketing consent on every channel. STOP and UNSUBSCRIBE are always in the list.',
    ),
    read: (store) => store.settings.optOutKeywords,
    write: (store, words) =>
      withSettings(store, { optOutKeywords: keywordList('/optOutKeywords', words, BUILT_IN_OPT_OUT_KEYWORDS) }),
  }),
  optInKeywords: setting({
    schema: Keywords(
      'A shopper message that is one of these gives marketing consent back on the channel it was written on. START is always in the list.',
    ),
    read: (store) => store.settings.optInKeywords,
    write: (store, words) =>
      withSettings(store, { optInKeywords: keywordList('/optInKeywords', words, BUILT_IN_OPT_IN_KEYWORDS) }),
  }),
  optOutConfirmation: setting({
    schema: Type.Union([Type.String({ minLength: 1, maxLength: 1024 }), Type.Null()], {
      description:
        'The reply sent when a shopper opts out with a keyword or a button (a session message, inside the window their message opened); null (the default) sends none.',
    }),
    read: (store) => store.settings.optOutConfirmation,
    write: (store, text) => withSettings(store, { optOutConfirmation: text === null ? null : text.trim() || null }),
  }),
  rejectOrderTotalMismatch: setting({
    schema: Type.Boolean({
      description: 'Refuse an order whose items do not add up to totalCost (default: keep it with a warning).',
    }),
    read: (store) => store.settings.rejectOrderTotalMismatch,
    write: (store, reject) => withSettings(store, { rejectOrderTotalMismatch: reject }),
  }),
  marketingFrequencyCap: setting({
    schema: Type.Object(
      {
        max: Type.Integer({ minimum: 0, maximum: 100 }),
        hours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
      },
      {
        additionalProperties: false,
        description:
          'The most marketing messages one shopper receives in `hours`, across templates, journeys and broadcasts.',
      },
    ),
    read: (store) => store.settings.marketingFrequencyCap,
    write: (store, cap) => withSettings(store, { marketingFrequencyCap: { max: cap.max, hours: cap.hours } }),
  }),
  logoUrl: setting({
    schema: Type.Union([Type.String({ minLength: 1, maxLength: 2048 }), Type.Null()], {
      description:
        "The store's logo on its public pages (the order-tracking page): an https:// URL; null shows the name alone.",
    }),
    read: (store) => store.settings.logoUrl,
    write: (store, logoUrl) => {
      const problem = brandingProblem({ logoUrl });
      if (problem) throw new AppError('VALIDATION_FAILED', problem, { path: '/logoUrl' });
      return withSettings(store, { logoUrl });
    },
  }),
  accentColor: setting({
    schema: Type.Union([Type.String({ minLength: 7, maxLength: 7 }), Type.Null()], {
      description: 'The colour of headings, buttons and links on its public pages, "#rrggbb"; null for Storewire\'s.',
    }),
    read: (store) => store.settings.accentColor,
    write: (store, accentColor) => {
      const problem = brandingProblem({ accentColor });
      if (problem) throw new AppError('VALIDATION_FAILED', problem, { path: '/accentColor' });
      return withSettings(store, { accentColor });
    },
  }),
};

export type StoreSettingName = keyof typeof STORE_SETTING_FIELDS;
const NAMES = Object.keys(STORE_SETTING_FIELDS) as StoreSettingName[];

const mapFields = <T>(f: (field: SettingField<TSchema>) => T) =>
  Object.fromEntries(NAMES.map((name) => [name, f(STORE_SETTING_FIELDS[name] as unknown as SettingField<TSchema>)]));

/** The settings as GET shows them: every field. */
export const StoreSettingsView = Type.Object(mapFields((f) => f.schema));
/** A PATCH body: any of the fields, nothing else. */
export const StoreSettingsPatch = Type.Object(
  mapFields((f) => Type.Optional(f.schema)),
  { additionalProperties: false },
);

export function readStoreSettings(store: Store): Record<StoreSettingName, unknown> {
  return Object.fromEntries(
    NAMES.map((name) => [name, (STORE_SETTING_FIELDS[name] as unknown as SettingField<TSchema>).read(store)]),
  ) as Record<StoreSettingName, unknown>;
}

/** Sets the fields given (the others keep their values) and saves the store; the store as it now is. */
export async function updateStoreSettings(
  storage: Storage,
  store: Store,
  patch: Partial<Record<StoreSettingName, unknown>>,
): Promise<Store> {
  let next = store;
  for (const name of NAMES) {
    if (patch[name] === undefined) continue;
    next = (STORE_SETTING_FIELDS[name] as unknown as SettingField<TSchema>).write(next, patch[name] as never);
  }
  const optOut = new Set(next.settings.optOutKeywords.map(normalizeKeyword));
  const both = next.settings.optInKeywords.find((word) => optOut.has(normalizeKeyword(word)));
  if (both) {
    throw new AppError('VALIDATION_FAILED', `"${both}" cannot be both an opt-out and an opt-in keyword`, {
      path: patch.optInKeywords !== undefined ? '/optInKeywords' : '/optOutKeywords',
    });
  }
  await saveStore(storage.db, next);
  return next;
}

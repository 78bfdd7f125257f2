import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import { parseTimeOfDay } from '../../journeys/duration.js';
import {
  DEFAULT_JOURNEY_SETTINGS,
  DEFAULT_PARTNER,
  type JourneySettings,
  shownJourneySettings,
} from '../../journeys/settings.js';
import { getJourneySettings, putJourneySettings } from '../../storage/journeys.js';
import { storeOf } from '../auth.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

const QuietHours = Type.Object({
  start: Type.String({ description: 'HH:MM' }),
  end: Type.String({ description: 'HH:MM' }),
  action: Type.Union([Type.Literal('wait'), Type.Literal('skip')]),
});
const Kept = Type.Object(
  { set: Type.Literal(true) },
  { description: 'A value is stored (the answer never shows it); sent back in a PUT, it keeps the stored one.' },
);
const partnerFields = {
  url: Type.String({ description: "The partner's recent-events API, http(s)" }),
  style: Type.Union([Type.Literal('query'), Type.Literal('body')]),
  eventCount: Type.Integer({ minimum: 1, maximum: 100 }),
  timeoutMs: Type.Integer({ minimum: 100, maximum: 30_000 }),
  fallback: Type.Union([Type.Literal('send'), Type.Literal('exit')]),
};
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const SettingsView = Type.Object({
  quietHours: nullable(QuietHours),
  partner: nullable(
    Type.Object({
      ...partnerFields,
      headers: Type.Record(Type.String(), Kept, { description: 'Header names; their values are write-only' }),
    }),
  ),
  discountCode: nullable(Type.String()),
  paymentLinkBase: nullable(Type.String()),
});
const SettingsBody = Type.Object({
  quietHours: Type.Optional(
    nullable(Type.Object({ ...QuietHours.properties, action: Type.Optional(QuietHours.properties.action) })),
  ),
  partner: Type.Optional(
    nullable(
      Type.Object({
        url: partnerFields.url,
        style: Type.Optional(partnerFields.style),
        eventCount: Type.Optional(partnerFields.eventCount),
        timeoutMs: Type.Optional(partnerFields.timeoutMs),
        fallback: Type.Optional(partnerFields.fallback),
        headers: Type.Optional(
          Type.Record(Type.String(), Type.Union([Type.String(), Kept, Type.Null()]), {
            description:
              'Header name → value; `{"set": true}` or null keeps the value stored under that name; left out, every stored header is kept; `{}` removes them',
          }),
        ),
      }),
    ),
  ),
  discountCode: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 500 }))),
  paymentLinkBase: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 500 }))),
});

/**
 * A store's journey settings (docs/journeys.md): quiet hours, the checkout partner, discount code,
 * payment links. The partner's header values are write-only: answers name the headers with
 * `{"set": true}`, and a PUT keeps a stored value it does not replace.
 */
export function journeySettingsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;
  const tags = ['journeys'];

  app.get('/v1/journey-settings', {
    schema: {
      summary:
        "The store's journey settings: quiet hours, the checkout partner's recent-events API (header values never shown), discount code, payment links",
      tags,
      security: bearerAuth,
      response: { 200: SettingsView },
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) =>
      shownJourneySettings(await getJourneySettings(db, storeOf(request).id, DEFAULT_JOURNEY_SETTINGS)),
  });

  app.put<{ Body: unknown }>('/v1/journey-settings', {
    schema: {
      summary: "Replace the store's journey settings (a partner header value not given is kept)",
      tags,
      security: bearerAuth,
      body: SettingsBody,
      response: { 200: SettingsView },
    },
    // Checked in the handler, field by field, to name the path of the problem.
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const store = storeOf(request);
      const stored = await getJourneySettings(db, store.id, DEFAULT_JOURNEY_SETTINGS);
      const settings = checkSettings(request.body, stored);
      await putJourneySettings(db, store.id, settings, deps.clock.now());
      return shownJourneySettings(settings);
    },
  });
}

/**
 * The partner's headers of a PUT: a string is the new value; `{"set": true}` or null keeps the
 * value stored under that name (matched without regard to case, as HTTP does); no `headers` at
 * all keeps every stored one.
 */
function checkHeaders(
  given: unknown,
  stored: Record<string, string>,
  bad: (path: string, message: string) => AppError,
) {
  if (given === undefined) return { ...stored };
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw bad('partner.headers', 'an object of header names to values');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name))
      throw bad(`partner.headers.${name.slice(0, 100)}`, "a header name: 1 to 100 letters, digits or !#$%&'*+.^_`|~-");
    if (typeof value === 'string') {
      // What an HTTP client sends as it is: printable ASCII (a key, a token), on one line.
      if (!/^[\x20-\x7e\t]{1,4096}$/.test(value))
        throw bad(`partner.headers.${name}`, 'a value of 1 to 4096 printable ASCII characters');
      headers[name] = value;
      continue;
    }
    const keep =
      value === null ||
      (typeof value === 'object' && !Array.isArray(value) && value.set === true && Object.keys(value).length === 1);
    if (!keep)
      throw bad(`partner.headers.${name}`, 'a string (the new value), or {"set": true} or null to keep the stored one');
    const storedName = Object.keys(stored).find((n) => n.toLowerCase() === name.toLowerCase());
    if (storedName === undefined)
      throw bad(`partner.headers.${name}`, 'no value is stored under this name: give the value');
    headers[name] = stored[storedName]!;
  }
  return headers;
}

function checkSettings(body: unknown, stored: JourneySettings): JourneySettings {
  const bad = (path: string, message: string) => new AppError('VALIDATION_FAILED', `${path}: ${message}`, { path });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('body', 'a JSON object');
  // biome-ignore lint/suspicious/noExplicitAny: a request body checked field by field below
  const b = body as Record<string, any>;
  const known = new Set(['quietHours', 'partner', 'discountCode', 'paymentLinkBase']);
  for (const key of Object.keys(b))
    if (!known.has(key)) throw bad(key, 'not a journey setting (quietHours, partner, discountCode, paymentLinkBase)');
  const settings: JourneySettings = { ...DEFAULT_JOURNEY_SETTINGS };
  if (b.quietHours !== undefined && b.quietHours !== null) {
    const q = b.quietHours;
    if (typeof q !== 'object' || parseTimeOfDay(q.start) === null || parseTimeOfDay(q.end) === null)
      throw bad('quietHours', '{"start": "HH:MM", "end": "HH:MM", "action": "wait" | "skip"}');
    if (q.action !== undefined && q.action !== 'wait' && q.action !== 'skip')
      throw bad('quietHours.action', '"wait" or "skip"');
    settings.quietHours = { start: q.start, end: q.end, action: q.action ?? 'wait' };
  }
  if (b.partner !== undefined && b.partner !== null) {
    const p = b.partner;
    let url: URL | null = null;
    try {
      url = new URL(p?.url);
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol)) throw bad('partner.url', 'an absolute http(s) URL');
    const partner = { ...DEFAULT_PARTNER, url: url.toString() };
    if (p.style !== undefined) {
      if (p.style !== 'query' && p.style !== 'body') throw bad('partner.style', '"query" or "body"');
      partner.style = p.style;
    }
    if (p.eventCount !== undefined) {
      if (!Number.isInteger(p.eventCount) || p.eventCount < 1 || p.eventCount > 100)
        throw bad('partner.eventCount', 'a whole number from 1 to 100');
      partner.eventCount = p.eventCount;
    }
    if (p.timeoutMs !== undefined) {
      if (!Number.isInteger(p.timeoutMs) || p.timeoutMs < 100 || p.timeoutMs > 30_000)
        throw bad('partner.timeoutMs', 'milliseconds from 100 to 30000');
      partner.timeoutMs = p.timeoutMs;
    }
    if (p.fallback !== undefined) {
      if (p.fallback !== 'send' && p.fallback !== 'exit') throw bad('partner.fallback', '"send" or "exit"');
      partner.fallback = p.fallback;
    }
    partner.headers = checkHeaders(p.headers, stored.partner?.headers ?? {}, bad);
    settings.partner = partner;
  }
  for (const key of ['discountCode', 'paymentLinkBase'] as const) {
    if (b[key] === undefined || b[key] === null) continue;
    if (typeof b[key] !== 'string' || b[key].length === 0 || b[key].length > 500)
      throw bad(key, 'a string of 1 to 500 characters');
    settings[key] = b[key];
  }
  return settings;
}

import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { parseTimeOfDay } from '../../journeys/duration.js';
import { DEFAULT_JOURNEY_SETTINGS, DEFAULT_PARTNER, type JourneySettings } from '../../journeys/settings.js';
import { getJourneySettings, putJourneySettings } from '../../storage/journeys.js';
import { storeOf } from '../auth.js';
import { bearerAuth, judgeEachEventInHandler, type RouteDeps } from '../route-deps.js';

/** A store's journey settings (docs/journeys.md): quiet hours, the checkout partner, discount code, payment links. */
export function journeySettingsRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps.storage;
  const tags = ['journeys'];

  app.get('/v1/journey-settings', {
    schema: {
      summary:
        "The store's journey settings: quiet hours, the checkout partner's recent-events API, discount code, payment links",
      tags,
      security: bearerAuth,
    },
    onRequest: deps.auth.storeKey,
    handler: async (request) => getJourneySettings(db, storeOf(request).id, DEFAULT_JOURNEY_SETTINGS),
  });

  app.put<{ Body: unknown }>('/v1/journey-settings', {
    schema: { summary: "Replace the store's journey settings", tags, security: bearerAuth },
    validatorCompiler: judgeEachEventInHandler,
    onRequest: deps.auth.storeKey,
    handler: async (request) => {
      const settings = checkSettings(request.body);
      await putJourneySettings(db, storeOf(request).id, settings, deps.clock.now());
      return settings;
    },
  });
}

function checkSettings(body: unknown): JourneySettings {
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
    if (p.headers !== undefined) {
      if (
        typeof p.headers !== 'object' ||
        p.headers === null ||
        Object.values(p.headers).some((v) => typeof v !== 'string')
      )
        throw bad('partner.headers', 'an object of header names to strings');
      partner.headers = p.headers;
    }
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

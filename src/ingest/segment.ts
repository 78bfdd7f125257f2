import { createHash } from 'node:crypto';
import type { Adapted, Rejection, StoreContext, StoreEvent, Warning } from '../domain/store-event.js';
import { formatIsoUtc, parseTimestamp } from '../domain/time.js';
import { mapEcommerce } from './segment-ecommerce.js';
import { profileFromTraits, segmentIdentity } from './segment-identity.js';
import { SegmentMessage, type SegmentType } from './segment-schema.js';
import { checker } from './validate.js';

/**
 * A Segment message (track, identify, page, screen, group, alias) -> StoreEvent. Pure: the
 * request around it (when it was received, the batch's sentAt) comes in as `envelope`.
 */

type Raw = Record<string, unknown>;
const messageChecker = checker(SegmentMessage);

export interface SegmentEnvelope {
  /** Storewire's clock when the request arrived. */
  receivedAt: number;
  /** The batch's sentAt (a message's own sentAt wins). */
  sentAt?: unknown;
  /** The batch's context, for messages without their own. */
  context?: unknown;
  /** The route's type (/v1/track...); a batch message names its own. */
  type?: SegmentType;
}

const isRaw = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const fail = (code: string, message: string, path?: string): { ok: false; error: Rejection } => ({
  ok: false,
  error: { code, message, ...(path ? { path } : {}) },
});

export function adaptSegmentMessage(raw: unknown, ctx: StoreContext, envelope: SegmentEnvelope): Adapted {
  const problem = messageChecker.check(raw);
  if (problem) return { ok: false, error: problem };
  const msg = raw as Raw;
  // The route says what the call is (Segment does the same); in a batch each message says.
  const type = envelope.type ?? (msg.type as SegmentType | undefined);
  if (!type)
    return fail(
      'VALIDATION_FAILED',
      'a batch message needs its type (track, identify, page, screen, group or alias)',
      '/type',
    );

  const eventName = typeof msg.event === 'string' ? msg.event.trim() : '';
  if (type === 'track' && eventName === '')
    return fail('VALIDATION_FAILED', 'a track call needs its event name', '/event');
  if (type === 'alias' && (msg.previousId === undefined || msg.previousId === null || msg.previousId === '')) {
    return fail('VALIDATION_FAILED', 'an alias call needs previousId', '/previousId');
  }

  const time = eventTime(msg, envelope);
  if (!time.ok) return time;

  const traits = isRaw(msg.traits) ? msg.traits : null;
  const context = isRaw(msg.context) ? msg.context : isRaw(envelope.context) ? envelope.context : null;
  // identify names the shopper in traits; other calls may repeat the email or phone in context.traits.
  const namingTraits = type === 'identify' ? traits : context && isRaw(context.traits) ? context.traits : null;
  const who = segmentIdentity(
    type === 'alias' ? { userId: msg.userId, anonymousId: msg.previousId } : msg,
    namingTraits,
    ctx.defaultCountry,
    type === 'identify',
  );
  if (!who.ok) return who;

  const properties = isRaw(msg.properties) ? msg.properties : {};
  const event: StoreEvent = {
    eventId: eventIdOf(msg, type, envelope.receivedAt),
    name: type,
    subName: null,
    kind: type === 'identify' || type === 'alias' || type === 'group' ? 'system' : 'activity',
    source: 'segment',
    occurredAt: time.occurredAt,
    timestamp: formatIsoUtc(time.occurredAt),
    data: properties,
    identity: who.identity,
    products: [],
    warnings: [...time.warnings, ...who.warnings],
  };

  switch (type) {
    case 'track': {
      event.name = eventName;
      const refused = mapEcommerce(eventName, properties, event);
      if (refused) return { ok: false, error: refused };
      break;
    }
    case 'identify':
      event.data = traits ?? {};
      event.profile = profileFromTraits(traits);
      break;
    case 'page':
    case 'screen':
      event.name = type === 'page' ? 'page_view' : 'screen_view';
      event.subName = typeof msg.name === 'string' && msg.name.trim() !== '' ? msg.name.trim() : null;
      if (typeof msg.category === 'string' && properties.category === undefined)
        event.data = { ...properties, category: msg.category };
      break;
    case 'group':
      event.data = { groupId: msg.groupId ?? null, traits: traits ?? {} };
      break;
    case 'alias':
      event.data = { previousId: msg.previousId, userId: msg.userId ?? null };
      break;
  }
  return { ok: true, event };
}

/**
 * Segment's clock-skew correction: the client's clock may be off, but the time between its
 * timestamp and its sentAt is right, so occurredAt = receivedAt - (sentAt - timestamp). Without
 * sentAt the timestamp is taken as is; without a timestamp, the time it arrived. Never later
 * than it arrived.
 */
function eventTime(
  msg: Raw,
  envelope: SegmentEnvelope,
): { ok: true; occurredAt: number; warnings: Warning[] } | { ok: false; error: Rejection } {
  const given = msg.timestamp ?? msg.originalTimestamp;
  const warnings: Warning[] = [];
  if (given === undefined || given === null) return { ok: true, occurredAt: envelope.receivedAt, warnings };
  const at = parseTimestamp(given, 'UTC');
  if (at === null) {
    // Segment keeps such an event at the time it arrived rather than losing it (a client that
    // is told 400 drops the whole batch).
    const field = msg.timestamp !== undefined ? 'timestamp' : 'originalTimestamp';
    warnings.push({
      code: 'TIMESTAMP_REPLACED',
      message: `${field} ${JSON.stringify(given).slice(0, 60)} is not a time Storewire can read; the event was kept at the time it arrived`,
    });
    return { ok: true, occurredAt: envelope.receivedAt, warnings };
  }
  const sentGiven = msg.sentAt ?? envelope.sentAt;
  if (sentGiven === undefined || sentGiven === null) return { ok: true, occurredAt: at, warnings };
  const sentAt = parseSentAt(sentGiven);
  if (sentAt === null) {
    warnings.push({
      code: 'INVALID_SENT_AT',
      message: `sentAt "${String(sentGiven)}" is not a time; the timestamp was taken as sent`,
    });
    return { ok: true, occurredAt: at, warnings };
  }
  return { ok: true, occurredAt: Math.min(envelope.receivedAt, envelope.receivedAt - (sentAt - at)), warnings };
}

// Every message of a batch shares the batch's sentAt: it is read once, not once per message.
let lastSentGiven: unknown;
let lastSentAt: number | null = null;
function parseSentAt(given: unknown): number | null {
  if (given !== lastSentGiven) {
    lastSentAt = parseTimestamp(given, 'UTC');
    lastSentGiven = given;
  }
  return lastSentAt;
}

/**
 * segment:<messageId>, so a replayed message is a duplicate. A message without one (a
 * hand-written HTTP call) is identified by its content when it says when it happened, else it
 * is new each time.
 */
function eventIdOf(msg: Raw, type: SegmentType, receivedAt: number): string {
  if (typeof msg.messageId === 'string' || typeof msg.messageId === 'number') return `segment:${msg.messageId}`;
  const when = msg.timestamp ?? msg.originalTimestamp ?? receivedAt;
  const content = JSON.stringify([
    type,
    msg.userId ?? null,
    msg.anonymousId ?? null,
    msg.previousId ?? null,
    msg.event ?? msg.name ?? null,
    when,
    msg.properties ?? msg.traits ?? null,
  ]);
  return `segment:h:${createHash('sha256').update(content).digest('hex').slice(0, 40)}`;
}

import type { Rejection } from '../domain/store-event.js';
import type { SegmentType } from './segment-schema.js';
import { MAX_JSON_DEPTH, tooDeep } from './validate.js';

/** Segment's limits: 32 KB per message (a single call, or each message of a batch), 500 KB per batch. */
export const SEGMENT_MAX_EVENT_BYTES = 32 * 1024;
export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;

export interface SegmentRequest {
  messages: unknown[];
  /** The batch's sentAt and context, which apply to each of its messages. */
  sentAt: unknown;
  context: unknown;
  /** Whether the call was one message (/v1/track...) rather than a batch. */
  single: boolean;
}

/** The messages of a request: {"batch": [...]} on /v1/batch, the body itself on /v1/track and the like. */
export function readSegmentBody(body: unknown, type: SegmentType | 'batch'): SegmentRequest | Rejection {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { code: 'VALIDATION_FAILED', message: 'the body must be a JSON object', path: 'body' };
  }
  const raw = body as Record<string, unknown>;
  if (type !== 'batch') return { messages: [raw], sentAt: undefined, context: undefined, single: true };
  if (!Array.isArray(raw.batch))
    return { code: 'VALIDATION_FAILED', message: 'a batch needs "batch": [messages]', path: '/batch' };
  return { messages: raw.batch, sentAt: raw.sentAt, context: raw.context, single: false };
}

/**
 * One walk over a message of a batch: nested deeper than MAX_JSON_DEPTH, or over 32 KB as
 * JSON. The walk adds up a bound of the message's JSON size (every character of a string
 * counted as an escape, 6 bytes, more than any UTF-8 takes); only a message whose bound passes
 * 32 KB is serialized to be measured exactly, so common messages are never serialized twice.
 */
export function inspectMessage(message: unknown): Rejection | null {
  let bound = 0;
  const stack: [unknown, number][] = [[message, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      bound += 2 + 6 * value.length;
      continue;
    }
    if (value === null || typeof value !== 'object') {
      bound += 24; // the longest number JSON writes
      continue;
    }
    if (depth >= MAX_JSON_DEPTH) return tooDeep();
    bound += 2;
    if (Array.isArray(value)) {
      for (const item of value) {
        bound += 1;
        stack.push([item, depth + 1]);
      }
    } else {
      for (const key of Object.keys(value)) {
        bound += 4 + 6 * key.length;
        stack.push([(value as Record<string, unknown>)[key], depth + 1]);
      }
    }
  }
  return bound > SEGMENT_MAX_EVENT_BYTES && messageTooLarge(message) ? eventTooLarge() : null;
}

/** Whether a message is over 32 KB as JSON (UTF-8 bytes). */
export function messageTooLarge(message: unknown): boolean {
  const json = JSON.stringify(message) ?? '';
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short text needs no exact count.
  if (json.length * 3 <= SEGMENT_MAX_EVENT_BYTES) return false;
  return json.length > SEGMENT_MAX_EVENT_BYTES || Buffer.byteLength(json) > SEGMENT_MAX_EVENT_BYTES;
}

export const eventTooLarge = (): Rejection => ({
  code: 'EVENT_TOO_LARGE',
  message: `the message is over ${SEGMENT_MAX_EVENT_BYTES / 1024} KB (Segment's limit per event); it was not stored`,
});

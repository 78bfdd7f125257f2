import type { FastifyReply } from 'fastify';
import type { Adapted, Rejection } from '../domain/store-event.js';
import type { EventOutcome } from '../engine/outcome.js';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import type { Metrics } from '../observability/metrics.js';
import { sendError } from './reply-error.js';

export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: Rejection }[];
  warnings: { index: number; code: string; message: string }[];
  /** Per input index: the outcome of an event that reached the engine. */
  outcomes: (EventOutcome | null)[];
}

/** Splits adapted inputs into events for the engine and rejections, keeping input indexes. */
export function partition(adapted: Adapted[]) {
  const events = [];
  const indexes: number[] = [];
  const rejected: { index: number; error: Rejection }[] = [];
  for (const [index, result] of adapted.entries()) {
    if (result.ok) {
      events.push(result.event);
      indexes.push(index);
    } else {
      rejected.push({ index, error: result.error });
    }
  }
  return { events, indexes, rejected };
}

export function summarize(
  total: number,
  indexes: number[],
  outcomes: EventOutcome[],
  rejected: { index: number; error: Rejection }[],
  metrics: Metrics,
  source: string,
): BatchAnswer {
  const answer: BatchAnswer = {
    accepted: 0,
    duplicates: 0,
    rejected: [...rejected],
    warnings: [],
    outcomes: new Array(total).fill(null),
  };
  outcomes.forEach((outcome, i) => {
    const index = indexes[i]!;
    answer.outcomes[index] = outcome;
    if (outcome.status === 'accepted') {
      answer.accepted += 1;
      for (const w of outcome.warnings) answer.warnings.push({ index, ...w });
    } else if (outcome.status === 'duplicate') {
      answer.duplicates += 1;
    } else if (outcome.status === 'rejected') {
      answer.rejected.push({ index, error: outcome.error });
    } else {
      answer.warnings.push({ index, code: outcome.reason.code, message: outcome.reason.message });
    }
  });
  answer.rejected.sort((a, b) => a.index - b.index);
  metrics.events.inc({ source, outcome: 'accepted' }, answer.accepted);
  metrics.events.inc({ source, outcome: 'duplicate' }, answer.duplicates);
  metrics.events.inc({ source, outcome: 'rejected' }, answer.rejected.length);
  return answer;
}

export const knownCode = (code: string): ErrorCode => (code in ERROR_CODES ? (code as ErrorCode) : 'VALIDATION_FAILED');

/**
 * A lone object that is refused gets a plain 400 naming the problem; in a batch, refused
 * events are listed and the rest are stored. When every event of a batch is refused, the
 * request as a whole is a 400 (INVALID_EVENTS) with the same list.
 */
export function sendBatchAnswer(
  reply: FastifyReply,
  answer: BatchAnswer,
  single: boolean,
  successStatus: number,
  extra: object = {},
) {
  const nothingStored = answer.accepted === 0 && answer.duplicates === 0;
  if (nothingStored && answer.rejected.length > 0) {
    if (single) {
      const { error } = answer.rejected[0]!;
      const details = {
        ...(error.path ? { path: error.path } : {}),
        ...(error.details !== undefined ? (error.details as object) : {}),
      };
      return sendError(
        reply,
        knownCode(error.code),
        error.message,
        Object.keys(details).length > 0 ? details : undefined,
      );
    }
    return sendError(reply, 'INVALID_EVENTS', `all ${answer.rejected.length} events were refused`, {
      rejected: answer.rejected,
    });
  }
  const { outcomes: _outcomes, ...body } = answer;
  return reply.code(successStatus).send({ ...body, ...extra });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Adapted, StoreContext } from '../domain/store-event.js';
import { splitBatchBody } from '../ingest/batch-body.js';
import { nestedDeeperThan, tooDeep } from '../ingest/validate.js';
import { storeOf } from './auth.js';
import { partition, sendBatchAnswer, summarize, type BatchAnswer } from './batch-answer.js';
import { sendError } from './reply-error.js';
import { storeContext, type RouteDeps } from './route-deps.js';

export interface BatchIngest {
  /** "events" or "contacts": the envelope key, and the word used in messages. */
  noun: 'events' | 'contacts';
  source: string;
  adapt(raw: unknown, ctx: StoreContext, now: number): Adapted;
  successStatus: number;
  maxItems?: number;
  /** Fields to add to a successful answer. */
  extra?(answer: BatchAnswer): object;
}

/**
 * The handler of every batch endpoint: one item, an array, or {"<noun>": [...]}; each item
 * adapted on its own, the valid ones applied together, the answer listing what was refused.
 */
export function batchIngestHandler(deps: RouteDeps, spec: BatchIngest) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const store = storeOf(request);
    const batch = splitBatchBody(request.body, spec.noun);
    if (!batch)
      return sendError(reply, 'VALIDATION_FAILED', `body must be one item, an array, or {"${spec.noun}": [...]}`);
    const { items, single } = batch;
    if (items.length === 0) return sendError(reply, 'EMPTY_BATCH', `the batch has no ${spec.noun}`);
    if (spec.maxItems !== undefined && items.length > spec.maxItems) {
      return sendError(
        reply,
        'VALIDATION_FAILED',
        `at most ${spec.maxItems} ${spec.noun} per request (got ${items.length})`,
        { path: 'body' },
      );
    }
    const ctx = storeContext(store);
    const now = deps.clock.now();
    const { events, indexes, rejected } = partition(
      items.map((raw) =>
        nestedDeeperThan(raw) ? { ok: false as const, error: tooDeep() } : spec.adapt(raw, ctx, now),
      ),
    );
    const outcomes = await deps.engine.apply(store, events);
    const answer = summarize(items.length, indexes, outcomes, rejected, deps.metrics, spec.source);
    return sendBatchAnswer(reply, answer, single, spec.successStatus, spec.extra?.(answer));
  };
}

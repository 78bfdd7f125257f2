import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OverloadedError } from '../../engine/group-commit.js';
import { adaptSegmentMessage } from '../../ingest/segment.js';
import {
  inspectMessage,
  readSegmentBody,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_EVENT_BYTES,
} from '../../ingest/segment-request.js';
import { SegmentBatchBody, SegmentMessage, SegmentResult, type SegmentType } from '../../ingest/segment-schema.js';
import { nestedDeeperThan, tooDeep } from '../../ingest/validate.js';
import { knownCode, partition, summarize } from '../batch-answer.js';
import { gunzipBody } from '../gunzip-body.js';
import { sendError } from '../reply-error.js';
import { storeContext, type RouteDeps } from '../route-deps.js';
import { WriteKeyAuth, writeKeyOf } from '../segment-auth.js';

/** Seconds a Segment client is asked to wait when Storewire sheds load. */
const RETRY_AFTER_SECONDS = '1';

/**
 * Segment's HTTP tracking API, so an unmodified Segment or RudderStack client (host set to
 * Storewire, write key = the store's ingest token) delivers to Storewire. analytics.js posts
 * to the one-letter paths (/v1/t, /v1/b...), the other clients to the long ones.
 */
const ROUTES: { type: SegmentType | 'batch'; paths: string[] }[] = [
  { type: 'batch', paths: ['/v1/batch', '/v1/b', '/v1/import'] },
  { type: 'track', paths: ['/v1/track', '/v1/t'] },
  { type: 'identify', paths: ['/v1/identify', '/v1/i'] },
  { type: 'page', paths: ['/v1/page', '/v1/p'] },
  { type: 'screen', paths: ['/v1/screen', '/v1/s'] },
  { type: 'group', paths: ['/v1/group', '/v1/g'] },
  { type: 'alias', paths: ['/v1/alias', '/v1/a'] },
];

export function segmentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const auth = new WriteKeyAuth(deps.storage.db);
  deps.auth.onForget((storeId) => auth.forgetStore(storeId));
  // A scope of its own: Segment's limits, gzip, CORS and error answers apply to these routes only.
  void app.register(async (scope) => {
    scope.addHook('preParsing', gunzipBody);
    // analytics.js posts from the shop's pages, to another origin.
    scope.addHook('onRequest', (_request, reply, done) => {
      reply.header('access-control-allow-origin', '*');
      done();
    });
    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const batch = (reply.request.routeOptions.bodyLimit ?? 0) > SEGMENT_MAX_EVENT_BYTES;
        return batch
          ? sendError(
              reply,
              'BATCH_TOO_LARGE',
              `the batch is over ${SEGMENT_MAX_BATCH_BYTES / 1024} KB (Segment's limit); nothing was stored, send smaller batches`,
            )
          : sendError(
              reply,
              'EVENT_TOO_LARGE',
              `the message is over ${SEGMENT_MAX_EVENT_BYTES / 1024} KB (Segment's limit); nothing was stored`,
            );
      }
      throw error; // everything else as on every route
    });

    for (const { type, paths } of ROUTES) {
      const handler = segmentHandler(deps, auth, type);
      for (const [i, url] of paths.entries()) {
        scope.post(url, {
          bodyLimit: type === 'batch' ? SEGMENT_MAX_BATCH_BYTES : SEGMENT_MAX_EVENT_BYTES,
          schema: {
            hide: i > 0,
            summary:
              type === 'batch' ? 'Segment batch (Segment spec, as analytics-node sends it)' : `Segment ${type} call`,
            tags: ['segment'],
            security: [{ segmentWriteKey: [] }],
            body: type === 'batch' ? SegmentBatchBody : SegmentMessage,
            response: { 200: SegmentResult },
          },
          validatorCompiler: () => (data: unknown) => ({ value: data }),
          handler,
        });
        scope.options(url, { schema: { hide: true } }, (_request, reply) =>
          reply
            .code(204)
            .header('access-control-allow-methods', 'POST, OPTIONS')
            .header('access-control-allow-headers', 'content-type, authorization, content-encoding')
            .header('access-control-max-age', '86400')
            .send(),
        );
      }
    }
  });
}

function segmentHandler(deps: RouteDeps, auth: WriteKeyAuth, type: SegmentType | 'batch') {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = writeKeyOf(request);
    if (!key)
      return sendError(
        reply,
        'UNAUTHORIZED',
        'send the write key (the store ingest token) as HTTP Basic user, or as "writeKey" in the body',
      );
    const store = await auth.find(key);
    if (!store) return sendError(reply, 'UNAUTHORIZED', 'unknown write key');

    const read = readSegmentBody(request.body, type);
    if ('code' in read) return sendError(reply, 'VALIDATION_FAILED', read.message, { path: read.path });
    const { messages, single } = read;
    const ctx = storeContext(store);
    const envelope = {
      receivedAt: deps.clock.now(),
      sentAt: read.sentAt,
      context: read.context,
      ...(type === 'batch' ? {} : { type }),
    };
    const adapted = messages.map((raw) => {
      // A single call's size is its body's, which the route's body limit already checked.
      const refused = single ? (nestedDeeperThan(raw) ? tooDeep() : null) : inspectMessage(raw);
      return refused ? { ok: false as const, error: refused } : adaptSegmentMessage(raw, ctx, envelope);
    });
    const { events, indexes, rejected } = partition(adapted);

    let outcomes;
    try {
      outcomes = await deps.engine.apply(store, events);
    } catch (error) {
      if (!(error instanceof OverloadedError)) throw error;
      // Segment clients wait Retry-After (analytics.js: X-RateLimit-Reset) and send again.
      reply.header('retry-after', RETRY_AFTER_SECONDS).header('x-ratelimit-reset', RETRY_AFTER_SECONDS);
      return sendError(
        reply,
        'RATE_LIMITED',
        'Storewire is busy; nothing was stored, retry after the Retry-After seconds',
      );
    }
    const answer = summarize(messages.length, indexes, outcomes, rejected, deps.metrics, 'segment');
    if (single && answer.accepted === 0 && answer.duplicates === 0 && answer.rejected.length > 0) {
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
    return reply.code(200).send({
      success: true,
      accepted: answer.accepted,
      duplicates: answer.duplicates,
      rejected: answer.rejected,
      warnings: answer.warnings,
    });
  };
}

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { isUnavailable } from '../storage/database-errors.js';
import { redactUrl } from './log-redaction.js';
import { sendAppError, sendError } from './reply-error.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

/**
 * Maps every failure to the error catalogue. Faults of the client are 4xx with what to fix;
 * a 500 only ever means a bug, and its details go to the log, not to the client.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
  );

  app.setErrorHandler(handleError);
}

/** The body could not be read as JSON (malformed, empty, a NUL in it): what went wrong, or null for any other failure. */
export function bodyReadProblem(error: FastifyError): string | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'the body is not valid JSON';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request needs a JSON body';
    case 'NUL_IN_BODY':
      return error.message;
  }
  return error instanceof SyntaxError ? `the body is not valid JSON: ${error.message}` : null;
}

/** The server's error handler (routes with an error shape of their own fall back to it). */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return sendAppError(reply, error);
  if (error.validation) {
    const issue = (error.validation[0] ?? {}) as ValidationIssue;
    const where = `${error.validationContext ?? 'body'}${issue.instancePath ?? ''}`;
    return sendError(reply, 'VALIDATION_FAILED', `${where} ${issue.message ?? 'is invalid'}`, {
      path: where,
      issues: error.validation.map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath ?? ''}`,
        message: v.message,
      })),
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 'INVALID_JSON', 'the body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'EMPTY_BODY', 'the request needs a JSON body');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'PAYLOAD_TOO_LARGE', 'the body is over 1 MB; send smaller batches');
    case 'NUL_IN_BODY':
      return sendError(reply, 'VALIDATION_FAILED', error.message);
  }
  if (error instanceof SyntaxError)
    return sendError(reply, 'INVALID_JSON', `the body is not valid JSON: ${error.message}`);
  if (isUnavailable(error)) {
    request.log.warn({ err: error, reqId: request.id, url: redactUrl(request.url) }, 'database unavailable');
    reply.header('retry-after', '1');
    return sendError(reply, 'SERVICE_UNAVAILABLE', 'the database is unavailable; nothing was stored, retry later');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, 'VALIDATION_FAILED', error.message);
  }
  request.log.error(
    { err: error, reqId: request.id, method: request.method, url: redactUrl(request.url) },
    'request failed',
  );
  return sendError(reply, 'INTERNAL_ERROR', 'an unexpected error occurred; nothing was stored');
}

import type { FastifyReply } from 'fastify';
import { type AppError, ERROR_CODES, type ErrorCode } from '../errors.js';

/** Every error leaves as {"error": {"code", "message", "details"?}} with the catalogue's status. */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: unknown): FastifyReply {
  return reply
    .code(ERROR_CODES[code].status)
    .send({ error: { code, message, ...(details !== undefined ? { details } : {}) } });
}

export function sendAppError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', '1');
  return sendError(reply, error.code, error.message, error.details);
}

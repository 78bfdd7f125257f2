import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { jsonHasNul, wellFormedJson } from './json-nul.js';

const LIMIT = 64 * 1024;

/**
 * Seed 001 calls its exit API as a GET with a JSON body. Fastify leaves GET bodies unread, so
 * this reads one from the raw request when there is one.
 */
export async function readGetBody(request: FastifyRequest): Promise<Record<string, unknown> | null> {
  const length = Number(request.headers['content-length'] ?? 0);
  if (!length && !request.headers['transfer-encoding']) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > LIMIT) throw new AppError('PAYLOAD_TOO_LARGE', 'the body of this GET is over 64 KB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return null;
  if (jsonHasNul(text))
    throw new AppError('VALIDATION_FAILED', 'NUL characters (\\u0000) are not accepted', { path: 'body' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_JSON', 'the body is not valid JSON');
  }
  parsed = wellFormedJson(parsed, text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('VALIDATION_FAILED', 'body must be a JSON object', { path: 'body' });
  }
  return parsed as Record<string, unknown>;
}

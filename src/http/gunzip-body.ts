import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

type RawBody = Readable & { receivedEncodedLength?: number };

/**
 * preParsing hook: a body sent with Content-Encoding: gzip is unzipped before it is read
 * (RudderStack's SDKs compress by default). Fastify's body limit then applies to the unzipped
 * bytes, and its length check to the zipped ones, which receivedEncodedLength reports.
 */
export function gunzipBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RawBody,
  done: (error: Error | null, body?: RawBody) => void,
): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') {
    done(null, payload);
    return;
  }
  if (encoding !== 'gzip') {
    done(
      Object.assign(new Error(`Content-Encoding "${encoding}" is not supported; send gzip or none`), {
        statusCode: 400,
      }),
    );
    return;
  }
  const unzipped: Gunzip & { receivedEncodedLength: number } = Object.assign(createGunzip(), {
    receivedEncodedLength: 0,
  });
  payload.on('data', (chunk: Buffer) => {
    unzipped.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (error) => unzipped.destroy(error));
  payload.pipe(unzipped);
  done(null, unzipped);
}

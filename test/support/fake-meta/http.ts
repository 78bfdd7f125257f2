import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** Plumbing shared by the fake Meta servers: a loopback server, JSON answers, injected faults. */

export type Handler = (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 with a free port; close() also cuts keep-alive and hanging connections. */
export async function startLoopback(handler: Handler): Promise<LoopbackServer> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks))).catch((err) => {
        if (!res.headersSent) sendJson(res, 500, graphErrorBody(1, `fake server error: ${(err as Error).message}`));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Meta's Graph error body, e.g. graphErrorBody(131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit'). */
export function graphErrorBody(
  code: number,
  message: string,
  extra: { subcode?: number; details?: string; type?: string; messagingProduct?: string } = {},
): Record<string, unknown> {
  const error: Record<string, unknown> = { message, type: extra.type ?? 'OAuthException', code };
  if (extra.details !== undefined) {
    error.error_data = extra.messagingProduct
      ? { messaging_product: extra.messagingProduct, details: extra.details }
      : { details: extra.details };
  }
  if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
  error.fbtrace_id = randomId(12);
  return { error };
}

export function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * What the next calls do instead of being handled: answer with a status and body, never answer
 * (the client times out), or cut the connection without an answer.
 */
export type Fault =
  | { kind: 'fail'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

export class FaultQueue {
  private readonly queue: Fault[] = [];

  add(count: number, fault: Fault): void {
    for (let i = 0; i < count; i++) this.queue.push(fault);
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Applies the next fault to this request; false when none is queued. */
  apply(req: IncomingMessage, res: ServerResponse): boolean {
    const fault = this.queue.shift();
    if (!fault) return false;
    if (fault.kind === 'fail') sendJson(res, fault.status, fault.body ?? '', fault.headers);
    else if (fault.kind === 'drop') req.socket.destroy();
    // 'hang': leave the response open; close() cuts it.
    return true;
  }
}

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

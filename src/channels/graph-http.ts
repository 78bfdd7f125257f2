import { Agent, request, type Dispatcher } from 'undici';
import { RetryAfterError } from './channel.js';

/**
 * The HTTP side of Meta's Graph API, shared by the WhatsApp and Messenger channels: one
 * keep-alive connection pool per process, a deadline per request, and every transport failure
 * (refused, reset, closed, timed out) turned into a RetryAfterError. What an answer means is
 * decided by the caller (graph-errors.ts).
 */

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';
/**
 * The Graph API version a channel calls unless its account names another (`graphVersion`).
 * Meta keeps a version for about two years after the next one ships; v24.0 (October 2025) is
 * served until February 2028. docs/channels.md says how to move an account to a newer one.
 */
export const DEFAULT_GRAPH_VERSION = 'v24.0';
export const DEFAULT_GRAPH_TIMEOUT_MS = 10_000;
/** How long to wait before retrying after the provider could not be reached or did not answer. */
export const TRANSPORT_RETRY_MS = 5_000;

export interface GraphResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

export interface GraphRequestOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Defaults to the process-wide keep-alive agent. */
  dispatcher?: Dispatcher;
}

let shared: Agent | null = null;

/** The process-wide keep-alive agent every Graph call goes through unless told otherwise. */
export function graphAgent(): Agent {
  shared ??= new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 128 });
  return shared;
}

/** Closes the shared agent (at shutdown); the next call opens a new one. */
export async function closeGraphAgent(): Promise<void> {
  const agent = shared;
  shared = null;
  if (agent) await agent.close();
}

/** `{base}/{version}/{path}` without doubled slashes. */
export function graphUrl(baseUrl: string | undefined, version: string | undefined, path: string): string {
  const base = (baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const ver = (version ?? DEFAULT_GRAPH_VERSION).replace(/^\/+|\/+$/g, '');
  return `${base}/${ver}/${path.replace(/^\/+/, '')}`;
}

/** POSTs JSON; resolves with any HTTP answer, rejects only with a RetryAfterError for transport failures. */
export async function postGraph(url: string, body: unknown, options: GraphRequestOptions = {}): Promise<GraphResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(body),
      dispatcher: options.dispatcher ?? graphAgent(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: parseBody(text) };
  } catch (err) {
    throw transportError(err, timeoutMs);
  }
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Failures before any byte could reach the provider. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** A request that never got an answer: the provider may or may not have the message; retry later. */
export function transportError(err: unknown, timeoutMs: number): RetryAfterError {
  if (err instanceof RetryAfterError) return err;
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new RetryAfterError(TRANSPORT_RETRY_MS, 'CONNECT_TIMEOUT', 'could not connect to the provider in time');
  if (e?.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new RetryAfterError(TRANSPORT_RETRY_MS, 'TIMEOUT', `no answer from the provider within ${timeoutMs} ms`);
  }
  if (code === 'ECONNREFUSED')
    return new RetryAfterError(TRANSPORT_RETRY_MS, 'ECONNREFUSED', 'connection refused by the provider');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new RetryAfterError(TRANSPORT_RETRY_MS, 'ECONNRESET', 'the provider closed the connection before answering');
  }
  const reason = e?.cause?.message ?? e?.message ?? String(err);
  if (code && UNREACHABLE.has(code))
    return new RetryAfterError(TRANSPORT_RETRY_MS, 'UNREACHABLE', `could not reach the provider: ${reason}`);
  return new RetryAfterError(
    TRANSPORT_RETRY_MS,
    'NETWORK_ERROR',
    `the request to the provider failed: ${code ? `${code} ` : ''}${reason}`,
  );
}

/** Transport failures after which the provider may have the message even though no answer came. */
const AMBIGUOUS = new Set(['TIMEOUT', 'ECONNRESET', 'NETWORK_ERROR']);

/**
 * True when a send failed in a way that leaves it unknown whether the provider took the message
 * (no answer in time, connection cut mid-request): retrying may send it twice. Refused
 * connections and every answer from the provider (130429, 5xx, …) are not ambiguous.
 */
export function mayHaveReachedProvider(err: unknown): boolean {
  return err instanceof RetryAfterError && AMBIGUOUS.has(err.code);
}

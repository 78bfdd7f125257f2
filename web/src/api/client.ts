/**
 * The one way the dashboard talks to Storewire: the same HTTP API a store's developer uses, with
 * the session cookie instead of a key. Store routes name their store in `X-Store-Id`; anything
 * that changes state carries the session's CSRF token (docs/dashboard.md).
 */

/** An answer that was not a success, with the API's error code ("NOT_FOUND", "FORBIDDEN"...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
    /** The error's `details` (a field's path, the parameter at fault…), when the API gave any. */
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
  }
}

/** No answer at all: the server is down or the network is gone. */
export const NETWORK_ERROR = 'NETWORK';

export type Query = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  storeId?: string;
  csrfToken?: string;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.storeId) headers['x-store-id'] = options.storeId;
  if (method !== 'GET' && options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, NETWORK_ERROR, 'Storewire did not answer. Check your connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = parseJson(text);
  if (response.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | null)
    ?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
    typeof error?.message === 'string' ? error.message : `Storewire answered ${response.status}.`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    error?.details && typeof error.details === 'object' ? error.details : null,
  );
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Calls made on behalf of one store by the signed-in user. */
export interface StoreApi {
  storeId: string;
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A file the API answers (the contacts' CSV), with the name its Content-Disposition gives. */
  file(path: string): Promise<{ blob: Blob; filename: string | null }>;
}

/** A GET whose answer is a file, not JSON; a failure is the API's error, as for every call. */
export async function requestFile(path: string, storeId: string): Promise<{ blob: Blob; filename: string | null }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { 'x-store-id': storeId }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, 'Storewire did not answer. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = (parseJson(await response.text()) as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `Storewire answered ${response.status}.`,
    );
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  return { blob: await response.blob(), filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null };
}

export function storeApi(storeId: string, csrfToken: string, onUnauthorized: () => void): StoreApi {
  const guard = async <T>(call: Promise<T>): Promise<T> => {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
      throw error;
    }
  };
  return {
    storeId,
    get: (path, query, signal) => guard(request(path, { query, storeId, signal })),
    send: (method, path, body) => guard(request(path, { method, body, storeId, csrfToken })),
    file: (path) => guard(requestFile(path, storeId)),
  };
}

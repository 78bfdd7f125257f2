import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Query } from '../api/client.js';
import { useStore } from '../frame/store-context.js';

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
  /** Reads again without showing "loading" or dropping what is shown (live updates, ui/use-live.ts). */
  refresh(): void;
}

/**
 * Reads one API path for the current store. `path` null waits (nothing to read yet). The
 * answer of an older request never overwrites a newer one.
 */
export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const { api } = useStore();
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [attempt, setAttempt] = useState(0);
  const quiet = useRef(false);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    const silent = quiet.current;
    quiet.current = false;
    if (!silent) setState((s) => ({ ...s, loading: true, error: null }));
    api.get<T>(path, query, controller.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: Error) => {
        // A quiet read that fails keeps what is shown; the next change tries again.
        if (error.name !== 'AbortError' && !silent) setState({ data: null, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [api, key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => {
    quiet.current = true;
    setAttempt((n) => n + 1);
  }, []);
  return { ...state, reload, refresh };
}

export interface KeysetList<T> {
  items: T[];
  error: Error | null;
  loading: boolean;
  /** True while there is a next page to load. */
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
  /** Reads the top again, as many rows as are shown, and replaces them without a "loading" in between. */
  refresh(): void;
}

/**
 * A list read page by page with the API's keyset cursor (`after` = the previous answer's
 * `next`): "Show more" appends the next page; a change of query starts again from the top.
 */
export function useKeysetList<T>(path: string, field: string, query: Query, pageSize = 25): KeysetList<T> {
  const { api } = useStore();
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const controller = useRef<AbortController | null>(null);
  const shown = useRef(0);
  shown.current = items.length;
  const key = JSON.stringify(query);

  const refresh = useCallback(() => {
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    // The API gives at most 200 a page: a longer list keeps its tail until "Show more".
    const limit = Math.min(Math.max(pageSize, shown.current), 200);
    api.get<Record<string, unknown>>(path, { ...query, limit }, own.signal).then(
      (page) => {
        const rows = (page[field] as T[] | undefined) ?? [];
        setItems(rows);
        setNext((page.next as string | null | undefined) ?? null);
      },
      () => {},
    );
  }, [api, path, field, key, pageSize]);

  const load = useCallback(
    (after: string | null) => {
      controller.current?.abort();
      const own = new AbortController();
      controller.current = own;
      setLoading(true);
      setError(null);
      api.get<Record<string, unknown>>(path, { ...query, limit: pageSize, after }, own.signal).then(
        (page) => {
          const rows = (page[field] as T[] | undefined) ?? [];
          setItems((before) => (after ? [...before, ...rows] : rows));
          setNext((page.next as string | null | undefined) ?? null);
          setLoading(false);
        },
        (failure: Error) => {
          if (failure.name === 'AbortError') return;
          setError(failure);
          setLoading(false);
        },
      );
    },
    [api, path, field, key, pageSize],
  );

  useEffect(() => {
    setItems([]);
    setNext(null);
    load(null);
    return () => controller.current?.abort();
  }, [load, attempt]);

  return {
    items,
    error,
    loading,
    hasMore: next !== null,
    loadMore: () => {
      if (next && !loading) load(next);
    },
    reload: () => setAttempt((n) => n + 1),
    refresh,
  };
}

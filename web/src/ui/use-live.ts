import { useEffect, useRef } from 'preact/hooks';
import { useStore } from '../frame/store-context.js';

/** How often a page asks whether what it shows changed (a cheap read of one row). */
export const LIVE_POLL_MS = 2_000;

/**
 * Live updates (docs/overview.md, "Live"): polls the change cursor of `topic` — `store`,
 * `contact:<id>`, `journey:<id>` — while the tab is visible, and calls `onChange` when it moved
 * (not for the first answer: the page has just read what it shows). The cursor is kept in the
 * database, so a write through any API process moves it. `topic` null pauses.
 */
export function useLive(topic: string | null, onChange: () => void, intervalMs = LIVE_POLL_MS): void {
  const { api } = useStore();
  const callback = useRef(onChange);
  callback.current = onChange;

  useEffect(() => {
    if (topic === null) return;
    let last: string | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const poll = async () => {
      clearTimeout(timer);
      if (!inFlight && document.visibilityState === 'visible') {
        inFlight = true;
        try {
          const { cursor } = await api.get<{ cursor: string }>('/v1/live', { topic });
          if (!stopped && last !== null && cursor !== last) callback.current();
          last = cursor;
        } catch {
          // Offline for a moment: the next poll asks again.
        } finally {
          inFlight = false;
        }
      }
      if (!stopped) timer = setTimeout(poll, intervalMs);
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') void poll();
    };
    void poll();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [api, topic, intervalMs]);
}

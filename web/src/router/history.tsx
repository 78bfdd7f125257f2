import type { AnchorHTMLAttributes } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A small client-side router over the History API: the location is the URL, so a reload or a
 * shared link opens the same page (the server answers every page path with the app).
 */

export interface Location {
  path: string;
  search: URLSearchParams;
}

const listeners = new Set<() => void>();
let focusPending = false;

function current(): Location {
  return { path: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  focusPending = true;
  notify();
});

export interface NavigateOptions {
  /** Replace the history entry (filters, redirects) instead of adding one. */
  replace?: boolean;
  /** Move focus to the new page's heading (a new page, not a filter change). */
  focus?: boolean;
}

export function navigate(to: string, options: NavigateOptions = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  focusPending = options.focus ?? !options.replace;
  if (!options.replace) window.scrollTo(0, 0);
  notify();
}

/** True once after a navigation that should move focus to the new page's heading. */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return location;
}

/** The query string of the current URL with some values changed (empty values are dropped). */
export function withSearch(changes: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') search.delete(key);
    else search.set(key, value);
  }
  const text = search.toString();
  return `${window.location.pathname}${text ? `?${text}` : ''}`;
}

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An ordinary link (open in a new tab, copy) that changes page without reloading the app. */
export function Link(props: AnchorProps) {
  const onClick = (event: MouseEvent) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(props.href);
  };
  return <a {...props} href={props.href} onClick={onClick} />;
}

import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { takeFocusRequest } from '../router/history.js';

/**
 * The page's one h1. After a navigation, focus moves here (and the document title changes), so a
 * screen reader announces the new page as a browser would on a full load.
 */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) heading.current?.focus({ preventScroll: true });
  }, []);
  useEffect(() => {
    const parts = document.title.split(' · ');
    document.title = [title, ...parts.slice(1)].join(' · ');
  }, [title]);
  return (
    <div class="page-heading">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

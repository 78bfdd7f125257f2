import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ForbiddenPage, Loading, NotFoundPage, ProblemPage } from '../ui/problem.js';
import type { PageProps, PageRoute } from './section.js';
import { findRoute } from './sections.js';
import { useStore } from './store-context.js';

const loaded = new Map<PageRoute, ComponentType<PageProps>>();

/**
 * Shows the page for a path under the store: loads its code the first time it is opened, and
 * turns away a role the section is not for (the API would answer 403 anyway).
 */
export function PageHost({ path, search }: { path: string; search: URLSearchParams }) {
  const { store } = useStore();
  const match = findRoute(path);
  const route = match?.route ?? null;
  const [, setVersion] = useState(0);
  const [failed, setFailed] = useState<PageRoute | null>(null);
  const Page = route ? loaded.get(route) : undefined;
  const allowed = !match || match.section.roles.includes(store.role);

  useEffect(() => {
    document.title = `${route?.title ?? 'Not found'} · ${store.name} · Storewire`;
  }, [route, store.name]);

  useEffect(() => {
    if (!route || !allowed || loaded.has(route)) return;
    let live = true;
    route.load().then(
      (component) => {
        loaded.set(route, component);
        if (live) setVersion((n) => n + 1);
      },
      () => live && setFailed(route),
    );
    return () => {
      live = false;
    };
  }, [route, allowed]);

  if (!match) return <NotFoundPage />;
  if (!allowed) return <ForbiddenPage hint={match.section.forbiddenHint} />;
  if (Page) return <Page key={path} params={match.params} search={search} />;
  if (failed === route)
    return (
      <ProblemPage
        title="This page did not load"
        action={
          <button type="button" class="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        }
      >
        <p>Its code could not be fetched: Storewire may have been updated or stopped. Reload to try again.</p>
      </ProblemPage>
    );
  return <Loading />;
}

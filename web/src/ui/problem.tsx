import type { ComponentChildren } from 'preact';
import { ApiError, NETWORK_ERROR } from '../api/client.js';
import { useStore } from '../frame/store-context.js';
import { Link } from '../router/history.js';
import { PageHeading } from './page-heading.js';

/** A whole page that says what is wrong and what to do about it. */
export function ProblemPage(props: { title: string; children: ComponentChildren; action?: ComponentChildren }) {
  return (
    <section class="problem" aria-labelledby="problem-title">
      <PageHeading title={props.title} />
      <div class="problem-text">{props.children}</div>
      {props.action ? <p>{props.action}</p> : null}
    </section>
  );
}

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  const { store, link } = useStore();
  return (
    <ProblemPage title="Not found" action={<Link href={link('/contacts')}>Go to contacts</Link>}>
      <p>
        There is no such {what} in <strong>{store.name}</strong>. Check the address, or switch store if it belongs to
        another one.
      </p>
    </ProblemPage>
  );
}

export function ForbiddenPage({ hint }: { hint?: string }) {
  const { store } = useStore();
  return (
    <ProblemPage title="Not allowed">
      <p>
        You are <strong>{store.role}</strong> in {store.name}, and this page needs another role.{' '}
        {hint ?? 'Ask one of the store’s owners if you need it.'}
      </p>
    </ProblemPage>
  );
}

/**
 * What a failed read shows: a 404 is "not found" (also for another store's data, which must look
 * the same), a 403 "not allowed", anything else the API's message and a way to try again.
 */
export function LoadProblem({ error, what, retry }: { error: Error; what: string; retry?: () => void }) {
  if (error instanceof ApiError && error.status === 404) return <NotFoundPage what={what} />;
  if (error instanceof ApiError && error.status === 403) return <ForbiddenPage />;
  return <InlineProblem error={error} retry={retry} />;
}

/** A failure inside a page (a list that did not load), with a retry button. */
export function InlineProblem({ error, retry }: { error: Error; retry?: () => void }) {
  const offline = error instanceof ApiError && error.code === NETWORK_ERROR;
  return (
    <div class="notice notice-bad" role="alert">
      <p>
        {offline ? 'Storewire did not answer. Check that it is running and your connection, then try again.' : null}
        {!offline ? `That did not work: ${error.message}` : null}
      </p>
      {retry ? (
        <button type="button" class="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}

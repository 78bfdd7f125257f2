import { useEffect, useMemo } from 'preact/hooks';
import { storeApi } from './api/client.js';
import type { Session } from './api/types.js';
import { PageHost } from './frame/page-host.js';
import { sectionsFor, storePath } from './frame/sections.js';
import { SessionProvider, useSession } from './frame/session.js';
import { Shell } from './frame/shell.js';
import { SignInPage } from './frame/sign-in-page.js';
import { StandalonePage } from './frame/standalone.js';
import { StoreContext, type StoreContextValue } from './frame/store-context.js';
import { Link, navigate, useLocation } from './router/history.js';
import { matchPath } from './router/match.js';
import { safeNext } from './router/safe-next.js';

const LAST_STORE = 'storewire.lastStore';

function rememberStore(storeId: string): void {
  try {
    localStorage.setItem(LAST_STORE, storeId);
  } catch {
    /* private mode: nothing remembered */
  }
}

function lastStore(): string | null {
  try {
    return localStorage.getItem(LAST_STORE);
  } catch {
    return null;
  }
}

/** Goes elsewhere without adding a history entry (a redirect). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true, focus: true }), [to]);
  return null;
}

/** The store to open at `/`: the one a sign-in link names, else the last one used, else the first. */
function landingStore(session: Session, asked: string | null): string {
  const ids = session.stores.map((s) => s.id);
  if (asked && ids.includes(asked)) return asked;
  const last = lastStore();
  return last && ids.includes(last) ? last : ids[0]!;
}

function StoreFrame({ session, storeId, rest }: { session: Session; storeId: string; rest: string }) {
  const { expired } = useSession();
  const location = useLocation();
  const store = session.stores.find((s) => s.id === storeId)!;
  const value = useMemo<StoreContextValue>(
    () => ({
      store,
      session,
      api: storeApi(store.id, session.csrfToken, expired),
      link: (path: string) => storePath(store.id, path),
    }),
    [store, session, expired],
  );
  useEffect(() => rememberStore(store.id), [store.id]);
  if (rest === '' || rest === '/') {
    const first = sectionsFor(store.role)[0];
    return <Redirect to={storePath(store.id, first?.path ?? '/contacts')} />;
  }
  return (
    <StoreContext.Provider value={value}>
      <Shell>
        <PageHost path={rest} search={location.search} />
      </Shell>
    </StoreContext.Provider>
  );
}

function Routes() {
  const { state, retry } = useSession();
  const location = useLocation();
  const { path, search } = location;

  if (state.status === 'loading') return <p class="loading splash">Loading Storewire…</p>;
  if (state.status === 'unreachable')
    return (
      <StandalonePage title="Storewire did not answer">
        <p>{state.message}</p>
        <p>Check that the server is running (npm start), then try again.</p>
        <button type="button" class="button button-primary" onClick={retry}>
          Try again
        </button>
      </StandalonePage>
    );

  if (state.status === 'signed-out') {
    if (path === '/sign-in') return <SignInPage search={search} />;
    const here = `${path}${window.location.search}`;
    const params = new URLSearchParams();
    if (here !== '/' && !here.startsWith('/?')) params.set('next', here);
    if (state.expired) params.set('reason', 'expired');
    const query = params.toString();
    return <Redirect to={`/sign-in${query ? `?${query}` : ''}`} />;
  }

  const { session } = state;
  if (path === '/sign-in') return <Redirect to={safeNext(search.get('next'))} />;
  if (session.stores.length === 0)
    return (
      <StandalonePage title="No store yet">
        <p>
          You are signed in as {session.user.email}, but you belong to no store. Ask a store's owner to add you (
          <code>storewire users create</code>).
        </p>
      </StandalonePage>
    );
  if (path === '/') return <Redirect to={storePath(landingStore(session, search.get('store')))} />;

  const inStore = matchPath('/stores/:storeId', path.split('/').slice(0, 3).join('/'));
  if (inStore && session.stores.some((s) => s.id === inStore.storeId)) {
    const rest = path.slice(storePath(inStore.storeId).length);
    return <StoreFrame session={session} storeId={inStore.storeId} rest={rest} />;
  }
  // An unknown address, or a store this user does not belong to: the same answer for both.
  return (
    <StandalonePage title="Not found">
      <p>There is nothing at this address for your account. It may belong to a store you are not a member of.</p>
      <p>
        <Link href="/">Go to your dashboard</Link>
      </p>
    </StandalonePage>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from '../router/history.js';
import { sectionsFor, storePath } from './sections.js';
import { useSession } from './session.js';
import { useStore } from './store-context.js';
import { StoreSwitcher } from './store-switcher.js';
import { Logo } from '../ui/logo.js';

/**
 * The frame around every store page: the store switcher, the navigation (from the sections the
 * user's role may open), who is signed in, and the page. On a phone the navigation folds
 * behind a Menu button.
 */
export function Shell({ children }: { children: ComponentChildren }) {
  const { store, session } = useStore();
  const { signOut } = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const base = storePath(store.id);
  const rest = location.path.startsWith(base) ? location.path.slice(base.length) : '';

  // A page change closes the phone menu.
  useEffect(() => setMenuOpen(false), [location.path]);

  const onSignOut = () => {
    setSignOutError(null);
    signOut().catch((error: Error) => setSignOutError(`Could not sign out: ${error.message}`));
  };

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="sidebar">
        <div class="sidebar-top">
          <Link class="brand" href={base}>
            <Logo size={28} />
            <span>Storewire</span>
          </Link>
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {menuOpen ? 'Close' : 'Menu'}
          </button>
        </div>
        <div id="site-menu" class={menuOpen ? 'sidebar-menu open' : 'sidebar-menu'}>
          <StoreSwitcher stores={session.stores} current={store} sectionPath={rest || null} />
          <nav aria-label="Main">
            <ul class="nav-list">
              {sectionsFor(store.role).map((section) => {
                const current = rest === section.path || rest.startsWith(`${section.path}/`);
                return (
                  <li key={section.id}>
                    <Link
                      href={storePath(store.id, section.path)}
                      class={current ? 'nav-link current' : 'nav-link'}
                      aria-current={current ? 'page' : undefined}
                    >
                      {section.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div class="account">
            <p class="account-who">
              <span class="account-name">{session.user.name || session.user.email}</span>
              {session.user.name ? <span class="account-email">{session.user.email}</span> : null}
            </p>
            <button type="button" class="button button-quiet" onClick={onSignOut}>
              Sign out
            </button>
            {signOutError ? (
              <p class="field-error" role="alert">
                {signOutError}
              </p>
            ) : null}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

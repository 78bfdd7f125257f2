import type { ComponentChildren } from 'preact';
import { useStore } from '../../frame/store-context.js';
import { Link, useLocation } from '../../router/history.js';
import { Field, type InputProps } from '../../ui/form.js';
import { PageHeading } from '../../ui/page-heading.js';
import './settings.css';

/** The forms' parts, shared with the other pages that change things (ui/form.tsx). */
export { describeFailure, Field, Outcome, useAction } from '../../ui/form.js';

/** The settings pages, in the order of the settings' own navigation. */
const PAGES = [
  { path: '/settings', label: 'Channels' },
  { path: '/settings/store', label: 'Store' },
  { path: '/settings/journeys', label: 'Journeys' },
  { path: '/settings/connectors', label: 'Connectors' },
  { path: '/settings/webhooks', label: 'Webhooks' },
  { path: '/settings/api-key', label: 'API key' },
  { path: '/settings/team', label: 'Team' },
] as const;

/** Every settings page: its heading and the settings' own navigation, then the page. */
export function SettingsFrame({ title, children }: { title: string; children: ComponentChildren }) {
  const { link, store } = useStore();
  const { path } = useLocation();
  return (
    <>
      <PageHeading title={title} />
      {/* A marketer opens the journey settings from the journeys (/journey-settings): the other settings are the owner's. */}
      {store.role !== 'owner' ? null : (
        <nav aria-label="Settings" class="settings-nav">
          <ul>
            {PAGES.map((page) => {
              const current = path === link(page.path);
              return (
                <li key={page.path}>
                  <Link href={link(page.path)} aria-current={current ? 'page' : undefined}>
                    {page.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
      {children}
    </>
  );
}

/** A secret's input: never filled from the server (secrets are write-only), never remembered by the browser. */
export function SecretField(props: InputProps) {
  return <Field type="password" autoComplete="new-password" spellcheck={false} required {...props} />;
}

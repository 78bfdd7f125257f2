import { useState } from 'preact/hooks';
import { type Journey, journeyPath } from '../../api/journeys.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatTime } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { journeyState, triggerText } from './describe.js';
import './journeys.css';

/** The store's journeys and the ready-made ones it has not stored, each turned on or off here. */
export function JourneyListPage(_: PageProps) {
  const { link, store } = useStore();
  const { data, error, loading, reload } = useApi<{ journeys: Journey[] }>('/v1/journeys');
  const [changed, setChanged] = useState<Record<string, Journey>>({});
  const journeys = (data?.journeys ?? []).map((j) => changed[j.id] ?? j);
  return (
    <>
      <PageHeading title="Journeys">
        <p class="subtitle">What Storewire does over time for each shopper: waits, messages, branches, exits.</p>
        <p>
          <Link class="button button-primary" href={link('/journeys/new')}>
            New journey
          </Link>{' '}
          <Link class="button" href={link(store.role === 'owner' ? '/settings/journeys' : '/journey-settings')}>
            Journey settings
          </Link>
        </p>
      </PageHeading>
      {error ? <InlineProblem error={error} retry={reload} /> : null}
      {loading ? <Loading label="Loading journeys…" /> : null}
      {journeys.length > 0 ? (
        <table class="rows">
          <caption class="sr-only">Journeys</caption>
          <thead>
            <tr>
              <th scope="col">Journey</th>
              <th scope="col">Starts on</th>
              <th scope="col">Steps</th>
              <th scope="col">State</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="sr-only">Turn on or off</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {journeys.map((journey) => {
              const state = journeyState(journey);
              return (
                <tr key={journey.id}>
                  <th scope="row" class="row-title">
                    <Link href={link(`/journeys/${encodeURIComponent(journey.id)}`)}>{journey.definition.name}</Link>
                    <span class="journey-id muted small">
                      <code>{journey.id}</code>
                      {journey.version !== null ? ` · version ${journey.version}` : ''}
                    </span>
                  </th>
                  <td data-label="Starts on">{triggerText(journey.definition)}</td>
                  <td data-label="Steps" class="numeric">
                    {journey.definition.steps.length}
                  </td>
                  <td data-label="State">
                    <StatusBadge status={state.status} label={state.label} />
                  </td>
                  <td data-label="Updated" class="nowrap">
                    {formatTime(journey.updatedAt)}
                  </td>
                  <td data-label="">
                    <ToggleButton
                      journey={journey}
                      onChange={(next) => setChanged((all) => ({ ...all, [next.id]: next }))}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

/**
 * Turns a journey on or off with the API (enabling a ready-made one stores it, with the
 * templates it needs); says which templates were created.
 */
export function ToggleButton({ journey, onChange }: { journey: Journey; onChange: (journey: Journey) => void }) {
  const { api } = useStore();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [installed, setInstalled] = useState<string[]>([]);
  const name = journey.definition.name;
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.send<Journey>('POST', journeyPath(journey.id, journey.enabled ? '/disable' : '/enable'));
      setInstalled(next.installedTemplates ?? []);
      onChange(next);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="toggle">
      <button
        type="button"
        class={journey.enabled ? 'button' : 'button button-primary'}
        disabled={busy}
        aria-label={`${journey.enabled ? 'Disable' : 'Enable'} ${name}`}
        onClick={toggle}
      >
        {journey.enabled ? 'Disable' : 'Enable'}
      </button>
      <div aria-live="polite">
        {installed.length ? (
          <p class="hint">
            Templates created for it: {installed.join(', ')}. Submit the same text for approval in WhatsApp Manager.
          </p>
        ) : null}
      </div>
      {error ? <InlineProblem error={error} retry={toggle} /> : null}
    </div>
  );
}

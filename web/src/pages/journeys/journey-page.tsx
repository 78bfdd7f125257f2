import { useState } from 'preact/hooks';
import { type Journey, type JourneyStats, journeyPath } from '../../api/journeys.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { formatMoney, humanize } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { useLive } from '../../ui/use-live.js';
import { journeyState, triggerText } from './describe.js';
import { Flow } from './flow.js';
import { ToggleButton } from './journey-list-page.js';
import { RunsPanel } from './runs.js';
import { type ShownSimulation, SimulatePanel } from './simulation.js';
import { TriggerPanel } from './trigger-panel.js';
import './journeys.css';

/** A journey: on or off, its steps as a flow with each step's funnel, a simulation drawn on it, its runs. */
export function JourneyPage({ params }: PageProps) {
  const { link } = useStore();
  const id = params.id!;
  const loaded = useApi<Journey>(journeyPath(id));
  const stats = useApi<JourneyStats>(journeyPath(id, '/stats'));
  const [changed, setChanged] = useState<Journey | null>(null);
  const [simulation, setSimulation] = useState<ShownSimulation | null>(null);
  const [refreshed, setRefreshed] = useState(0);
  // Runs entering, each step they take and their messages' statuses move the journey's cursor:
  // the funnel and the runs are read again, quietly, through whichever API process took the write.
  const [changes, setChanges] = useState(0);
  useLive(`journey:${id}`, () => {
    stats.refresh();
    setChanges((n) => n + 1);
  });

  if (loaded.error) return <LoadProblem error={loaded.error} what="journey" retry={loaded.reload} />;
  if (loaded.loading || !loaded.data)
    return (
      <>
        <PageHeading title="Journey" />
        <Loading label="Loading the journey…" />
      </>
    );
  const journey = changed ?? loaded.data;
  const state = journeyState(journey);
  const def = journey.definition;
  const refresh = () => {
    stats.reload();
    setRefreshed((n) => n + 1);
  };

  return (
    <>
      <p class="breadcrumb">
        <Link href={link('/journeys')}>Journeys</Link>
      </p>
      <PageHeading title={def.name}>
        <p class="subtitle">
          <code>{journey.id}</code> · starts on {triggerText(def)}
          {journey.version !== null ? ` · version ${journey.version}` : ' · ready-made'}
        </p>
      </PageHeading>
      {def.description ? <p>{def.description}</p> : null}
      <div class="journey-bar">
        <StatusBadge status={state.status} label={state.label} />
        <ToggleButton journey={journey} onChange={setChanged} />
        <button type="button" class="button button-quiet" onClick={refresh}>
          Refresh numbers
        </button>
        <Link class="button" href={link(`/journeys/${encodeURIComponent(journey.id)}/edit`)}>
          Edit the definition
        </Link>
      </div>
      <StatsSummary stats={stats.data} error={stats.error} retry={stats.reload} />
      <SimulatePanel journeyId={journey.id} definition={def} shown={simulation} onSimulated={setSimulation} />
      <section class="panel panel-wide" aria-labelledby="flow-title">
        <h2 id="flow-title">Flow</h2>
        <p class="hint">
          Each step with how many shoppers reached it (the bar, against the busiest step) and what it did.
          {simulation ? ` The simulation for ${simulation.contactName} is shown on the steps.` : ''}
        </p>
        <Flow definition={def} stats={stats.data?.steps ?? null} simulation={simulation} />
      </section>
      <TriggerPanel journeyId={journey.id} enabled={journey.enabled} onStarted={refresh} />
      <RunsPanel key={refreshed} journeyId={journey.id} changes={changes} />
    </>
  );
}

function StatsSummary({ stats, error, retry }: { stats: JourneyStats | null; error: Error | null; retry: () => void }) {
  if (error) return <InlineProblem error={error} retry={retry} />;
  if (!stats) return <Loading label="Loading the numbers…" />;
  const revenue = Object.entries(stats.revenue);
  const exited = Object.entries(stats.exited);
  return (
    <section class="panel panel-wide" aria-labelledby="numbers-title">
      <h2 id="numbers-title">Numbers</h2>
      <dl class="journey-numbers">
        <div>
          <dt>Runs</dt>
          <dd>{stats.runs.total}</dd>
        </div>
        <div>
          <dt>Active</dt>
          <dd>{stats.runs.active}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd>{stats.runs.completed}</dd>
        </div>
        <div>
          <dt>Exited</dt>
          <dd>{stats.runs.exited}</dd>
        </div>
        <div>
          <dt>Converted</dt>
          <dd>{stats.converted}</dd>
        </div>
        <div>
          <dt>Revenue</dt>
          <dd>
            {revenue.length ? revenue.map(([currency, amount]) => formatMoney(amount, currency)).join(' + ') : '—'}
          </dd>
        </div>
      </dl>
      <p class="hint">
        A conversion is the shopper’s first order within {stats.attributionWindow} of entering, credited to the last
        message they got before it.
        {exited.length ? ` Left early: ${exited.map(([why, n]) => `${humanize(why)} ${n}`).join(', ')}.` : ''}
      </p>
    </section>
  );
}

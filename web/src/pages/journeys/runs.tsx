import { useEffect, useRef, useState } from 'preact/hooks';
import type { JourneyRun, RunStep } from '../../api/journeys.js';
import { journeyPath } from '../../api/journeys.js';
import { useStore } from '../../frame/store-context.js';
import { Link } from '../../router/history.js';
import { StatusBadge } from '../../ui/badge.js';
import { contactName } from '../../ui/contact-name.js';
import { formatTime, humanize } from '../../ui/format.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';

const OUTCOME_TONE: Record<string, string> = {
  sent: 'sent',
  not_sent: 'failed',
  exited: 'inactive',
  event_came: 'replied',
  timed_out: 'inactive',
};

/** Reads again, quietly, each time `changes` moves (a live update of the journey), not on the first render. */
function useRefreshOn(changes: number, refresh: () => void): void {
  const first = useRef(changes);
  useEffect(() => {
    if (changes !== first.current) refresh();
  }, [changes]);
}

/** One run's steps, read when the user opens it. */
function RunSteps({ runId, changes }: { runId: string; changes: number }) {
  const { link } = useStore();
  const { data, error, loading, reload, refresh } = useApi<JourneyRun & { steps: RunStep[] }>(
    `/v1/journey-runs/${encodeURIComponent(runId)}`,
  );
  useRefreshOn(changes, refresh);
  if (error) return <InlineProblem error={error} retry={reload} />;
  if (loading || !data) return <Loading label="Loading the run’s steps…" />;
  return (
    <ol class="run-steps">
      {data.steps.length === 0 ? <li class="muted">No step yet: the run waits before its first one.</li> : null}
      {data.steps.map((step) => (
        <li key={step.seq}>
          <time dateTime={step.at} class="muted small">
            {formatTime(step.at)}
          </time>{' '}
          <a href={`#step-${step.stepId}`}>{step.stepId}</a>{' '}
          <StatusBadge status={OUTCOME_TONE[step.outcome] ?? 'neutral'} label={humanize(step.outcome)} />
          {step.detail ? <span class="small"> {step.detail}</span> : null}
          {step.messageId ? (
            <>
              {' '}
              <Link href={link(`/messages/${encodeURIComponent(step.messageId)}`)}>the message</Link>
            </>
          ) : null}
        </li>
      ))}
      {data.notes.map((note) => (
        <li key={note.at + note.note} class="muted small">
          Note {formatTime(note.at)}: {note.note}
        </li>
      ))}
    </ol>
  );
}

/** The journey's runs, newest first, each with the steps it took when opened; `changes` moves on a live update. */
export function RunsPanel({ journeyId, changes }: { journeyId: string; changes: number }) {
  const { link } = useStore();
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const { data, error, loading, reload, refresh } = useApi<{ runs: JourneyRun[] }>(journeyPath(journeyId, '/runs'), {
    status: status || null,
    limit: 25,
  });
  useRefreshOn(changes, refresh);
  const runs = data?.runs ?? [];
  return (
    <section class="panel panel-wide" aria-labelledby="runs-title">
      <h2 id="runs-title">Runs</h2>
      <div class="field runs-filter">
        <label for="runs-status">Status</label>
        <select
          id="runs-status"
          value={status}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="completed">Completed</option>
          <option value="exited">Exited</option>
        </select>
      </div>
      {error ? <InlineProblem error={error} retry={reload} /> : null}
      {loading ? <Loading label="Loading runs…" /> : null}
      {!loading && !error && runs.length === 0 ? (
        <p class="muted">{status ? 'No run with this status.' : 'No shopper has entered this journey yet.'}</p>
      ) : null}
      <ul class="runs">
        {runs.map((run) => (
          <li key={run.id} class="run">
            <div class="run-line">
              <span>
                <Link href={link(`/contacts/${encodeURIComponent(run.contactId)}`)}>
                  {run.contact ? contactName(run.contact) : `Contact ${run.contactId}`}
                </Link>{' '}
                <StatusBadge status={run.status === 'exited' ? 'inactive' : run.status} label={humanize(run.status)} />
              </span>
              <span class="muted small">
                Entered {formatTime(run.enteredAt)}
                {run.endedAt ? ` · ended ${formatTime(run.endedAt)}` : ''}
                {run.status === 'active' && run.stepId ? ` · at ${run.stepId}` : ''}
                {run.dueAt ? ` · next ${formatTime(run.dueAt)}` : ''}
                {run.waitingFor ? ` · waiting for ${run.waitingFor}` : ''}
                {run.exitReason ? ` · left: ${run.exitReason}` : ''}
                {run.orderId ? ` · order ${run.orderId}` : ''}
              </span>
              <button
                type="button"
                class="button button-quiet"
                aria-expanded={open === run.id}
                aria-controls={`run-${run.id}`}
                onClick={() => setOpen(open === run.id ? null : run.id)}
              >
                {open === run.id ? 'Hide steps' : 'Show steps'}
              </button>
            </div>
            <div id={`run-${run.id}`}>{open === run.id ? <RunSteps runId={run.id} changes={changes} /> : null}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

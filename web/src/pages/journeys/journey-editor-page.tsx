import { useState } from 'preact/hooks';
import { ApiError } from '../../api/client.js';
import { type Journey, journeyPath } from '../../api/journeys.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, navigate } from '../../router/history.js';
import { describeFailure } from '../../ui/form.js';
import { PageHeading } from '../../ui/page-heading.js';
import { Loading, LoadProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import './journeys.css';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const STARTER = {
  name: 'Welcome',
  trigger: { event: 'contact_synced' },
  steps: [
    { id: 'wait', type: 'wait', duration: '1h' },
    { id: 'hello', type: 'send', channel: 'whatsapp', template: 'order_confirmation' },
  ],
};

interface Problem {
  path: string;
  message: string;
}

/** A new journey: its id, then its definition. */
export function NewJourneyPage(_props: PageProps) {
  return <JourneyEditor journey={null} />;
}

/** A journey's definition as the API takes it (PUT /v1/journeys/{id}): its next version. */
export function EditJourneyPage({ params }: PageProps) {
  const loaded = useApi<Journey>(journeyPath(params.id!));
  if (loaded.error) return <LoadProblem error={loaded.error} what="journey" retry={loaded.reload} />;
  if (loaded.loading || !loaded.data)
    return (
      <>
        <PageHeading title="Edit journey" />
        <Loading label="Loading the journey…" />
      </>
    );
  return <JourneyEditor key={loaded.data.id} journey={loaded.data} />;
}

/**
 * The definition as JSON (docs/journeys.md: trigger, steps, exits, entry rules), saved as the
 * journey's next version; runs under way stay on the version they entered. What the API refuses
 * is listed by where it is in the definition.
 */
function JourneyEditor({ journey }: { journey: Journey | null }) {
  const { api, link } = useStore();
  const [id, setId] = useState(journey?.id ?? '');
  const [text, setText] = useState(() => JSON.stringify(journey?.definition ?? STARTER, null, 2));
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | null>(null);

  const save = async (event: Event) => {
    event.preventDefault();
    setProblems([]);
    setError(null);
    if (!ID.test(id)) return setError('The id is 1 to 64 letters, digits, “_” or “-”.');
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (failure) {
      return setError(`The definition is not JSON: ${(failure as Error).message}`);
    }
    setBusy(true);
    try {
      if (!journey) {
        const taken = await api.get<Journey>(journeyPath(id)).then(
          (found) => found.version !== null,
          () => false,
        );
        if (taken) throw new Error(`A journey “${id}” exists already: open it and edit it there.`);
      }
      await api.send<Journey>('PUT', journeyPath(id), definition);
      navigate(link(`/journeys/${encodeURIComponent(id)}`));
    } catch (failure) {
      const listed = failure instanceof ApiError ? (failure.details?.problems as Problem[] | undefined) : undefined;
      if (listed?.length) setProblems(listed);
      else setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = journey ? `Edit ${journey.definition.name}` : 'New journey';
  return (
    <>
      <p class="breadcrumb">
        <Link href={link(journey ? `/journeys/${encodeURIComponent(journey.id)}` : '/journeys')}>
          {journey ? journey.definition.name : 'Journeys'}
        </Link>
      </p>
      <PageHeading title={title}>
        <p class="subtitle">
          {journey?.readyMade && journey.version === null
            ? 'A ready-made journey: saving stores it as the store’s own, version 1.'
            : journey
              ? `Saving makes version ${(journey.version ?? 0) + 1}; runs under way stay on the version they entered.`
              : 'Its trigger, steps (wait, send, branch, wait for, exit), exits and entry rules, as docs/journeys.md describes them.'}
        </p>
      </PageHeading>
      <form class="panel panel-wide journey-editor" onSubmit={save}>
        <div class="field">
          <label for="journey-id">Id</label>
          <input
            id="journey-id"
            value={id}
            readOnly={!!journey}
            maxLength={64}
            autoComplete="off"
            aria-describedby="journey-id-hint"
            onInput={(e) => setId((e.currentTarget as HTMLInputElement).value)}
          />
          <p class="hint" id="journey-id-hint">
            Letters, digits, “_” and “-”; it names the journey in the API and in its messages’ campaigns.
          </p>
        </div>
        <div class="field">
          <label for="journey-definition">Definition (JSON)</label>
          <textarea
            id="journey-definition"
            class="code-input"
            value={text}
            rows={24}
            spellcheck={false}
            aria-invalid={problems.length > 0 ? 'true' : undefined}
            aria-describedby={problems.length > 0 ? 'journey-problems' : undefined}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </div>
        {problems.length > 0 ? (
          <div class="notice notice-bad" role="alert" id="journey-problems">
            <p>Storewire did not save it:</p>
            <ul>
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>
                  <code>{p.path || 'the definition'}</code> {p.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {error ? (
          <p class="notice notice-bad" role="alert">
            {error}
          </p>
        ) : null}
        <p class="panel-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : journey ? 'Save the next version' : 'Create the journey'}
          </button>
        </p>
      </form>
    </>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { type JourneyDefinition, journeyPath, type SimulatedStep, type Simulation } from '../../api/journeys.js';
import { type PreviewAnswer, templatePath } from '../../api/templates.js';
import { useStore } from '../../frame/store-context.js';
import { useContactPicker } from '../../ui/contact-picker.js';
import { formatTime, humanize } from '../../ui/format.js';
import { InlineProblem } from '../../ui/problem.js';
import { PhonePreview } from '../templates/phone-preview.js';

/** A simulation as the flow shows it: the timeline, when it was asked, and for whom. */
export interface ShownSimulation {
  steps: SimulatedStep[];
  startedAt: number;
  contactId: string;
  contactName: string;
  orderId: string;
}

/** The API's details name times in ISO 8601: shown in the reader's words. */
const readable = (detail: string) =>
  detail.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, (iso) => formatTime(iso));

/** "+1h 15m" after the simulation started. */
function offset(at: string, startedAt: number): string {
  const minutes = Math.max(0, Math.round((new Date(at).getTime() - startedAt) / 60_000));
  if (minutes === 0) return 'at once';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `+${[d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter(Boolean).join(' ')}`;
}

const ACTION: Record<string, string> = {
  wait: 'Waits',
  send: 'Sends',
  not_sent: 'Would not send',
  skip: 'Skips',
  branch: 'Goes',
  wait_for: 'Waits for',
  exit: 'Ends the run',
};

/** What one step would do for the shopper, on the step's node. */
export function SimulatedAction({ entry, startedAt }: { entry: SimulatedStep; startedAt: number }) {
  const message = entry.message;
  return (
    <div class={entry.action === 'not_sent' ? 'sim sim-refused' : 'sim'}>
      <p class="sim-line">
        <span class="sim-badge">Simulation</span> <strong>{offset(entry.at, startedAt)}</strong>{' '}
        <time dateTime={entry.at} class="muted small">
          ({formatTime(entry.at)})
        </time>
        : {ACTION[entry.action] ?? humanize(entry.action)}
        {entry.detail ? ` ${readable(entry.detail)}` : ''}
        {message && 'template' in message ? ` ${message.template}` : ''}
      </p>
      {message && 'refused' in message ? (
        <p class="sim-reason">
          <code>{message.refused}</code>: {message.reason}
        </p>
      ) : null}
    </div>
  );
}

/** The message a simulated send would carry, drawn as a phone shows it (the preview API, same shopper). */
export function SimulatedMessage({ template, simulation }: { template: string; simulation: ShownSimulation }) {
  const { api, store } = useStore();
  const [answer, setAnswer] = useState<PreviewAnswer | null>(null);
  useEffect(() => {
    let live = true;
    api
      .send<PreviewAnswer>('POST', templatePath(template, '/preview'), {
        contactId: simulation.contactId,
        ...(simulation.orderId ? { orderId: simulation.orderId } : {}),
      })
      .then(
        (a) => live && setAnswer(a),
        // A journey's send adds its own params (discount code, payment link): without them the
        // preview may not render, and the step's line above already says what is sent.
        () => live && setAnswer(null),
      );
    return () => {
      live = false;
    };
  }, [template, simulation.contactId, simulation.orderId, simulation.startedAt]);
  if (!answer) return null;
  return <PhonePreview preview={answer.preview} from={store.name} channel={answer.channel} />;
}

/**
 * Asks the API what the journey would do for a contact the user picks (sending nothing); the
 * answer is drawn on the flow by the page.
 */
export function SimulatePanel(props: {
  journeyId: string;
  definition: JourneyDefinition;
  onSimulated: (simulation: ShownSimulation | null) => void;
  shown: ShownSimulation | null;
}) {
  const { api } = useStore();
  const picker = useContactPicker('simulate');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const simulate = async (event: Event) => {
    event.preventDefault();
    if (!picker.picked.contactId) return;
    setBusy(true);
    setError(null);
    const startedAt = Date.now();
    try {
      const answer = await api.send<Simulation>('POST', journeyPath(props.journeyId, '/simulate'), {
        to: { contactId: picker.picked.contactId },
        ...(picker.picked.orderId ? { orderId: picker.picked.orderId } : {}),
      });
      props.onSimulated({
        steps: answer.timeline,
        startedAt,
        contactId: picker.picked.contactId,
        contactName: picker.contact?.name ?? picker.picked.contactId,
        orderId: picker.picked.orderId,
      });
    } catch (failure) {
      setError(failure as Error);
      props.onSimulated(null);
    } finally {
      setBusy(false);
    }
  };

  const shown = props.shown;
  const sends = shown?.steps.filter((s) => s.action === 'send').length ?? 0;
  const refused = shown?.steps.filter((s) => s.action === 'not_sent').length ?? 0;
  return (
    <section class="panel panel-wide" aria-labelledby="simulate-title">
      <h2 id="simulate-title">Simulate for a contact</h2>
      <p class="hint">
        What the journey would do for this shopper over its whole life, with their real data, sending nothing. It
        assumes no awaited event comes and messages are not answered.
      </p>
      <form onSubmit={simulate} aria-label="Simulate">
        {picker.fields}
        <button type="submit" class="button button-primary" disabled={busy || !picker.picked.contactId}>
          {busy ? 'Simulating…' : 'Simulate'}
        </button>
        {shown ? (
          <button type="button" class="button button-quiet" onClick={() => props.onSimulated(null)}>
            Clear the simulation
          </button>
        ) : null}
      </form>
      {error ? <InlineProblem error={error} /> : null}
      <p class="sim-summary" role="status">
        {shown
          ? `Simulated for ${shown.contactName}: ${shown.steps.length} ${shown.steps.length === 1 ? 'step' : 'steps'}, ${sends} ${sends === 1 ? 'message' : 'messages'} sent, ${refused} not sent. Shown on each step below.`
          : ''}
      </p>
    </section>
  );
}

import type { JourneyRun } from '../../api/journeys.js';
import { journeyPath } from '../../api/journeys.js';
import { useStore } from '../../frame/store-context.js';
import { useContactPicker } from '../../ui/contact-picker.js';
import { Outcome, useAction } from '../../ui/form.js';

/**
 * Puts a shopper into the journey now (the trigger API, POST /v1/journeys/{id}/trigger), with
 * one of their orders as its data: the run appears among the runs below. Only an enabled
 * journey takes shoppers; the API says so otherwise.
 */
export function TriggerPanel({
  journeyId,
  enabled,
  onStarted,
}: {
  journeyId: string;
  enabled: boolean;
  onStarted: () => void;
}) {
  const { api } = useStore();
  const picker = useContactPicker('trigger');
  const action = useAction();
  const start = async (event: Event) => {
    event.preventDefault();
    const who = picker.contact?.name ?? picker.picked.contactId;
    const run = await action.run(
      () =>
        api.send<JourneyRun>('POST', journeyPath(journeyId, '/trigger'), {
          to: { contactId: picker.picked.contactId },
          ...(picker.picked.orderId ? { orderId: picker.picked.orderId } : {}),
        }),
      `${who} entered the journey: their run is below.`,
    );
    if (run) onStarted();
  };
  return (
    <section class="panel panel-wide" aria-labelledby="trigger-title">
      <h2 id="trigger-title">Start for a contact</h2>
      <p class="hint">
        Puts the shopper into this journey now, as its trigger would: its messages really go.
        {enabled ? '' : ' Enable the journey first.'}
      </p>
      <form onSubmit={start} aria-label="Start for a contact">
        {picker.fields}
        <button type="submit" class="button" disabled={action.busy || !enabled || !picker.picked.contactId}>
          {action.busy ? 'Starting…' : 'Start the journey for them'}
        </button>
      </form>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

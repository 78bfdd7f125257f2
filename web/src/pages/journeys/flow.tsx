import type { ComponentChildren } from 'preact';
import type { JourneyDefinition, Step, StepStats } from '../../api/journeys.js';
import { formatMoney, humanize } from '../../ui/format.js';
import { conditionText, exitsText, STEP_KIND, stepSummary, triggerText } from './describe.js';
import { type ShownSimulation, SimulatedAction, SimulatedMessage } from './simulation.js';

function StepLink({ id }: { id: string }) {
  return (
    <a href={`#step-${id}`} class="flow-jump">
      {id}
    </a>
  );
}

/** Where the run goes after the step, when that is not simply the step below it. */
function Routes({ step, following }: { step: Step; following: string | null }) {
  if (step.type === 'branch')
    return (
      <ul class="flow-cases">
        {step.cases.map((c, i) => (
          <li key={i}>
            If {c.when.map(conditionText).join(' and ')} → <StepLink id={c.next} />
          </li>
        ))}
        <li>
          Otherwise → {step.else ? <StepLink id={step.else} /> : following ? <StepLink id={following} /> : 'the end'}
        </li>
      </ul>
    );
  if (step.type === 'wait_for')
    return (
      <ul class="flow-cases">
        <li>
          When it comes →{' '}
          {step.next ? <StepLink id={step.next} /> : following ? <StepLink id={following} /> : 'the end'}
        </li>
        <li>
          After {step.timeout} without it → {step.onTimeout ? <StepLink id={step.onTimeout} /> : 'the run ends'}
        </li>
      </ul>
    );
  if (step.type !== 'exit' && step.next && step.next !== following)
    return (
      <p class="flow-cases">
        Then → <StepLink id={step.next} />
      </p>
    );
  return null;
}

const money = (revenue: Record<string, number>) =>
  Object.entries(revenue)
    .map(([currency, amount]) => formatMoney(amount, currency))
    .join(' + ');

/** The step's line of the funnel: how many reached it (a bar against the first step) and what it did. */
function Funnel({ stats, widest }: { stats: StepStats; widest: number }) {
  const share = widest > 0 ? Math.round((stats.entered / widest) * 100) : 0;
  const facts: [string, ComponentChildren][] = [
    ['Entered', stats.entered],
    ['Waiting here', stats.waiting],
  ];
  if (stats.type === 'send') {
    facts.push(['Sent', stats.sent ?? 0], ['Delivered', stats.delivered ?? 0], ['Read', stats.read ?? 0]);
    facts.push(['Replied', stats.replied ?? 0], ['Failed', stats.failed ?? 0]);
    for (const [reason, n] of Object.entries(stats.notSent ?? {})) facts.push([`Not sent: ${humanize(reason)}`, n]);
  } else {
    for (const [outcome, n] of Object.entries(stats.outcomes)) facts.push([humanize(outcome), n]);
  }
  if (stats.converted || Object.keys(stats.revenue).length) {
    facts.push(['Converted', stats.converted]);
    if (Object.keys(stats.revenue).length) facts.push(['Revenue', money(stats.revenue)]);
  }
  return (
    <div class="funnel">
      <svg class="funnel-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect x="0" y="0" width="100" height="8" class="funnel-track" />
        <rect x="0" y="0" width={share} height="8" class="funnel-fill" />
      </svg>
      <dl class="funnel-facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/**
 * The journey drawn as a flow, top to bottom: what starts it, each step with where it leads
 * (branches and jumps link to their step), the step's funnel from the stats API, and — after a
 * simulation — what the step would do for that shopper, on the step itself.
 */
export function Flow(props: {
  definition: JourneyDefinition;
  stats: StepStats[] | null;
  simulation: ShownSimulation | null;
}) {
  const { definition, stats, simulation } = props;
  const byStep = new Map((stats ?? []).map((s) => [s.stepId, s]));
  const widest = Math.max(0, ...(stats ?? []).map((s) => s.entered));
  const exits = exitsText(definition);
  return (
    <ol class="flow" aria-label="Steps">
      <li class="flow-step flow-trigger">
        <div class="flow-node">
          <p class="flow-kind">Starts on</p>
          <p class="flow-title">{triggerText(definition)}</p>
          {definition.trigger.when?.length ? (
            <p class="flow-detail">When {definition.trigger.when.map(conditionText).join(' and ')}</p>
          ) : null}
          <p class="flow-detail">
            {definition.entry?.buffer && definition.entry.buffer !== '0s'
              ? `Waits ${definition.entry.buffer} first (a repeated event restarts the wait).`
              : definition.entry?.buffer === '0s'
                ? 'Starts at once.'
                : 'Waits 15m first (a repeated event restarts the wait).'}
          </p>
          {exits.length ? <p class="flow-detail">Leaves as soon as {exits.join(', or ')}.</p> : null}
        </div>
      </li>
      {definition.steps.map((step, i) => {
        const following = definition.steps[i + 1]?.id ?? null;
        const simulated = simulation?.steps.filter((s) => s.stepId === step.id) ?? [];
        const reached = !simulation || simulated.length > 0;
        const stepStats = byStep.get(step.id);
        return (
          <li
            key={step.id}
            id={`step-${step.id}`}
            class={`flow-step flow-${step.type}${reached ? '' : ' flow-unreached'}`}
            aria-labelledby={`step-${step.id}-title`}
          >
            <div class="flow-node">
              <p class="flow-kind">{STEP_KIND[step.type]}</p>
              <h3 class="flow-title" id={`step-${step.id}-title`}>
                {step.id}
              </h3>
              <p class="flow-detail">{stepSummary(step)}</p>
              <Routes step={step} following={following} />
              {stepStats ? <Funnel stats={stepStats} widest={widest} /> : null}
              {simulation ? (
                <div class="flow-sim">
                  {simulated.length === 0 ? (
                    <p class="muted">Not reached in the simulation.</p>
                  ) : (
                    simulated.map((entry, k) => (
                      <div key={k}>
                        <SimulatedAction entry={entry} startedAt={simulation.startedAt} />
                        {entry.action === 'send' && entry.message && 'template' in entry.message ? (
                          <SimulatedMessage template={entry.message.template} simulation={simulation} />
                        ) : null}
                      </div>
                    ))
                  )}
                </div>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

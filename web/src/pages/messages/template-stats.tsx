import { useStore } from '../../frame/store-context.js';
import { InlineProblem } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import './messages.css';

interface TemplateStats {
  template: string;
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replied: number;
  failureReasons: { code: string | null; reason: string | null; count: number }[];
}

const STAGES = ['total', 'queued', 'sent', 'delivered', 'read', 'failed', 'replied'] as const;
const WORDS: Record<(typeof STAGES)[number], string> = {
  total: 'Messages',
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  replied: 'Replied',
};

/**
 * A template's numbers over all its messages (GET /v1/stats/messages?template=): shown above the
 * log filtered by that template, to those who may read the statistics (owners and marketers).
 */
export function TemplateStatsPanel({ template }: { template: string }) {
  const { store } = useStore();
  const allowed = store.role === 'owner' || store.role === 'marketer';
  const stats = useApi<TemplateStats>(allowed ? '/v1/stats/messages' : null, { template });
  if (!allowed) return null;
  if (stats.error) return <InlineProblem error={stats.error} retry={stats.reload} />;
  const data = stats.data;
  return (
    <section class="panel panel-wide" aria-labelledby="template-stats-title">
      <h2 id="template-stats-title">“{template}” in numbers</h2>
      {data ? (
        <>
          <dl class="stage-counts">
            {STAGES.map((stage) => (
              <div key={stage}>
                <dt>{WORDS[stage]}</dt>
                <dd>{data[stage]}</dd>
              </div>
            ))}
          </dl>
          {data.failureReasons.length > 0 ? (
            <p class="muted small">
              Why they failed:{' '}
              {data.failureReasons
                .map((r) => `${r.reason ?? 'no reason given'}${r.code ? ` (${r.code})` : ''} × ${r.count}`)
                .join(', ')}
            </p>
          ) : null}
          <p class="hint">
            Every message of the template, whatever the filters below; a read message also counts as sent and delivered.
          </p>
        </>
      ) : (
        <p class="loading">Counting…</p>
      )}
    </section>
  );
}

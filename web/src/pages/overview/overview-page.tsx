import type { Overview, OverviewCounts, OverviewPeriod } from '../../api/types.js';
import type { PageProps } from '../../frame/section.js';
import { useStore } from '../../frame/store-context.js';
import { Link, withSearch } from '../../router/history.js';
import { formatMoney } from '../../ui/format.js';
import { PageHeading } from '../../ui/page-heading.js';
import { InlineProblem, Loading } from '../../ui/problem.js';
import { useApi } from '../../ui/use-api.js';
import { useLive } from '../../ui/use-live.js';
import { type ChartLine, TimeChart } from './time-chart.js';
import './overview.css';

const PERIODS: { value: OverviewPeriod; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
];

const count = new Intl.NumberFormat();
const n = (value: number) => count.format(value);

/** Revenue in each currency ("" = orders that named none). */
export function formatRevenue(revenue: Record<string, number>): string {
  const parts = Object.entries(revenue).map(([currency, amount]) => formatMoney(amount, currency || null));
  return parts.length ? parts.join(' + ') : '0';
}

/** A bucket's label as a reader says it: "21 Nov" for a day, "14:00" for an hour. */
function shortLabel(label: string, granularity: Overview['granularity']): string {
  if (granularity === 'hour') return label.slice(11);
  const [, month, day] = label.split('-').map(Number) as [number, number, number];
  return `${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]}`;
}

function Tiles({ totals }: { totals: OverviewCounts }) {
  const tiles: [string, string][] = [
    ['Events', n(totals.events)],
    ['Messages', n(totals.messages.total)],
    ['Sent', n(totals.messages.sent)],
    ['Delivered', n(totals.messages.delivered)],
    ['Read', n(totals.messages.read)],
    ['Failed', n(totals.messages.failed)],
    ['Replies', n(totals.messages.replied)],
    ['Orders', n(totals.orders)],
    ['Revenue', formatRevenue(totals.revenue)],
    ['Journey runs', n(totals.runs)],
  ];
  return (
    <dl class="kpis">
      {tiles.map(([label, value]) => (
        <div class={label === 'Revenue' ? 'kpi kpi-wide' : 'kpi'} key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The numbers behind a chart, for screen readers and for anyone who wants them exact. */
function SeriesTable(props: {
  caption: string;
  overview: Overview;
  columns: [string, (row: OverviewCounts) => string][];
}) {
  const { overview } = props;
  return (
    <details class="chart-numbers">
      <summary>{overview.granularity === 'hour' ? 'Numbers by hour' : 'Numbers by day'}</summary>
      <div class="table-scroll">
        <table class="stat-table">
          <caption class="sr-only">{props.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{overview.granularity === 'hour' ? 'Hour' : 'Day'}</th>
              {props.columns.map(([label]) => (
                <th scope="col" key={label} class="numeric">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {overview.series.map((row) => (
              <tr key={row.label}>
                <th scope="row">{shortLabel(row.label, overview.granularity)}</th>
                {props.columns.map(([label, value]) => (
                  <td key={label} class="numeric">
                    {value(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

const MESSAGE_LINES: [string, keyof OverviewCounts['messages'], string, number[]?][] = [
  ['Sent', 'sent', '#1c4a8a'],
  ['Delivered', 'delivered', '#0b5f4a', [8, 4]],
  ['Read', 'read', '#6a3fb5', [2, 3]],
  ['Failed', 'failed', '#b3261e', [12, 4, 2, 4]],
  ['Replies', 'replied', '#8a5a00', [4, 4]],
];

/** The store's day at a glance: today, 7 or 30 days of messaging, orders and journeys (docs/overview.md). */
export function OverviewPage({ search }: PageProps) {
  const { link } = useStore();
  const asked = search.get('period');
  const period: OverviewPeriod = asked === 'today' || asked === '30d' ? asked : '7d';
  const overview = useApi<Overview>('/v1/overview', { period });
  // Anything the store does moves the counters: read them again, without a "loading" flash.
  useLive('store', overview.refresh);
  // Today's hours still to come are left off the charts: nothing can have happened in them.
  const data = overview.data && {
    ...overview.data,
    series: overview.data.series.filter((row) => Date.parse(row.start) <= Date.now()),
  };
  const labels = data ? data.series.map((row) => shortLabel(row.label, data.granularity)) : [];
  const messageLines: ChartLine[] = data
    ? MESSAGE_LINES.map(([label, key, color, dash]) => ({
        label,
        color,
        values: data.series.map((row) => row.messages[key]),
        ...(dash ? { dash } : {}),
      }))
    : [];
  const activityLines: ChartLine[] = data
    ? [
        { label: 'Events', color: '#1c4a8a', values: data.series.map((row) => row.events) },
        { label: 'Orders', color: '#0b5f4a', dash: [8, 4], values: data.series.map((row) => row.orders) },
        { label: 'Journey runs', color: '#8a5a00', dash: [2, 3], values: data.series.map((row) => row.runs) },
      ]
    : [];

  return (
    <>
      <PageHeading title="Overview">
        {/* Drawn before the numbers arrive too: a line appearing above the period links moved them
            under a reader's finger (or a test's click) as the page loaded. */}
        <p class="subtitle">Days of the store’s time zone{data ? `, ${data.timeZone}` : ''} · updates as it happens</p>
      </PageHeading>
      <nav class="period-switch" aria-label="Period">
        {PERIODS.map((p) => (
          <Link
            key={p.value}
            href={withSearch({ period: p.value === '7d' ? null : p.value })}
            aria-current={p.value === period ? 'page' : undefined}
            class="period-link"
          >
            {p.label}
          </Link>
        ))}
      </nav>
      {overview.error ? <InlineProblem error={overview.error} retry={overview.reload} /> : null}
      {overview.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <section aria-labelledby="totals-title" class="overview-totals">
            <h2 id="totals-title" class="sr-only">
              Totals
            </h2>
            <Tiles totals={data.totals} />
          </section>
          <div class="panels">
            <section class="panel panel-wide" aria-labelledby="messages-chart-title">
              <h2 id="messages-chart-title">Messages</h2>
              <p class="muted small">By the time each was queued, with what became of it since.</p>
              <TimeChart title="Messages" labels={labels} lines={messageLines} />
              <SeriesTable
                caption="Messages"
                overview={data}
                columns={MESSAGE_LINES.map(([label, key]) => [label, (row) => n(row.messages[key])])}
              />
            </section>
            <section class="panel panel-wide" aria-labelledby="activity-chart-title">
              <h2 id="activity-chart-title">Events, orders and journey runs</h2>
              <TimeChart title="Activity" labels={labels} lines={activityLines} />
              <SeriesTable
                caption="Events, orders and journey runs"
                overview={data}
                columns={[
                  ['Events', (row) => n(row.events)],
                  ['Orders', (row) => n(row.orders)],
                  ['Revenue', (row) => formatRevenue(row.revenue)],
                  ['Journey runs', (row) => n(row.runs)],
                ]}
              />
            </section>
            <section class="panel panel-full" aria-labelledby="templates-title">
              <h2 id="templates-title">By template</h2>
              {data.templates.length === 0 ? (
                <p class="muted">No messages in this period.</p>
              ) : (
                <div class="table-scroll">
                  <table class="stat-table">
                    <caption class="sr-only">Messages by template</caption>
                    <thead>
                      <tr>
                        <th scope="col">Template</th>
                        <th scope="col" class="numeric">
                          Messages
                        </th>
                        {MESSAGE_LINES.map(([label]) => (
                          <th scope="col" class="numeric" key={label}>
                            {label}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {data.templates.map((t) => (
                        <tr key={t.template}>
                          <th scope="row">
                            {t.template ? (
                              <Link href={link(`/messages?template=${encodeURIComponent(t.template)}`)}>
                                {t.template}
                              </Link>
                            ) : (
                              <span class="muted">No template</span>
                            )}
                          </th>
                          <td class="numeric">{n(t.total)}</td>
                          {MESSAGE_LINES.map(([label, key]) => (
                            <td class="numeric" key={label}>
                              {n(t[key])}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section class="panel panel-full" aria-labelledby="journeys-title">
              <h2 id="journeys-title">Journeys</h2>
              {data.journeys.length === 0 ? (
                <p class="muted">No shopper entered a journey in this period.</p>
              ) : (
                <div class="table-scroll">
                  <table class="stat-table">
                    <caption class="sr-only">Journey runs that started in this period</caption>
                    <thead>
                      <tr>
                        <th scope="col">Journey</th>
                        <th scope="col" class="numeric">
                          Entered
                        </th>
                        <th scope="col" class="numeric">
                          Completed
                        </th>
                        <th scope="col" class="numeric">
                          Exited
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.journeys.map((j) => (
                        <tr key={j.journeyId}>
                          <th scope="row">
                            <Link href={link(`/messages?journey=${encodeURIComponent(j.journeyId)}`)}>
                              {j.name ?? j.journeyId}
                            </Link>
                          </th>
                          <td class="numeric">{n(j.entered)}</td>
                          <td class="numeric">{n(j.completed)}</td>
                          <td class="numeric">{n(j.exited)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </div>
        </>
      ) : null}
    </>
  );
}

/**
 * A small Prometheus registry: counters and gauges with labels, rendered as the text format.
 * Incrementing is a Map lookup, cheap enough for the ingest hot path.
 */
type Labels = Record<string, string>;

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

interface Metric {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  render(): string[];
}

export class Counter implements Metric {
  readonly type = 'counter';
  private readonly values = new Map<string, number>();
  /** Label values joined -> rendered label text, so an increment builds no strings. */
  private readonly keys = new Map<string, string>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  private key(labels: Labels): string {
    let id = '';
    for (const name in labels) id += `${labels[name]}\u0000`;
    let key = this.keys.get(id);
    if (key === undefined) {
      key = labelText(labels);
      this.keys.set(id, key);
    }
    return key;
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = this.key(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.values.get(this.key(labels)) ?? 0;
  }

  render(): string[] {
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values].map(([labels, value]) => `${this.name}${labels} ${value}`);
  }
}

export class Gauge implements Metric {
  readonly type = 'gauge';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number | Array<[Labels, number]>,
  ) {}

  render(): string[] {
    const value = this.read();
    if (typeof value === 'number') return [`${this.name} ${value}`];
    return value.map(([labels, v]) => `${this.name}${labelText(labels)} ${v}`);
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter(name, help);
    this.metrics.push(counter);
    return counter;
  }

  gauge(name: string, help: string, read: () => number | Array<[Labels, number]>): Gauge {
    const gauge = new Gauge(name, help, read);
    this.metrics.push(gauge);
    return gauge;
  }

  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics) {
      lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`, ...metric.render());
    }
    return `${lines.join('\n')}\n`;
  }
}

/** The metrics Storewire exposes at /metrics. */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    events: registry.counter(
      'storewire_events_total',
      'Events received, by source and outcome (accepted, duplicate, ignored, rejected).',
    ),
    httpResponses: registry.counter('storewire_http_responses_total', 'HTTP responses by status code.'),
    accountErrors: registry.counter(
      'storewire_provider_account_errors_total',
      'Errors a provider reported about a connected account (WhatsApp error webhooks), by channel and code.',
    ),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * A Prometheus registry and its text exposition format 0.0.4: metrics in registration order, each as `# HELP`,
 * `# TYPE` and one line per sample, metrics separated by a blank line. It keeps the shape prom-client gave the admin
 * API and the worker protocol (a metric is a name and a get() of its help, type and samples), and its output byte for
 * byte: help escapes `\` and line feeds, label values also `"`; values print as JavaScript numbers, with `+Inf`,
 * `-Inf` and `Nan`.
 *
 * Owns: the registry and the text format. The instruments are in instruments.ts, the process metrics in process.ts.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type LabelValue = string | number;
export type Labels = Readonly<Record<string, LabelValue>>;

/** One sample; `metricName` names a histogram's _bucket, _sum and _count lines. */
export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

export interface MetricValues {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  /** How a cluster of processes combines the metric (kept from prom-client's shape; not used in the text). */
  readonly aggregator: string;
  readonly values: readonly Sample[];
}

export interface Metric {
  readonly name: string;
  get(): MetricValues | Promise<MetricValues>;
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class DuplicateMetricError extends Error {
  readonly code = 'ARCHWAY_ERR_DUPLICATE_METRIC';
}

export function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(v: LabelValue): string {
  return typeof v === 'string' ? escapeHelp(v).replace(/"/g, '\\"') : `${v}`;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${v}`;
}

function labelText(labels: Labels): string {
  let s = '';
  for (const name in labels) s += `${s === '' ? '' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  return s === '' ? '' : `{${s}}`;
}

/** One metric in the text format, without a trailing line feed. */
export function exposition(m: MetricValues): string {
  const name = escapeHelp(m.name);
  const lines = [`# HELP ${name} ${escapeHelp(m.help)}`, `# TYPE ${name} ${m.type}`];
  for (const v of m.values) lines.push(`${v.metricName ?? name}${labelText(v.labels)} ${formatValue(v.value)}`);
  return lines.join('\n');
}

export class Registry {
  readonly contentType = CONTENT_TYPE;
  readonly #metrics = new Map<string, Metric>();

  registerMetric(metric: Metric): void {
    const known = this.#metrics.get(metric.name);
    if (known !== undefined && known !== metric)
      throw new DuplicateMetricError(`A metric with the name ${metric.name} has already been registered.`);
    this.#metrics.set(metric.name, metric);
  }

  getSingleMetric(name: string): Metric | undefined {
    return this.#metrics.get(name);
  }

  removeSingleMetric(name: string): void {
    this.#metrics.delete(name);
  }

  /** The exposition of every metric, in registration order. */
  async metrics(): Promise<string> {
    const all = await Promise.all([...this.#metrics.values()].map(async (m) => exposition(await m.get())));
    return `${all.join('\n\n')}\n`;
  }
}

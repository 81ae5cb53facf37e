/**
 * Counters, gauges and histograms with label sets, in the shapes prom-client gave them. A label set is bound once
 * (bind()) and then updated with no lookup, which is what the request path does; the label-object calls (inc, set,
 * observe) look the set up by its values in labelNames order. Samples list label sets in the order they were first
 * used; a metric without labels starts at zero.
 *
 * Owns: the instruments' state and their samples.
 */
import type { Labels, LabelValue, Metric, MetricType, MetricValues, Registry, Sample } from './registry.ts';

export interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly registers?: readonly Registry[];
  readonly aggregator?: string;
  /** Called before each read (a gauge that samples the process). */
  readonly collect?: () => void;
}

/** One label set's value (counter, gauge). */
export interface Series {
  readonly labels: Labels;
  value: number;
}

abstract class Instrument<S extends { readonly labels: Labels }> implements Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator: string;
  abstract readonly type: MetricType;
  collect: (() => void) | null;
  protected series = new Map<string, S>();

  constructor(o: MetricOptions) {
    this.name = o.name;
    this.help = o.help;
    this.labelNames = o.labelNames ?? [];
    this.aggregator = o.aggregator ?? 'sum';
    this.collect = o.collect ?? null;
    for (const r of o.registers ?? []) r.registerMetric(this);
  }

  /** The series of a label set (given in labelNames order or as an object), created at zero on first use. */
  bind(labels: Labels = {}): S {
    let key = '';
    const ordered: Record<string, LabelValue> = {};
    for (const n of this.labelNames) {
      const v = labels[n];
      if (v === undefined) continue;
      ordered[n] = v;
      key += `${n}\u0000${v}\u0000`;
    }
    let s = this.series.get(key);
    if (s === undefined) {
      s = this.create(ordered);
      this.series.set(key, s);
    }
    return s;
  }

  /** Forgets every label set (a metric without labels goes back to zero). */
  reset(): void {
    this.series = new Map();
    if (this.labelNames.length === 0) this.bind();
  }

  get(): MetricValues {
    this.collect?.();
    return { name: this.name, help: this.help, type: this.type, values: this.samples(), aggregator: this.aggregator };
  }

  protected abstract create(labels: Labels): S;
  protected abstract samples(): Sample[];
}

abstract class Scalar extends Instrument<Series> {
  constructor(o: MetricOptions) {
    super(o);
    if (this.labelNames.length === 0) this.bind();
  }

  protected create(labels: Labels): Series {
    return { labels, value: 0 };
  }

  protected samples(): Sample[] {
    return [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels }));
  }
}

export class Counter extends Scalar {
  readonly type = 'counter';

  /** inc(), inc(by), inc(labels) or inc(labels, by), as prom-client's. */
  inc(labels?: Labels | number, by = 1): void {
    if (typeof labels === 'number') this.bind().value += labels;
    else this.bind(labels).value += by;
  }
}

export class Gauge extends Scalar {
  readonly type = 'gauge';

  /** set(value) or set(labels, value), as prom-client's. */
  set(labels: Labels | number, value = 0): void {
    if (typeof labels === 'number') this.bind().value = labels;
    else this.bind(labels).value = value;
  }
}

/** One label set of a histogram: per-bucket (not cumulative) counts, sum and count. */
export class HistogramSeries {
  readonly labels: Labels;
  readonly bounds: readonly number[];
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(labels: Labels, bounds: readonly number[]) {
    this.labels = labels;
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    // hot path
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }
}

export interface HistogramOptions extends MetricOptions {
  readonly buckets: readonly number[];
}

export class Histogram extends Instrument<HistogramSeries> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(o: HistogramOptions) {
    super(o);
    this.buckets = [...o.buckets].sort((a, b) => a - b);
    if (this.labelNames.length === 0) this.bind();
  }

  /** observe(value) or observe(labels, value), as prom-client's. */
  observe(labels: Labels | number, value = 0): void {
    if (typeof labels === 'number') this.bind().observe(labels);
    else this.bind(labels).observe(value);
  }

  protected create(labels: Labels): HistogramSeries {
    return new HistogramSeries(labels, this.buckets);
  }

  /** Per label set: cumulative buckets (le first among the labels), the +Inf bucket, _sum and _count. */
  protected samples(): Sample[] {
    const out: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let acc = 0;
      for (let i = 0; i < s.bounds.length; i++) {
        acc += s.counts[i]!;
        out.push({ value: acc, labels: { le: s.bounds[i]!, ...s.labels }, metricName: bucket });
      }
      out.push({ value: s.count, labels: { le: '+Inf', ...s.labels }, metricName: bucket });
      out.push({ value: s.sum, labels: s.labels, metricName: `${this.name}_sum` });
      out.push({ value: s.count, labels: s.labels, metricName: `${this.name}_count` });
    }
    return out;
  }
}

/**
 * Prometheus metrics: request counters and latency histograms per route and backend, reconcile figures, and the
 * process metrics (admin/metrics/process.ts), in an in-house registry (admin/metrics/registry.ts) whose text output
 * is the one prom-client gave: same names, help, labels and buckets.
 *
 * Owns: the metric registry. The data plane reports through the DataplaneObserver interface it defines; this
 * module implements it. A request updates series bound once per route, backend and status: no label object, no
 * hashing per request.
 */
import type { DataplaneObserver } from '../dataplane/dataplane.ts';
import type { ChangeTiming } from '../runtime/timeline.ts';
import { Counter, Gauge, Histogram, type HistogramSeries, type Series } from './metrics/instruments.ts';
import { collectProcessMetrics } from './metrics/process.ts';
import { Registry } from './metrics/registry.ts';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The series one route and backend update: the latency histogram, and a counter per status code seen (a few). */
interface Bound {
  readonly latency: HistogramSeries;
  readonly codes: number[];
  readonly counters: Series[];
}

export class Metrics implements DataplaneObserver {
  readonly registry = new Registry();
  readonly #requests: Counter;
  readonly #latency: Histogram;
  readonly reconciles: Counter;
  readonly reconcileSeconds: Histogram;
  readonly changeSeconds: Histogram;
  readonly configErrors: Gauge;
  /** route -> backend -> bound series. */
  readonly #bound = new Map<string, Map<string, Bound>>();

  constructor() {
    collectProcessMetrics(this.registry, 'archway_process_');
    this.#requests = new Counter({
      name: 'archway_http_requests_total',
      help: 'HTTP requests served, by route rule match, backend cluster and response status code',
      labelNames: ['route', 'backend', 'code'],
      registers: [this.registry],
    });
    this.#latency = new Histogram({
      name: 'archway_http_request_duration_seconds',
      help: 'Time from request head received to response finished, by route rule match and backend cluster',
      labelNames: ['route', 'backend'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.reconciles = new Counter({
      name: 'archway_reconciles_total',
      help: 'Config reconciles (translate + apply) run',
      registers: [this.registry],
    });
    this.reconcileSeconds = new Histogram({
      name: 'archway_reconcile_duration_seconds',
      help: 'Time to translate a snapshot and apply it to the data plane',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.changeSeconds = new Histogram({
      name: 'archway_config_change_seconds',
      help: 'Time from a config change being seen (its first file event, or its store update) to the data plane serving it',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.configErrors = new Gauge({
      name: 'archway_config_errors',
      help: 'Config errors currently reported for the config directory',
      registers: [this.registry],
    });
  }

  /**
   * One reconcile ran (translate + apply + statuses), and this many config errors are reported now; `timing` says how
   * long its change took to be served (a reconcile with no change, such as a bind retry, is not a change).
   */
  reconciled(durationMs: number, configErrors: number, timing: ChangeTiming): void {
    this.reconciles.inc();
    this.reconcileSeconds.observe(durationMs / 1000);
    if (timing.source !== 'none') this.changeSeconds.observe(timing.appliedMs / 1000);
    this.configErrors.set(configErrors);
  }

  requestDone(route: string, cluster: string, status: number, seconds: number): void {
    // hot path
    let byBackend = this.#bound.get(route);
    if (byBackend === undefined) {
      byBackend = new Map();
      this.#bound.set(route, byBackend);
    }
    let b = byBackend.get(cluster);
    if (b === undefined) {
      b = { latency: this.#latency.bind({ route, backend: cluster }), codes: [], counters: [] };
      byBackend.set(cluster, b);
    }
    let i = b.codes.indexOf(status);
    if (i < 0) {
      i = b.codes.length;
      b.codes.push(status);
      b.counters.push(this.#requests.bind({ route, backend: cluster, code: status }));
    }
    b.counters[i]!.value += 1;
    b.latency.observe(seconds);
  }
}

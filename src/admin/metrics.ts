/**
 * Prometheus metrics: request counters and latency histograms per route and backend, and reconcile figures.
 *
 * Owns: the metric registry. The data plane reports through the DataplaneObserver interface it defines; this
 * module implements it, so the data plane never imports prom-client.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataplaneObserver } from '../dataplane/dataplane.ts';

export class Metrics implements DataplaneObserver {
  readonly registry = new Registry();
  readonly #requests: Counter<'route' | 'backend' | 'code'>;
  readonly #latency: Histogram<'route' | 'backend'>;
  readonly reconciles: Counter<string>;
  readonly reconcileSeconds: Histogram<string>;
  readonly configErrors: Gauge<string>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'archway_process_' });
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
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
    this.configErrors = new Gauge({
      name: 'archway_config_errors',
      help: 'Config errors currently reported for the config directory',
      registers: [this.registry],
    });
  }

  requestDone(route: string, cluster: string, status: number, seconds: number): void {
    this.#requests.inc({ route, backend: cluster, code: status });
    this.#latency.observe({ route, backend: cluster }, seconds);
  }
}

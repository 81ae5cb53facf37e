/**
 * The primary's view of its workers' request metrics. Each worker sends its cumulative samples about once a second;
 * the admin's /metrics serves, under the usual names, their sum over every worker, plus
 * archway_worker_http_requests_total{worker} (requests per worker slot). The samples of a worker that exited stay
 * counted (folded into its slot), so the totals never go down when a worker is restarted.
 *
 * It plugs into the admin's registry (src/admin/metrics/registry.ts): a metric is any object with a name and a get()
 * that returns its help, type and values.
 */
import type { MetricValues, Registry } from '../../admin/metrics/registry.ts';
import { sumSamples } from './merge.ts';
import { type MetricSample, type MetricsSnapshot, REQUEST_METRICS, type RequestMetricName } from './protocol.ts';

const EMPTY: MetricsSnapshot = { archway_http_requests_total: [], archway_http_request_duration_seconds: [] };

function sumSnapshots(a: MetricsSnapshot, b: MetricsSnapshot): MetricsSnapshot {
  return {
    archway_http_requests_total: sumSamples([a.archway_http_requests_total, b.archway_http_requests_total]),
    archway_http_request_duration_seconds: sumSamples([
      a.archway_http_request_duration_seconds,
      b.archway_http_request_duration_seconds,
    ]),
  };
}

export class WorkerMetrics {
  /** The latest snapshot of the process now in each slot, and the sum of those that exited. */
  readonly #live = new Map<number, MetricsSnapshot>();
  readonly #retired = new Map<number, MetricsSnapshot>();

  update(slot: number, snapshot: MetricsSnapshot): void {
    this.#live.set(slot, snapshot);
  }

  /** The process in `slot` exited: what it counted stays counted. */
  retire(slot: number): void {
    const last = this.#live.get(slot);
    if (last === undefined) return;
    this.#live.delete(slot);
    this.#retired.set(slot, sumSnapshots(this.#retired.get(slot) ?? EMPTY, last));
  }

  /** Every worker's samples of a metric, summed. */
  total(name: RequestMetricName): MetricSample[] {
    return sumSamples([...this.#retired.values(), ...this.#live.values()].map((s) => s[name]));
  }

  /** Requests served per worker slot, sorted by slot. */
  perWorker(): { readonly slot: number; readonly requests: number }[] {
    const slots = [...new Set([...this.#retired.keys(), ...this.#live.keys()])].sort((a, b) => a - b);
    return slots.map((slot) => {
      const lists = [this.#retired.get(slot), this.#live.get(slot)];
      let requests = 0;
      for (const s of lists) for (const v of s?.archway_http_requests_total ?? []) requests += v.value;
      return { slot, requests };
    });
  }

  /** Replaces the registry's request metrics by the workers' totals and adds the per-worker request counter. */
  install(registry: Registry): void {
    for (const name of REQUEST_METRICS) {
      const own = registry.getSingleMetric(name);
      if (own === undefined) continue;
      registry.removeSingleMetric(name);
      register(registry, name, async () => ({ ...(await own.get()), values: this.total(name) }));
    }
    const name = 'archway_worker_http_requests_total';
    register(registry, name, async () => ({
      name,
      help: 'HTTP requests served, by data-plane worker process slot (archway serve --workers N)',
      type: 'counter',
      aggregator: 'sum',
      values: this.perWorker().map((w) => ({ value: w.requests, labels: { worker: w.slot } })),
    }));
  }
}

function register(registry: Registry, name: string, get: () => Promise<MetricValues>): void {
  registry.registerMetric({ name, get });
}

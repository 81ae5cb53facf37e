/**
 * The IPC messages between the primary (control plane) and its data-plane worker processes. Every message is plain
 * data (sent with the 'advanced' serialization, i.e. structured clone): the IR goes down (codec.ts: what the worker
 * already has goes by reference), apply reports and batched
 * metrics come up. Metrics travel as metric values (what Metric.get() returns, src/admin/metrics/), cumulative per worker,
 * at most about once a second and only after traffic: never one message per request.
 */
import type { ApplyReport } from '../../dataplane/dataplane.ts';
import type { WireIR } from './codec.ts';

/** Names of the per-request metrics the workers report (defined by src/admin/metrics.ts). */
export const REQUEST_METRICS = ['archway_http_requests_total', 'archway_http_request_duration_seconds'] as const;
export type RequestMetricName = (typeof REQUEST_METRICS)[number];

/** One sample of a metric, as Metric.get() lists them. */
export interface MetricSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** Cumulative samples of each request metric since the worker started. */
export type MetricsSnapshot = Readonly<Record<RequestMetricName, readonly MetricSample[]>>;

export type ToWorker =
  | { readonly type: 'apply'; readonly seq: number; readonly ir: WireIR }
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'applied';
      readonly seq: number;
      readonly report: ApplyReport;
      readonly warnings: readonly string[];
    }
  | { readonly type: 'apply-failed'; readonly seq: number; readonly error: string }
  | { readonly type: 'metrics'; readonly snapshot: MetricsSnapshot };

/** Narrows a message received over IPC (from our own code, but checked before use). */
export function isFromWorker(m: unknown): m is FromWorker {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'ready' || t === 'applied' || t === 'apply-failed' || t === 'metrics';
}

export function isToWorker(m: unknown): m is ToWorker {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  return t === 'apply' || t === 'close';
}

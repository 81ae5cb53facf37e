/**
 * Archway's own account of its reconciles, read from its admin /metrics (archway_reconcile_duration_seconds): taken
 * before and after a series of config changes, the difference says how many reconciles ran and how long they took
 * on average, which splits "change -> first 200" into the reconcile and everything around it (file watch and settle,
 * waiting for the event loop under load, the request itself).
 *
 * Owns: reading that histogram.
 */
import { getText } from './net.ts';

export interface ReconcileTotals {
  readonly count: number;
  readonly seconds: number;
  /** Full (mark-compact) GCs so far and their total pause, from the process metrics. */
  readonly majorGcs: number;
  readonly majorGcSeconds: number;
  /** Reconciles that took at most 10 ms, and at most 25 ms (histogram buckets). */
  readonly upTo10ms: number;
  readonly upTo25ms: number;
}

/** count and sum of archway_reconcile_duration_seconds, and of major GCs, in a Prometheus text exposition. */
export function parseReconcileTotals(text: string): ReconcileTotals {
  const value = (series: string) => {
    const at = text.indexOf(`\n${series} `);
    return at < 0 ? Number.NaN : Number(text.slice(at + series.length + 2, text.indexOf('\n', at + 1)));
  };
  const gc = 'archway_process_nodejs_gc_duration_seconds';
  return {
    count: value('archway_reconcile_duration_seconds_count'),
    seconds: value('archway_reconcile_duration_seconds_sum'),
    majorGcs: value(`${gc}_count{kind="major"}`),
    majorGcSeconds: value(`${gc}_sum{kind="major"}`),
    upTo10ms: value('archway_reconcile_duration_seconds_bucket{le="0.01"}'),
    upTo25ms: value('archway_reconcile_duration_seconds_bucket{le="0.025"}'),
  };
}

export async function fetchReconcileTotals(adminPort: number): Promise<ReconcileTotals> {
  return parseReconcileTotals(await getText(adminPort, '/metrics'));
}

export interface ReconcileSeries {
  readonly count: number;
  readonly meanMs: number;
  readonly majorGcs: number;
  readonly majorGcMs: number;
  /** Reconciles in the series that took longer than 10 ms, and longer than 25 ms. */
  readonly over10ms: number;
  readonly over25ms: number;
}

/** Reconciles between two readings and their mean duration in ms; major GCs in between and their total ms. */
export function reconcilesBetween(a: ReconcileTotals, b: ReconcileTotals): ReconcileSeries {
  const count = b.count - a.count;
  return {
    count,
    meanMs: count > 0 ? ((b.seconds - a.seconds) * 1000) / count : Number.NaN,
    majorGcs: b.majorGcs - a.majorGcs,
    majorGcMs: (b.majorGcSeconds - a.majorGcSeconds) * 1000,
    over10ms: count - (b.upTo10ms - a.upTo10ms),
    over25ms: count - (b.upTo25ms - a.upTo25ms),
  };
}

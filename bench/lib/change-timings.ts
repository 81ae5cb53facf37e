/**
 * Archway's own timing of each config change, read from its admin /debug/changes (src/runtime/timeline.ts): for the
 * changes of one series, how long Archway took from the first file event to serving the change, and where that time
 * went (the settle window before reading, waiting for the reconcile to start, the reconcile up to the data plane
 * apply). Set against the harness's "write -> first 200", it splits the time outside Archway (the kernel delivering
 * the watch event, the poller's own requests under the load) from the time inside.
 *
 * Owns: reading and summarizing those timings.
 */
import { getText } from './net.ts';
import { percentile } from './stats.ts';

/** The fields of one /debug/changes entry the bench reads. */
export interface ChangeEntry {
  readonly at: string;
  readonly source: string;
  readonly settledMs?: number;
  readonly readMs?: number;
  readonly storedMs: number;
  readonly reconcileStartMs: number;
  readonly appliedMs: number;
}

export interface ChangeSummary {
  /** File changes in the series (one reconcile each). */
  readonly n: number;
  /** First watch event -> data plane serving it. */
  readonly servedP50Ms: number;
  readonly servedP99Ms: number;
  readonly servedMaxMs: number;
  /**
   * p99 of each stage: the settle window (event -> settle timer fired), waiting behind earlier file work (-> reading
   * began), reading and storing up to the reconcile start, reconcile start -> applied.
   */
  readonly settleP99Ms: number;
  readonly queueP99Ms: number;
  readonly waitP99Ms: number;
  readonly reconcileP99Ms: number;
  /** Per change, in order: event -> served, the settle window, and the reconcile (for the JSON results). */
  readonly servedMs: readonly number[];
  readonly settleMs: readonly number[];
  readonly reconcileMs: readonly number[];
}

/** The file changes seen at or after `sinceMs` (wall clock), summarized; undefined when there are none. */
export function summarizeChanges(entries: readonly ChangeEntry[], sinceMs: number): ChangeSummary | undefined {
  const series = entries.filter((e) => e.source === 'files' && Date.parse(e.at) >= sinceMs);
  if (series.length === 0) return undefined;
  const p = (f: (e: ChangeEntry) => number, q: number) => percentile(series.map(f), q);
  const served = (e: ChangeEntry) => e.appliedMs;
  const settled = (e: ChangeEntry) => e.settledMs ?? e.readMs ?? 0;
  return {
    n: series.length,
    servedP50Ms: p(served, 50),
    servedP99Ms: p(served, 99),
    servedMaxMs: p(served, 100),
    settleP99Ms: p(settled, 99),
    queueP99Ms: p((e) => (e.readMs ?? 0) - settled(e), 99),
    waitP99Ms: p((e) => e.reconcileStartMs - (e.readMs ?? 0), 99),
    reconcileP99Ms: p((e) => e.appliedMs - e.reconcileStartMs, 99),
    servedMs: series.map(served),
    settleMs: series.map(settled),
    reconcileMs: series.map((e) => Math.round((e.appliedMs - e.reconcileStartMs) * 1000) / 1000),
  };
}

export async function fetchChanges(adminPort: number): Promise<ChangeEntry[]> {
  return (JSON.parse(await getText(adminPort, '/debug/changes')) as { changes: ChangeEntry[] }).changes;
}

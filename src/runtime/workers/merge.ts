/**
 * Pure merges of what the workers send up: their apply reports (a listener is bound only if every worker bound it)
 * and their metric samples (summed by metric name and label set).
 */
import type { ApplyReport, ListenerResult } from '../../dataplane/dataplane.ts';
import type { MetricSample } from './protocol.ts';

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One report for all workers, listeners sorted by name. A listener any worker failed to bind (or that a worker did not
 * report) is an error, naming the workers when they disagree; else 'bound' if some worker newly bound it, else 'kept'.
 */
export function mergeReports(reports: readonly ApplyReport[]): ApplyReport {
  const names = new Set<string>();
  for (const r of reports) for (const name of Object.keys(r)) names.add(name);
  const merged: Record<string, ListenerResult> = {};
  for (const name of [...names].sort(byName)) merged[name] = mergeOne(reports.map((r) => r[name]));
  return merged;
}

function mergeOne(results: readonly (ListenerResult | undefined)[]): ListenerResult {
  const errors = new Set<string>();
  results.forEach((r, i) => {
    if (r === undefined) errors.add(`worker ${i}: not reported`);
    else if (typeof r !== 'string') errors.add(r.error);
  });
  if (errors.size === 1) return { error: [...errors][0] as string };
  if (errors.size > 1) {
    const texts = results.map((r, i) => (r !== undefined && typeof r !== 'string' ? `worker ${i}: ${r.error}` : ''));
    return { error: texts.filter((t) => t !== '').join('; ') };
  }
  return results.includes('bound') ? 'bound' : 'kept';
}

function sampleKey(s: MetricSample): string {
  const labels = Object.keys(s.labels)
    .sort(byName)
    .map((k) => `${k}=${String(s.labels[k])}`);
  return `${s.metricName ?? ''}\u0000${labels.join('\u0000')}`;
}

/** The sum of several lists of samples of one metric, sample by sample (same metric name and labels). */
export function sumSamples(lists: readonly (readonly MetricSample[])[]): MetricSample[] {
  const sums = new Map<string, MetricSample>();
  for (const list of lists) {
    for (const s of list) {
      const key = sampleKey(s);
      const seen = sums.get(key);
      sums.set(key, seen === undefined ? s : { ...seen, value: seen.value + s.value });
    }
  }
  return [...sums.values()];
}

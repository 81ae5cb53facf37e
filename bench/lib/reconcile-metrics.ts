/**
 * Archway's own account of its reconciles, read from its admin /metrics (archway_reconcile_duration_seconds): taken
 * before and after a series of config changes, the difference says how many reconciles ran and how long they took
 * on average, which splits "change -> first 200" into the reconcile and everything around it (file watch and settle,
 * waiting for the event loop under load, the request itself).
 *
 * Owns: reading that histogram.
 */
import { request } from 'node:http';
import { LOOPBACK } from './net.ts';

export interface ReconcileTotals {
  readonly count: number;
  readonly seconds: number;
}

/** count and sum of archway_reconcile_duration_seconds in a Prometheus text exposition. */
export function parseReconcileTotals(text: string): ReconcileTotals {
  const value = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  return {
    count: value('archway_reconcile_duration_seconds_count'),
    seconds: value('archway_reconcile_duration_seconds_sum'),
  };
}

export function fetchReconcileTotals(adminPort: number): Promise<ReconcileTotals> {
  return new Promise((resolve, reject) => {
    const req = request({ host: LOOPBACK, port: adminPort, path: '/metrics', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(parseReconcileTotals(body)));
    });
    req.on('timeout', () => req.destroy(new Error('metrics: timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Reconciles between two readings and their mean duration in ms. */
export function reconcilesBetween(a: ReconcileTotals, b: ReconcileTotals): { count: number; meanMs: number } {
  const count = b.count - a.count;
  return { count, meanMs: count > 0 ? ((b.seconds - a.seconds) * 1000) / count : Number.NaN };
}

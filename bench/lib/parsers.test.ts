import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeChanges } from './change-timings.ts';
import { parseH2load } from './h2load.ts';
import { parseReconcileTotals, reconcilesBetween } from './reconcile-metrics.ts';
import { median, percentile } from './stats.ts';
import { parseWrk, socketErrors } from './wrk.ts';

test('parseWrk reads the JSON line the Lua done() hook prints', () => {
  const out = [
    'Running 1s test @ http://127.0.0.1:1/',
    'BENCH_JSON {"requests":5000,"durationUs":2000000,"connect":1,"read":2,"write":3,"status":7,"timeout":4,"p50":1500,"p99":9000}',
  ].join('\n');
  const r = parseWrk(out);
  assert.equal(r.rps, 2500);
  assert.equal(r.p50Ms, 1.5);
  assert.equal(r.p99Ms, 9);
  assert.equal(r.non2xx3xx, 7);
  assert.equal(socketErrors(r), 10);
});

test('parseWrk fails loudly when wrk printed no result', () => {
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused'), /wrk produced no result/);
});

test('parseH2load reads rate, completed requests, failures and mean time', () => {
  const out = `finished in 5.00s, 12345.60 req/s, 1.23MB/s
requests: 61728 total, 61792 started, 61728 done, 61700 succeeded, 28 failed, 3 errored, 0 timeout
status codes: 61700 2xx, 0 3xx, 25 4xx, 0 5xx
                     min         max         mean         sd        +/- sd
time for request:      102us     15.12ms      2.56ms      1.01ms    78.12%
`;
  const r = parseH2load(out);
  assert.equal(r.rps, 12345.6);
  assert.equal(r.requests, 61728);
  assert.equal(r.errors, 28);
  assert.equal(r.meanMs, 2.56);
});

test('percentile is nearest-rank and median of an even list takes the lower middle', () => {
  assert.equal(percentile([5, 1, 4, 2, 3], 99), 5);
  assert.equal(percentile([5, 1, 4, 2, 3], 20), 1);
  assert.equal(median([4, 1, 3, 2]), 2);
  assert.ok(Number.isNaN(median([])));
});

test('reconcile totals come from the histogram count and sum, and a series is their difference', () => {
  const text = [
    '# HELP archway_reconcile_duration_seconds Time to translate a snapshot and apply it to the data plane',
    '# TYPE archway_reconcile_duration_seconds histogram',
    'archway_reconcile_duration_seconds_bucket{le="0.001"} 0',
    'archway_reconcile_duration_seconds_bucket{le="0.01"} 7',
    'archway_reconcile_duration_seconds_bucket{le="0.025"} 9',
    'archway_reconcile_duration_seconds_sum 0.25',
    'archway_reconcile_duration_seconds_count 10',
    'archway_process_nodejs_gc_duration_seconds_sum{kind="minor"} 9',
    'archway_process_nodejs_gc_duration_seconds_sum{kind="major"} 0.5',
    'archway_process_nodejs_gc_duration_seconds_count{kind="major"} 4',
    '',
  ].join('\n');
  const a = parseReconcileTotals(text);
  assert.deepEqual(a, { count: 10, seconds: 0.25, majorGcs: 4, majorGcSeconds: 0.5, upTo10ms: 7, upTo25ms: 9 });
  const b = { count: 30, seconds: 0.35, majorGcs: 6, majorGcSeconds: 0.56, upTo10ms: 22, upTo25ms: 28 };
  const series = reconcilesBetween(a, b);
  assert.equal(series.count, 20);
  assert.ok(Math.abs(series.meanMs - 5) < 1e-9, String(series.meanMs));
  assert.equal(series.majorGcs, 2);
  assert.equal(series.over10ms, 5);
  assert.equal(series.over25ms, 1);
  assert.ok(Math.abs(series.majorGcMs - 60) < 1e-9);
  assert.ok(Number.isNaN(parseReconcileTotals('').count));
});

test('summarizeChanges takes the file changes of the series and splits their time by stage', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const entry = (ms: number, source: string, read: number, start: number, applied: number) => ({
    at: at(ms),
    source,
    settledMs: read - 0.5,
    readMs: read,
    storedMs: read + 0.5,
    reconcileStartMs: start,
    appliedMs: applied,
  });
  const s = summarizeChanges(
    [
      entry(1000, 'files', 3, 4, 20), // before the series
      entry(5000, 'store', 0, 1, 2), // not a file change
      entry(5001, 'files', 3, 4, 7),
      entry(5002, 'files', 3.5, 9, 12),
      entry(5003, 'files', 4, 5, 30),
    ],
    5000,
  );
  assert.equal(s?.n, 3);
  assert.equal(s?.servedP50Ms, 12);
  assert.equal(s?.servedMaxMs, 30);
  assert.equal(s?.settleP99Ms, 3.5);
  assert.equal(s?.queueP99Ms, 0.5);
  assert.equal(s?.waitP99Ms, 5.5);
  assert.equal(s?.reconcileP99Ms, 25);
  assert.equal(summarizeChanges([entry(1, 'files', 1, 1, 1)], 5000), undefined);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeReports, sumSamples } from './merge.ts';

test('a listener is bound only if every worker bound it; disagreeing errors name the workers', () => {
  const merged = mergeReports([
    { a: 'bound', b: 'kept', c: { error: 'EADDRINUSE' }, d: 'kept', e: { error: 'EACCES' } },
    { a: 'kept', b: 'kept', c: 'bound', e: { error: 'EADDRINUSE' } },
  ]);
  assert.deepEqual(merged, {
    a: 'bound',
    b: 'kept',
    c: { error: 'EADDRINUSE' },
    d: { error: 'worker 1: not reported' },
    e: { error: 'worker 0: EACCES; worker 1: EADDRINUSE' },
  });
  assert.deepEqual(Object.keys(mergeReports([{ z: 'kept', a: 'kept' }])), ['a', 'z']);
  assert.deepEqual(mergeReports([]), {});
});

test('samples are summed by metric name and label set, whatever the label order', () => {
  const summed = sumSamples([
    [
      { value: 2, labels: { route: 'r', code: 200 } },
      { value: 1, labels: { le: 0.5, route: 'r' }, metricName: 'h_bucket' },
    ],
    [
      { value: 3, labels: { code: 200, route: 'r' } },
      { value: 4, labels: { code: 404, route: 'r' } },
      { value: 5, labels: { route: 'r', le: 0.5 }, metricName: 'h_bucket' },
      { value: 6, labels: { route: 'r', le: 0.5 }, metricName: 'h_count' },
    ],
  ]);
  assert.deepEqual(
    summed.map((s) => [s.metricName ?? '', s.value]),
    [
      ['', 5],
      ['h_bucket', 6],
      ['', 4],
      ['h_count', 6],
    ],
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from './durations.ts';

test('parseDuration reads GEP-2257 durations', () => {
  assert.equal(parseDuration('0s'), 0);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1m1s1ms'), 61_001);
});

test('parseDuration rejects anything else', () => {
  for (const bad of ['', '1', '1d', '1.5s', '-1s', '10 seconds', '1h1h1h1h1h', '123456s']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createdMs } from './context.ts';

const parsed = (text: string): number => {
  const t = Date.parse(text);
  return Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
};

test('createdMs agrees with Date.parse, on its fast path and off it', () => {
  const odd = [
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '0001-01-01T00:00:00Z',
    '2026-01-01',
    '2026-06-15T08:09:10.5Z',
    '2026-01-01T00:00:00.000+01:00',
    'not a time',
  ];
  for (const text of odd) assert.equal(createdMs({ name: 'x', creationTimestamp: text }), parsed(text), text);
  for (let i = 0; i < 2000; i++) {
    const iso = new Date(
      Date.UTC(1900 + i, i % 12, 1 + (i % 31), i % 24, i % 60, (i * 7) % 60, i % 1000),
    ).toISOString();
    for (const text of [iso, `${iso.slice(0, 19)}Z`]) {
      assert.equal(createdMs({ name: 'x', creationTimestamp: text }), parsed(text), text);
    }
  }
  assert.equal(createdMs({ name: 'x' }), Number.MAX_SAFE_INTEGER);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { releaseMemory } from './heap.ts';

const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

describe('releaseMemory', () => {
  it('gives back the young generation that a burst of allocation grew', () => {
    // A burst like a configuration load: many objects that survive a while, so V8 grows the young generation.
    let keep: object[] = [];
    for (let round = 0; round < 40 && newSpace() < 8 * 1024 * 1024; round++) {
      for (let i = 0; i < 100_000; i++) keep.push({ i, s: `v${i}` });
      if (keep.length > 400_000) keep = keep.slice(200_000);
    }
    keep = [];
    const grown = newSpace();
    assert.ok(grown >= 8 * 1024 * 1024, `the burst grew the young generation to ${grown} bytes`);
    const ms = releaseMemory();
    assert.ok(ms >= 0);
    assert.ok(newSpace() < grown / 2, `young generation ${grown} -> ${newSpace()} bytes`);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLists } from './listdiff.ts';
import { mulberry32 } from './prng.ts';

const rng = mulberry32;

test('every paired item is identical, in order, and every old item is paired or removed', () => {
  const rand = rng(7);
  for (let round = 0; round < 300; round++) {
    const prev = Array.from({ length: Math.floor(rand() * 60) }, (_, i) => ({ i }));
    const next = prev.filter(() => rand() > 0.2);
    for (let k = Math.floor(rand() * 5); k > 0; k--) next.splice(Math.floor(rand() * (next.length + 1)), 0, { i: -1 });
    if (rand() < 0.2 && next.length > 1) next.reverse();
    const { from, removed } = diffLists(prev, next);
    assert.equal(from.length, next.length);
    const paired = new Set<number>();
    let last = -1;
    for (let j = 0; j < next.length; j++) {
      const at = from[j] as number;
      if (at < 0) continue;
      assert.equal(prev[at], next[j], 'paired items are the same object');
      assert.ok(at > last, 'pairs keep their order');
      last = at;
      paired.add(at);
    }
    for (const r of removed) assert.ok(!paired.has(r), 'a removed item is not also paired');
    assert.equal(paired.size + removed.length, prev.length, 'every old item is accounted for');
    for (let j = 0; j < next.length; j++) {
      if ((from[j] as number) < 0) assert.ok(!paired.has(prev.indexOf(next[j] as { i: number })));
    }
  }
});

test('small edits pair everything that did not change', () => {
  const prev = Array.from({ length: 100 }, (_, i) => ({ i }));
  const next = [...prev.slice(0, 40), { i: -1 }, ...prev.slice(42)];
  const { from, removed } = diffLists(prev, next);
  assert.deepEqual(removed, [40, 41]);
  assert.equal([...from].filter((x) => x < 0).length, 1);
});

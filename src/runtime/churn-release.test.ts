import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { ChurnRelease } from './churn-release.ts';

const MiB = 1024 * 1024;

/** A ChurnRelease over a fake heap and event loop: `heap` and `busy` are set by the test, collections counted. */
function fake(quietMs = 20) {
  const state = { heap: 100 * MiB, busy: 0, collections: 0 };
  const release = new ChurnRelease({
    quietMs,
    heapBytes: () => state.heap,
    utilization: () => state.busy,
    collect: () => {
      state.collections++;
      state.heap = 110 * MiB;
    },
  });
  return { state, release };
}

/** Fake timers (deterministic): `sleep(ms)` moves time on by `ms`. */
function clock(t: { after(fn: () => void): void }) {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  return async (ms: number) => mock.timers.tick(ms);
}

describe('ChurnRelease', () => {
  it('collects once changes have stopped, the heap grew and the process is idle', async (t) => {
    const sleep = clock(t);
    const { state, release } = fake();
    state.heap = 250 * MiB;
    release.changed();
    await sleep(60);
    assert.equal(state.collections, 1);
    release.changed(); // the heap is back to its baseline: nothing to give back
    await sleep(60);
    assert.equal(state.collections, 1);
    release.close();
  });

  it('waits while changes keep coming', async (t) => {
    const sleep = clock(t);
    const { state, release } = fake(40);
    state.heap = 250 * MiB;
    for (let i = 0; i < 6; i++) {
      release.changed();
      await sleep(15);
    }
    assert.equal(state.collections, 0, 'no collection during the burst');
    await sleep(80);
    assert.equal(state.collections, 1, 'one after it');
    release.close();
  });

  it('does not collect for a small growth', async (t) => {
    const sleep = clock(t);
    const { state, release } = fake();
    state.heap = 120 * MiB; // 20 MiB over the baseline: under the 32 MiB threshold
    release.changed();
    await sleep(60);
    assert.equal(state.collections, 0);
    release.close();
  });

  it('does not pause a busy process, and collects once it turns idle', async (t) => {
    const sleep = clock(t);
    const { state, release } = fake();
    state.heap = 250 * MiB;
    state.busy = 0.9;
    release.changed();
    await sleep(70);
    assert.equal(state.collections, 0, 'busy: not yet');
    state.busy = 0.05;
    await sleep(50);
    assert.equal(state.collections, 1);
    release.close();
  });

  it('takes a collection V8 made by itself as the new baseline', async (t) => {
    const sleep = clock(t);
    const { state, release } = fake();
    state.heap = 60 * MiB; // below the baseline: V8 collected
    release.changed();
    await sleep(40);
    state.heap = 80 * MiB; // 20 MiB over the new baseline
    release.changed();
    await sleep(40);
    assert.equal(state.collections, 0);
    release.close();
  });

  it('runs a real full collection by default', async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const released: number[] = [];
    const release = new ChurnRelease({
      quietMs: 10,
      minGrowthBytes: 0,
      utilization: () => 0,
      onRelease: (_b, _a, ms) => released.push(ms),
    });
    release.changed();
    await sleep(60);
    assert.equal(released.length, 1);
    release.close();
  });
});

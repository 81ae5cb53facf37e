import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CpuProfile, category, summarizeProfile } from './profile-summary.ts';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

const profile: CpuProfile = {
  startTime: 1000,
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('writev') },
    {
      id: 4,
      callFrame: frame('matchRoute', `file://${new URL('..', import.meta.url).pathname}src/dataplane/http/match.ts`),
    },
  ],
  // samples at t = 1010, 1020, 1030, 1040; each owns the delta that follows it
  samples: [3, 4, 2, 3],
  timeDeltas: [10, 10, 10, 10],
};

test('self time excludes idle; percentages are of busy time', () => {
  const s = summarizeProfile(profile);
  assert.equal(s.totalMs, 0.03);
  assert.equal(s.busyMs, 0.02);
  assert.deepEqual(
    s.top.map((e) => [e.functionName, e.selfPercent]),
    [
      ['writev', 50],
      ['matchRoute', 50],
    ],
  );
  assert.equal(s.top[1]!.url, 'src/dataplane/http/match.ts:1');
  assert.deepEqual(s.byCategory, { 'native bindings (C++)': 50, 'Archway (src/)': 50 });
});

test('a window keeps only the samples taken inside it', () => {
  const s = summarizeProfile(profile, 20, { startUs: 1015, endUs: 1025 });
  assert.deepEqual(
    s.top.map((e) => e.functionName),
    ['matchRoute'],
  );
});

test('the compiled dist/ counts as Archway, like the sources', () => {
  const root = new URL('..', import.meta.url).pathname;
  assert.equal(category(frame('onRead', `file://${root}dist/dataplane/h1/upstream.js`)), 'Archway (src/)');
  assert.equal(category(frame('x', `file://${root}node_modules/undici/dist/index.js`)), 'dependencies');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeTime, mergeStatus } from './merge.ts';
import type { GatewayStatusValue } from './types.ts';

const gw = (accepted: 'True' | 'False'): GatewayStatusValue => ({
  addresses: [{ type: 'IPAddress', value: '127.0.10.1' }],
  conditions: [
    { type: 'Accepted', status: accepted, reason: accepted === 'True' ? 'Accepted' : 'Invalid', message: '' },
  ],
  listeners: [
    {
      name: 'http',
      attachedRoutes: 1,
      supportedKinds: [],
      conditions: [{ type: 'Programmed', status: 'True', reason: 'Programmed', message: '' }],
    },
  ],
});

test('observedGeneration is stamped and transition times kept while status holds', () => {
  const first = mergeStatus(undefined, gw('True'), 1, 't1') as {
    conditions: { observedGeneration: number; lastTransitionTime: string }[];
    listeners: { conditions: { lastTransitionTime: string; observedGeneration: number }[] }[];
  };
  assert.equal(first.conditions[0]?.observedGeneration, 1);
  assert.equal(first.conditions[0]?.lastTransitionTime, 't1');
  const second = mergeStatus(first, gw('True'), 2, 't2') as typeof first;
  assert.equal(second.conditions[0]?.observedGeneration, 2);
  assert.equal(second.conditions[0]?.lastTransitionTime, 't1', 'unchanged status keeps its transition time');
  assert.equal(second.listeners[0]?.conditions[0]?.lastTransitionTime, 't1');
  assert.equal(second.listeners[0]?.conditions[0]?.observedGeneration, 2);
  const third = mergeStatus(second, gw('False'), 3, 't3') as typeof first;
  assert.equal(third.conditions[0]?.lastTransitionTime, 't3', 'a flip moves the transition time');
});

test('kubeTime is RFC 3339 with seconds precision', () => {
  assert.equal(kubeTime(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05Z');
});

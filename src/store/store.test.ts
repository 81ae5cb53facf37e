import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.ts';
import { Store } from './store.ts';

const route = (spec: unknown, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'default', labels },
  spec,
});

test('generation starts at 1 and bumps only when the spec changes', () => {
  let t = 0;
  const store = new Store({ now: () => new Date(1_700_000_000_000 + t++ * 1000) });
  assert.equal(store.upsert(route({ hostnames: ['a'] })), true);
  const first = store.get('HTTPRoute/default/r');
  assert.equal(first?.metadata.generation, 1);
  assert.equal(store.upsert(route({ hostnames: ['a'] })), false, 'identical upsert is not a change');
  assert.equal(store.upsert(route({ hostnames: ['a'] }, { team: 'x' })), true, 'label change is a change');
  assert.equal(store.get('HTTPRoute/default/r')?.metadata.generation, 1, 'labels do not bump generation');
  store.upsert(route({ hostnames: ['b'] }));
  const third = store.get('HTTPRoute/default/r');
  assert.equal(third?.metadata.generation, 2);
  assert.equal(third?.metadata.creationTimestamp, first?.metadata.creationTimestamp, 'creation time is kept');
  assert.equal(third?.metadata.uid, first?.metadata.uid, 'uid is kept');
});

test('status and server-managed fields in the input are ignored', () => {
  const store = new Store();
  store.upsert({ ...route({}), metadata: { name: 'r', namespace: 'default', generation: 42 }, status: { x: 1 } });
  const obj = store.get('HTTPRoute/default/r');
  assert.equal(obj?.metadata.generation, 1);
  assert.equal(obj?.status, undefined);
});

test('snapshots are sorted, frozen, and rebuilt only after a change', () => {
  const store = new Store();
  for (const name of ['b', 'a']) store.upsert({ ...route({}), metadata: { name, namespace: 'ns' } });
  store.upsert({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' } });
  store.upsert({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: { name: 'g', namespace: 'ns' },
  });
  const snap = store.snapshot();
  assert.deepEqual(
    snap.httpRoutes.map((r) => r.metadata.name),
    ['a', 'b'],
  );
  assert.equal(snap.other.GRPCRoute?.length, 1);
  assert.equal(snap.other.Deployment, undefined, 'unknown kinds are not stored');
  assert.ok(Object.isFrozen(snap.httpRoutes[0]));
  assert.equal(store.snapshot(), snap);
  store.delete('HTTPRoute/ns/a');
  assert.notEqual(store.snapshot(), snap);
  assert.equal(store.snapshot().httpRoutes.length, 1);
});

test('onChange fires once per change', () => {
  const store = new Store();
  let n = 0;
  store.onChange(() => n++);
  store.upsert(route({}));
  store.upsert(route({}));
  store.delete('HTTPRoute/default/r');
  store.delete('HTTPRoute/default/r');
  assert.equal(n, 2);
});

test('stored objects share equal parts, keep one metadata shape and get version 4 uids', () => {
  const store = new Store({ now: () => new Date(1_700_000_000_000) });
  const spec = () => ({ parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] });
  for (const name of ['a', 'b']) store.upsert({ ...route(spec()), metadata: { name, namespace: 'ns' } });
  const a = store.get('HTTPRoute/ns/a');
  const b = store.get('HTTPRoute/ns/b');
  assert.deepEqual(a?.spec, spec());
  assert.equal(a?.spec, b?.spec, 'equal specs are one object');
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a?.metadata));
  assert.deepEqual(Object.keys(a?.metadata ?? {}), [
    'name',
    'namespace',
    'generation',
    'creationTimestamp',
    'uid',
    'resourceVersion',
  ]);
  assert.equal(a?.metadata.creationTimestamp, '2023-11-14T22:13:20.000Z');
  assert.match(a?.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a?.metadata.uid, b?.metadata.uid);
});

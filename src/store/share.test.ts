import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sharer } from './share.ts';

test('equal subtrees become one frozen object; different ones stay apart', () => {
  const sharer = new Sharer();
  const a = sharer.share({ parentRefs: [{ name: 'gw' }], rules: [{ path: { type: 'PathPrefix', value: '/' } }] });
  const b = sharer.share({ parentRefs: [{ name: 'gw' }], rules: [{ path: { type: 'PathPrefix', value: '/x' } }] });
  assert.equal(a.parentRefs, b.parentRefs);
  assert.notEqual(a.rules, b.rules);
  assert.deepEqual(b.rules, [{ path: { type: 'PathPrefix', value: '/x' } }]);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.rules[0]?.path));
});

test('equality is exact: key order, types, -0, arrays vs objects, prototypes', () => {
  const sharer = new Sharer();
  const pairs: [unknown, unknown][] = [
    [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ],
    [{ a: 1 }, { a: '1' }],
    [{ a: 0 }, { a: -0 }],
    [['a'], { 0: 'a' }],
    [{ a: null }, { a: undefined }],
    [
      { a: 'x', b: 'y' },
      { a: 'x,b', b: 'y' },
    ],
    [{ a: true }, { a: 'true' }],
    [{ k: 1 }, Object.assign(Object.create(null), { k: 1 })],
  ];
  for (const [x, y] of pairs) {
    const sx = sharer.share({ v: x });
    const sy = sharer.share({ v: y });
    assert.notEqual(sx.v, sy.v, JSON.stringify([x, y]));
    assert.equal(Object.getPrototypeOf(sy.v), Object.getPrototypeOf(y));
  }
});

test('a frozen input is copied when a child is replaced, never changed', () => {
  const sharer = new Sharer();
  const first = sharer.share({ ref: { name: 'gw' } });
  const frozen = Object.freeze({ ref: { name: 'gw' }, n: 1 });
  const shared = sharer.share(frozen);
  assert.equal(shared.ref, first.ref);
  assert.notEqual(shared, frozen);
  assert.notEqual(frozen.ref, first.ref);
  assert.deepEqual(shared, frozen);
});

test('within() shares children but not the node itself; non-plain objects are frozen, not shared', () => {
  const sharer = new Sharer();
  const a = sharer.within({ uid: '1', spec: { x: [1] }, meta: Object.freeze({ u: 1 }) }, 'meta');
  const b = sharer.within({ uid: '2', spec: { x: [1] }, when: new Date(0) });
  assert.equal(a.spec, b.spec);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(b.when));
});

test('the table is bounded: entries seen often survive, others are dropped without harm', () => {
  const sharer = new Sharer(4);
  const hot = sharer.share({ name: 'gw' });
  for (let i = 0; i < 100; i++) {
    assert.equal(sharer.share({ name: 'gw' }), hot);
    sharer.share({ name: `unique-${i}` });
  }
  const cold = sharer.share({ name: 'unique-0' });
  assert.deepEqual(cold, { name: 'unique-0' });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpFilterIR } from '../../ir/types.ts';
import { backend, match, route } from '../testing/ir.ts';
import { ClusterRuntime } from '../upstream/clusters.ts';
import { compileRoute } from './compile.ts';
import { EMPTY_PLAN } from './plan.ts';
import { NONE, Shared } from './shared.ts';

const addHeader: HttpFilterIR = {
  kind: 'requestHeaders',
  set: [],
  add: [{ name: 'x-a', value: '1' }],
  remove: [],
};

function context() {
  const a = new ClusterRuntime('a', 'http1', []);
  const b = new ClusterRuntime('b', 'http1', []);
  return {
    clusters: new Map([
      ['a', a],
      ['b', b],
    ]),
    hostCacheSize: 16,
    a,
    b,
  };
}

describe('compiled routes share their identical parts', () => {
  it('routes to the same cluster share one backend list; empty lists are the shared NONE', () => {
    const ctx = context();
    const r1 = compileRoute(route('r1', { hostnames: ['x.example'], backends: [backend('a')] }), ctx);
    const r2 = compileRoute(route('r2', { hostnames: ['y.example'], backends: [backend('a')] }), ctx);
    assert.equal(r1.backends, r2.backends);
    assert.equal(r1.backends[0]!.cluster, ctx.a);
    assert.equal(r1.backends[0]!.plan, EMPTY_PLAN);
    assert.equal(r1.cumulativeWeights, r2.cumulativeWeights);
    assert.equal(r1.headers, NONE);
    assert.equal(r1.query, NONE);
    assert.ok(Object.isFrozen(r1.backends) && Object.isFrozen(r1.backends[0]));
    const r3 = compileRoute(route('r3', { backends: [backend('b')] }), ctx);
    assert.notEqual(r3.backends, r1.backends);
    assert.equal(r3.backends[0]!.cluster, ctx.b);
    assert.equal(r3.hostnames, NONE);
  });

  it('identical filters share one plan; identical header matches share one matcher list', () => {
    const ctx = context();
    const headers = (v: string) => match({ headers: [{ name: 'X-Tenant', type: 'Exact', value: v }] });
    const r1 = compileRoute(route('r1', { match: headers('t1'), filters: [addHeader], backends: [backend('a')] }), ctx);
    const r2 = compileRoute(
      route('r2', { match: headers('t1'), filters: [{ ...addHeader }], backends: [backend('a')] }),
      ctx,
    );
    const r3 = compileRoute(route('r3', { match: headers('t2'), filters: [addHeader], backends: [backend('a')] }), ctx);
    assert.equal(r1.backends[0]!.plan, r2.backends[0]!.plan);
    assert.deepEqual(r1.backends[0]!.plan.requestHeaders, [
      { set: [], add: [{ name: 'x-a', value: '1' }], remove: [] },
    ]);
    assert.equal(r1.headers, r2.headers);
    assert.deepEqual(r1.headers, [{ name: 'x-tenant', exact: 't1', regex: null }]);
    assert.notEqual(r3.headers, r1.headers);
    assert.equal(r3.headers[0]!.exact, 't2');
  });

  it('hostnames: the IR list when already lower-case, else a lower-cased copy', () => {
    const ctx = context();
    const lower = ['a.example', '*.b.example'];
    assert.equal(compileRoute(route('r', { hostnames: lower, backends: [backend('a')] }), ctx).hostnames, lower);
    assert.deepEqual(compileRoute(route('r', { hostnames: ['A.Example'], backends: [backend('a')] }), ctx).hostnames, [
      'a.example',
    ]);
  });

  it('routes compiled against another clusters map share nothing with the first (their runtimes differ)', () => {
    const one = context();
    const two = context();
    const r1 = compileRoute(route('r', { backends: [backend('a')] }), one);
    const r2 = compileRoute(route('r', { backends: [backend('a')] }), two);
    assert.notEqual(r1.backends, r2.backends);
    assert.equal(r2.backends[0]!.cluster, two.a);
  });

  it('multi-backend routes keep their own weights and backends, in order', () => {
    const ctx = context();
    const r = compileRoute(route('r', { backends: [backend('a', 3), backend('b', 1), backend(null, 2)] }), ctx);
    assert.deepEqual(r.cumulativeWeights, [3, 4, 6]);
    assert.deepEqual(
      r.backends.map((b) => [b.clusterName, b.cluster?.name ?? null]),
      [
        ['a', 'a'],
        ['b', 'b'],
        ['', null],
      ],
    );
  });

  it('the tables empty themselves when full and keep answering equal values', () => {
    const s = new Shared();
    const first = s.numbers([1]);
    for (let i = 0; i < 60_000; i++) s.numbers([i + 2]);
    const again = s.numbers([1]);
    assert.deepEqual(again, [1]);
    assert.notEqual(again, first, 'emptied: built anew');
    assert.equal(s.numbers([1]), again);
  });
});

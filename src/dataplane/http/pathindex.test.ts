import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpMatchIR } from '../../ir/types.ts';
import { match, route } from '../testing/ir.ts';
import { compileRoute } from './compile.ts';
import type { RequestView } from './conditions.ts';
import { INDEX_THRESHOLD, RouteGroup } from './pathindex.ts';

const ctx = { clusters: new Map(), hostCacheSize: 4 };

const exact = (value: string) => ({ type: 'Exact' as const, value });
const prefix = (value: string) => ({ type: 'PathPrefix' as const, value });

/** A group of the given routes (in this order), padded with unrelated ones so that it is indexed. */
function group(...routes: [name: string, m: Partial<HttpMatchIR>][]): RouteGroup {
  const compiled = routes.map(([name, m]) => compileRoute(route(name, { match: match(m) }), ctx));
  for (let i = 0; compiled.length <= INDEX_THRESHOLD; i++) {
    compiled.push(compileRoute(route(`filler-${i}`, { match: match({ path: exact(`/filler/${i}`) }) }), ctx));
  }
  return new RouteGroup(compiled);
}

function view(path: string, headers: string[] = []): RequestView {
  return { method: 'GET', path, rawHeaders: headers, queryParam: () => undefined };
}

const name = (g: RouteGroup, req: RequestView) => g.match(req)?.name ?? null;

describe('RouteGroup path index', () => {
  it('PathPrefix matches on segment boundaries only', () => {
    const g = group(['app-1', { path: prefix('/apps/app-1') }], ['app-10', { path: prefix('/apps/app-10/') }]);
    assert.equal(name(g, view('/apps/app-1')), 'app-1');
    assert.equal(name(g, view('/apps/app-1/x')), 'app-1');
    assert.equal(name(g, view('/apps/app-10/x')), 'app-10');
    assert.equal(name(g, view('/apps/app-10')), 'app-10');
    assert.equal(name(g, view('/apps/app-100')), null);
    assert.equal(name(g, view('/apps/app-')), null);
  });
  it('the order of the group decides, not the length of the prefix', () => {
    const g = group(['short', { path: prefix('/a') }], ['long', { path: prefix('/a/b') }]);
    assert.equal(name(g, view('/a/b/c')), 'short');
    const h = group(['long', { path: prefix('/a/b') }], ['short', { path: prefix('/a') }]);
    assert.equal(name(h, view('/a/b/c')), 'long');
    assert.equal(name(h, view('/a/c')), 'short');
  });
  it('an Exact path and a PathPrefix ending at the same place: the earlier wins', () => {
    const g = group(['prefix', { path: prefix('/x') }], ['exact', { path: exact('/x') }]);
    assert.equal(name(g, view('/x')), 'prefix');
    const h = group(['exact', { path: exact('/x') }], ['prefix', { path: prefix('/x') }]);
    assert.equal(name(h, view('/x')), 'exact');
    assert.equal(name(h, view('/x/')), 'prefix');
  });
  it('a route whose conditions fail hands over to the next one in order', () => {
    const hdr = [{ type: 'Exact' as const, name: 'x-user', value: 'u1' }];
    const g = group(['deep', { path: prefix('/a/b'), headers: hdr }], ['any', { path: prefix('/') }]);
    assert.equal(name(g, view('/a/b', ['X-User', 'u1'])), 'deep');
    assert.equal(name(g, view('/a/b', ['X-User', 'u2'])), 'any');
  });
  it('regex and "/" routes keep their place in the order', () => {
    const g = group(
      ['regex', { path: { type: 'RegularExpression', value: '/r/[0-9]+' } }],
      ['any', { path: prefix('/') }],
      ['prefix', { path: prefix('/r') }],
    );
    assert.equal(name(g, view('/r/42')), 'regex');
    assert.equal(name(g, view('/r/x')), 'any');
    assert.equal(name(g, view('/elsewhere')), 'any');
  });
  it('edges split and shared prefixes still resolve', () => {
    const g = group(
      ['abc', { path: exact('/abc') }],
      ['abd', { path: exact('/abd') }],
      ['ab', { path: prefix('/ab') }],
      ['a', { path: exact('/a') }],
    );
    assert.equal(name(g, view('/abc')), 'abc');
    assert.equal(name(g, view('/abd')), 'abd');
    assert.equal(name(g, view('/ab/c')), 'ab');
    assert.equal(name(g, view('/a')), 'a');
    assert.equal(name(g, view('/abe')), null);
    assert.equal(name(g, view('/')), null);
  });
});

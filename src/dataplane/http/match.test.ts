import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRouteIR, VirtualHostIR } from '../../ir/types.ts';
import { match, route, vhost } from '../testing/ir.ts';
import { compileListener, compileRoute } from './compile.ts';
import { matchRoute, parseQuery, type RequestView, selectVhost } from './match.ts';

const ctx = { clusters: new Map(), hostCacheSize: 4 };

function view(path: string, opts: { method?: string; headers?: string[]; query?: string } = {}): RequestView {
  const q = parseQuery(opts.query ?? '');
  return { method: opts.method ?? 'GET', path, rawHeaders: opts.headers ?? [], queryParam: (n) => q.get(n) };
}

function table(vhosts: VirtualHostIR[]) {
  return compileListener(
    { kind: 'http', name: 'l', address: '127.0.0.1', port: 80, protocol: 'http', virtualHosts: vhosts },
    ctx,
  );
}

/** Route name chosen for a request to `host` + `path` on a listener with `routes` in one catch-all vhost. */
function pick(routes: HttpRouteIR[], host: string, req: RequestView): string | null {
  const t = table([vhost('v', null, routes)]);
  const v = selectVhost(t, host);
  return v === null ? null : (matchRoute(v.routes.candidates(host), req)?.name ?? null);
}

describe('path matching', () => {
  const exact = route('exact', { match: match({ path: { type: 'Exact', value: '/foo' } }) });
  const prefix = route('prefix', { match: match({ path: { type: 'PathPrefix', value: '/foo' } }) });
  const slashPrefix = route('slashprefix', { match: match({ path: { type: 'PathPrefix', value: '/bar/' } }) });
  const regex = route('regex', { match: match({ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } }) });

  it('Exact matches only the exact path', () => {
    assert.equal(pick([exact], 'h', view('/foo')), 'exact');
    assert.equal(pick([exact], 'h', view('/foo/')), null);
    assert.equal(pick([exact], 'h', view('/foobar')), null);
  });
  it('PathPrefix matches on segment boundaries', () => {
    assert.equal(pick([prefix], 'h', view('/foo')), 'prefix');
    assert.equal(pick([prefix], 'h', view('/foo/')), 'prefix');
    assert.equal(pick([prefix], 'h', view('/foo/x/y')), 'prefix');
    assert.equal(pick([prefix], 'h', view('/foobar')), null);
    assert.equal(pick([prefix], 'h', view('/fo')), null);
  });
  it('PathPrefix with a trailing slash behaves like without', () => {
    assert.equal(pick([slashPrefix], 'h', view('/bar')), 'slashprefix');
    assert.equal(pick([slashPrefix], 'h', view('/bar/x')), 'slashprefix');
    assert.equal(pick([slashPrefix], 'h', view('/barx')), null);
  });
  it('RegularExpression is a full match', () => {
    assert.equal(pick([regex], 'h', view('/v1/x')), 'regex');
    assert.equal(pick([regex], 'h', view('/api/v1/x')), null);
    assert.equal(pick([regex], 'h', view('/vx/x')), null);
  });
  it('a regex the linear engine rejects drops that route only, with a warning', () => {
    const bad = route('bad', { match: match({ path: { type: 'RegularExpression', value: '/(a)\\1' } }) });
    const t = table([vhost('v', null, [bad, prefix])]);
    assert.equal(t.warnings.length, 1);
    assert.match(t.warnings[0]!, /bad/);
    assert.equal(matchRoute(t.catchAll!.routes.candidates('h'), view('/aa'))?.name ?? null, null);
    assert.equal(matchRoute(t.catchAll!.routes.candidates('h'), view('/foo'))?.name, 'prefix');
  });
});

describe('method, header and query matching', () => {
  it('method', () => {
    const r = route('post', { match: match({ method: 'POST' }) });
    assert.equal(pick([r], 'h', view('/', { method: 'POST' })), 'post');
    assert.equal(pick([r], 'h', view('/', { method: 'GET' })), null);
  });
  it('headers: case-insensitive names, exact values, repeated fields joined by ","', () => {
    const r = route('hdr', { match: match({ headers: [{ type: 'Exact', name: 'version', value: 'one,two' }] }) });
    assert.equal(pick([r], 'h', view('/', { headers: ['Version', 'one', 'VERSION', 'two'] })), 'hdr');
    assert.equal(pick([r], 'h', view('/', { headers: ['Version', 'one'] })), null);
    assert.equal(pick([r], 'h', view('/')), null);
  });
  it('headers: regular expression, full match', () => {
    const r = route('hdr', {
      match: match({ headers: [{ type: 'RegularExpression', name: 'x-v', value: 'v[0-9]' }] }),
    });
    assert.equal(pick([r], 'h', view('/', { headers: ['X-V', 'v7'] })), 'hdr');
    assert.equal(pick([r], 'h', view('/', { headers: ['X-V', 'v77'] })), null);
  });
  it('headers: only the first entry of an equivalent name counts', () => {
    const r = route('hdr', {
      match: match({
        headers: [
          { type: 'Exact', name: 'x-a', value: '1' },
          { type: 'Exact', name: 'X-A', value: '2' },
        ],
      }),
    });
    assert.equal(pick([r], 'h', view('/', { headers: ['x-a', '1'] })), 'hdr');
  });
  it('query params: exact name, exact / regex value, first value wins, decoded', () => {
    const r = route('q', { match: match({ queryParams: [{ type: 'Exact', name: 'animal', value: 'whale' }] }) });
    const rx = route('qx', {
      match: match({ queryParams: [{ type: 'RegularExpression', name: 'n', value: '[0-9]+' }] }),
    });
    assert.equal(pick([r], 'h', view('/', { query: '?animal=whale' })), 'q');
    assert.equal(pick([r], 'h', view('/', { query: '?animal=wh%61le' })), 'q');
    assert.equal(pick([r], 'h', view('/', { query: '?animal=whale&animal=dolphin' })), 'q');
    assert.equal(pick([r], 'h', view('/', { query: '?animal=dolphin&animal=whale' })), null);
    assert.equal(pick([r], 'h', view('/', { query: '?ANIMAL=whale' })), null);
    assert.equal(pick([rx], 'h', view('/', { query: '?n=42' })), 'qx');
    assert.equal(pick([rx], 'h', view('/', { query: '?n=4x' })), null);
  });
});

describe('precedence', () => {
  it('the IR order decides among routes of the same hostname group', () => {
    const a = route('a', { match: match({ path: { type: 'Exact', value: '/x' } }) });
    const b = route('b', { match: match({ path: { type: 'PathPrefix', value: '/' } }) });
    assert.equal(pick([a, b], 'h', view('/x')), 'a');
    assert.equal(pick([b, a], 'h', view('/x')), 'b');
  });
  it('hostname specificity: exact > longer wildcard > shorter wildcard > no hostnames', () => {
    const none = route('none');
    const shortW = route('short', { hostnames: ['*.com'] });
    const longW = route('long', { hostnames: ['*.example.com'] });
    const exact = route('exact', { hostnames: ['foo.example.com'] });
    const routes = [none, shortW, longW, exact];
    assert.equal(pick(routes, 'foo.example.com', view('/')), 'exact');
    assert.equal(pick(routes, 'bar.example.com', view('/')), 'long');
    assert.equal(pick(routes, 'bar.other.com', view('/')), 'short');
    assert.equal(pick(routes, 'localhost', view('/')), 'none');
  });
  it('a less specific hostname group is consulted when the specific one has no matching rule', () => {
    const exact = route('exact', {
      hostnames: ['a.example.com'],
      match: match({ path: { type: 'Exact', value: '/only' } }),
    });
    const wild = route('wild', { hostnames: ['*.example.com'] });
    assert.equal(pick([exact, wild], 'a.example.com', view('/only')), 'exact');
    assert.equal(pick([exact, wild], 'a.example.com', view('/other')), 'wild');
  });
  it('a route whose hostnames do not match the Host is not a candidate', () => {
    const r = route('r', { hostnames: ['a.example.com'] });
    assert.equal(pick([r], 'b.example.com', view('/')), null);
    assert.equal(pick([r], 'example.com', view('/')), null);
  });
  it('the candidate cache for unseen Host values is bounded', () => {
    const t = table([vhost('v', null, [route('r', { hostnames: ['*.example.com'] })])]);
    for (let i = 0; i < 20; i++) t.catchAll!.routes.candidates(`h${i}.example.com`);
    assert.equal(t.catchAll!.routes.cachedHosts, 4);
  });
});

describe('virtual host selection', () => {
  const t = table([
    vhost('exact', 'foo.example.com', []),
    vhost('short', '*.com', []),
    vhost('long', '*.example.com', []),
    vhost('any', null, []),
  ]);
  it('exact, then the longest wildcard, then the catch-all', () => {
    assert.equal(selectVhost(t, 'foo.example.com')?.name, 'exact');
    assert.equal(selectVhost(t, 'bar.example.com')?.name, 'long');
    assert.equal(selectVhost(t, 'a.b.example.com')?.name, 'long');
    assert.equal(selectVhost(t, 'x.com')?.name, 'short');
    assert.equal(selectVhost(t, 'example.org')?.name, 'any');
  });
  it('a wildcard does not match its own suffix', () => {
    const only = table([vhost('w', '*.example.com', [])]);
    assert.equal(selectVhost(only, 'example.com'), null);
  });
});

describe('weights', () => {
  it('cumulative weights and total, zero weights counted as nothing', () => {
    const r = compileRoute(
      route('w', {
        backends: [
          { cluster: 'a', weight: 3, filters: [] },
          { cluster: 'b', weight: 0, filters: [] },
          { cluster: null, weight: 1, filters: [] },
        ],
      }),
      ctx,
    );
    assert.deepEqual(r.cumulativeWeights, [3, 3, 4]);
    assert.equal(r.totalWeight, 4);
    assert.equal(r.backends[0]!.cluster, null, 'unknown cluster name compiles to an invalid backend');
  });
});

/**
 * Differential test of the route lookup: the indexed matcher (hosts.ts groups + pathindex.ts trees, reached through
 * compileListener / selectVhost / matchRoute) against the plain reference the IR semantics describe — rank every route
 * by its best matching hostname, stable-sort, scan linearly — on seeded random route sets and requests. Also checks
 * that an index derived with HostIndex.next answers like the reference on the changed route list.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRouteIR, ValueMatchIR } from '../../ir/types.ts';
import { diffLists } from '../../lib/listdiff.ts';
import { mulberry32 } from '../../lib/prng.ts';
import { match, route, vhost } from '../testing/ir.ts';
import { compileListener, compileRoute } from './compile.ts';
import { firstMatch, type RequestView } from './conditions.ts';
import { HostIndex } from './hosts.ts';
import { matchRoute, selectVhost } from './match.ts';
import { INDEX_THRESHOLD } from './pathindex.ts';
import type { CompiledRoute } from './table.ts';

const rng = mulberry32;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const ROUTE_HOSTS = ['a.example.com', 'b.example.com', 'x.a.example.com', 'example.com', 'a.example.org'];
const WILDCARDS = ['*.example.com', '*.a.example.com', '*.com', '*.org', '*'];
const REQUEST_HOSTS = [...ROUTE_HOSTS, 'c.example.com', 'y.x.a.example.com', 'other.net', 'com', 'b.example.org'];
const SEGMENTS = ['a', 'b', 'ab', 'c', ''];
const REGEXES = ['/a/.*', '/[ab]+', '/.*/c', '/b(/.*)?'];
const HEADER_MATCHES: ValueMatchIR[] = [
  { type: 'Exact', name: 'x-a', value: '1' },
  { type: 'Exact', name: 'X-A', value: '2' },
  { type: 'RegularExpression', name: 'x-b', value: '[12]' },
];
const HEADERS = [
  ['x-a', '1'],
  ['X-A', '2'],
  ['x-b', '2'],
];

function randomPath(r: Rand): string {
  const n = 1 + Math.floor(r() * 3);
  const segs: string[] = [];
  for (let i = 0; i < n; i++) segs.push(pick(r, SEGMENTS));
  return `/${segs.join('/')}`;
}

function randomRoute(r: Rand, name: string): HttpRouteIR {
  const hostnames: string[] = [];
  const count = r() < 0.3 ? 0 : 1 + Math.floor(r() * 2);
  for (let i = 0; i < count; i++) hostnames.push(r() < 0.5 ? pick(r, ROUTE_HOSTS) : pick(r, WILDCARDS));
  const k = r();
  const path =
    k < 0.35
      ? { type: 'Exact' as const, value: randomPath(r) }
      : k < 0.85
        ? { type: 'PathPrefix' as const, value: r() < 0.15 ? '/' : `${randomPath(r)}${r() < 0.2 ? '/' : ''}` }
        : { type: 'RegularExpression' as const, value: pick(r, REGEXES) };
  const headers = HEADER_MATCHES.filter(() => r() < 0.2);
  const queryParams: ValueMatchIR[] = r() < 0.15 ? [{ type: 'Exact', name: 'q', value: '1' }] : [];
  const method = r() < 0.2 ? pick(r, ['GET', 'POST']) : null;
  return route(name, { hostnames, match: match({ path, method, headers, queryParams }) });
}

function randomRequest(r: Rand): { host: string; req: RequestView } {
  const rawHeaders = HEADERS.filter(() => r() < 0.4).flat();
  const q = r() < 0.3 ? '1' : undefined;
  const req = {
    method: r() < 0.7 ? 'GET' : 'POST',
    path: r() < 0.1 ? `${randomPath(r)}/` : randomPath(r),
    rawHeaders,
    queryParam: (name: string) => (name === 'q' ? q : undefined),
  };
  return { host: pick(r, REQUEST_HOSTS), req };
}

/** Hostname rank as the IR documents it: exact, longest wildcard suffix, 0 without hostnames, -1 no match. */
function rank(hostnames: readonly string[], host: string): number {
  if (hostnames.length === 0) return 0;
  let best = -1;
  for (const h of hostnames) {
    if (h === host) return Number.MAX_SAFE_INTEGER;
    if (h.startsWith('*')) {
      const suffix = h.slice(1);
      if (host.length > suffix.length && host.endsWith(suffix)) best = Math.max(best, suffix.length);
    }
  }
  return best;
}

/** The reference: every route ranked for the Host, stable-sorted, scanned linearly. */
function reference(routes: readonly CompiledRoute[], host: string, req: RequestView): string | null {
  const ranked = routes
    .map((r, i) => ({ r, i, rank: rank(r.hostnames, host) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => b.rank - a.rank || a.i - b.i);
  return (
    firstMatch(
      ranked.map((x) => x.r),
      req,
    )?.name ?? null
  );
}

const ctx = { clusters: new Map(), hostCacheSize: 4 };
const SETS = 250;
const REQUESTS = 60;

describe('indexed route lookup = linear reference', () => {
  it('on random route sets and requests (seeded)', () => {
    let matched = 0;
    let unmatched = 0;
    let largeGroups = 0;
    for (let seed = 1; seed <= SETS; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * 120);
      const irs = Array.from({ length: n }, (_, i) => randomRoute(r, `r${i}`));
      const table = compileListener(
        {
          kind: 'http',
          name: 'l',
          address: '127.0.0.1',
          port: 80,
          protocol: 'http',
          virtualHosts: [vhost('v', null, irs)],
        },
        ctx,
      );
      const compiled = irs.map((ir) => compileRoute(ir, ctx));
      if (n > 4 * INDEX_THRESHOLD) largeGroups++;
      for (let q = 0; q < REQUESTS; q++) {
        const { host, req } = randomRequest(r);
        const vh = selectVhost(table, host);
        const got = vh === null ? null : (matchRoute(vh.routes.candidates(host), req)?.name ?? null);
        const want = reference(compiled, host, req);
        assert.equal(got, want, `seed ${seed}, request ${q}: ${host} ${req.method} ${req.path} ${req.rawHeaders}`);
        if (want === null) unmatched++;
        else matched++;
      }
    }
    // The generator must exercise both outcomes and groups big enough to be indexed.
    assert.ok(matched > SETS * REQUESTS * 0.3, `matched ${matched}`);
    assert.ok(unmatched > SETS * REQUESTS * 0.05, `unmatched ${unmatched}`);
    assert.ok(largeGroups > SETS / 4, `large sets ${largeGroups}`);
  });

  it('after HostIndex.next, derived again and again (routes removed and added, the kept ones in order)', () => {
    for (let seed = 1; seed <= SETS / 2; seed++) {
      const r = rng(seed * 7919);
      const n = 1 + Math.floor(r() * 100);
      let id = 0;
      let before = Array.from({ length: n }, () => compileRoute(randomRoute(r, `r${id++}`), ctx));
      let index = new HostIndex(before, 4);
      // Three derivations in a row: group ids carried from index to index must stay right.
      for (let step = 0; step < 3; step++) {
        const removed = before.filter(() => r() < 0.2);
        const after: CompiledRoute[] = [];
        const added: CompiledRoute[] = [];
        for (const old of before) {
          while (r() < 0.1) {
            const fresh = compileRoute(randomRoute(r, `r${id++}`), ctx);
            added.push(fresh);
            after.push(fresh);
          }
          if (!removed.includes(old)) after.push(old);
        }
        for (let q = 0; q < 10; q++) index.candidates(randomRequest(r).host); // warm caches that must not leak
        index = index.next(after, diffLists(before, after).from, removed, added, 4);
        before = after;
        for (let q = 0; q < REQUESTS / 3; q++) {
          const { host, req } = randomRequest(r);
          const got = matchRoute(index.candidates(host), req)?.name ?? null;
          assert.equal(
            got,
            reference(after, host, req),
            `seed ${seed}, step ${step}, request ${q}: ${host} ${req.path}`,
          );
        }
      }
    }
  });
});

/**
 * The translate cache gives the same results as no cache: random edit sequences over Gateways, listeners, routes,
 * Services, EndpointSlices, ReferenceGrants and Namespaces, each snapshot translated with the cache and without, the
 * IR and statuses compared deep-equal (status order included). Also: what did not change keeps its identity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/types.ts';
import type { HttpRouteIR, IR } from '../ir/types.ts';
import { mulberry32 } from '../lib/prng.ts';
import { Store } from '../store/store.ts';
import type { TranslateCache } from './memo.ts';
import { StatusMap } from './statusmap.ts';
import { translate } from './translate.ts';
import type { TranslateOptions } from './types.ts';

const GW = 'gateway.networking.k8s.io/v1';
const CONTROLLER = 'archway.dev/gateway-controller';

/** Deterministic integers in [0, n). */
function random(seed: number): (n: number) => number {
  const next = mulberry32(seed);
  return (n) => Math.floor(next() * n);
}

const obj = (apiVersion: string, kind: string, namespace: string | undefined, name: string, rest: object) =>
  ({ apiVersion, kind, metadata: { name, ...(namespace && { namespace }) }, ...rest }) as KubeObject;

const NAMESPACES = ['a', 'b', 'c'];
const HOSTS = ['x.example.com', 'y.example.com', '*.example.com', 'z.other.org'];

function gateway(r: (n: number) => number, name: string): KubeObject {
  const listeners = [
    { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
    {
      name: 'web',
      protocol: 'HTTP',
      port: 8080,
      hostname: HOSTS[r(HOSTS.length)],
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'web' } } } },
    },
  ];
  if (r(3) === 0)
    listeners.push({
      name: 'same',
      protocol: 'HTTP',
      port: 8080,
      allowedRoutes: { namespaces: { from: 'Same' } },
    } as never);
  const addresses = r(4) === 0 ? [{ value: r(2) === 0 ? '127.0.0.9' : '127.0.0.1' }] : undefined;
  return obj(GW, 'Gateway', 'a', name, {
    spec: { gatewayClassName: 'archway', listeners, ...(addresses && { addresses }) },
  });
}

function route(r: (n: number) => number, name: string): KubeObject {
  const ns = NAMESPACES[r(NAMESPACES.length)] as string;
  const parents = [{ name: r(4) === 0 ? 'gw2' : 'gw1', namespace: 'a', ...(r(3) === 0 && { sectionName: 'web' }) }];
  if (r(4) === 0) parents.push({ name: 'gw2', namespace: 'a' });
  const hostnames =
    r(3) === 0 ? [] : [HOSTS[r(HOSTS.length)] as string, ...(r(2) === 0 ? [HOSTS[r(HOSTS.length)] as string] : [])];
  const rules = Array.from({ length: 1 + r(2) }, (_, i) => ({
    matches: [
      {
        path: { type: r(2) === 0 ? 'Exact' : 'PathPrefix', value: `/p${r(5)}/${i}` },
        ...(r(3) === 0 && { method: 'GET' }),
      },
    ],
    backendRefs: [
      { name: `svc${r(3)}`, port: r(5) === 0 ? 81 : 80, ...(r(4) === 0 && { namespace: NAMESPACES[r(3)] }) },
    ],
    ...(r(5) === 0 && {
      filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: `svc${r(3)}`, port: 80 } } }],
    }),
  }));
  return obj(GW, 'HTTPRoute', ns, name, { spec: { parentRefs: parents, hostnames: [...new Set(hostnames)], rules } });
}

function service(ns: string, name: string, ports: number[]): KubeObject {
  return obj('v1', 'Service', ns, name, { spec: { ports: ports.map((port) => ({ name: `p${port}`, port })) } });
}

function slice(r: (n: number) => number, ns: string, svc: string): KubeObject {
  const endpoints = Array.from({ length: r(3) }, () => ({ addresses: [`10.0.${r(4)}.${r(9)}`] }));
  return obj('discovery.k8s.io/v1', 'EndpointSlice', ns, `${svc}-1`, {
    metadata: { name: `${svc}-1`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints,
    ports: [
      { name: 'p80', port: 8000 + r(3) },
      { name: 'p81', port: 9000 },
    ],
  });
}

function grant(r: (n: number) => number, ns: string): KubeObject {
  return obj(GW, 'ReferenceGrant', ns, 'grant', {
    spec: {
      from: [{ group: GW.split('/')[0], kind: 'HTTPRoute', namespace: NAMESPACES[r(3)] }],
      to: [{ group: '', kind: 'Service', ...(r(2) === 0 && { name: `svc${r(3)}` }) }],
    },
  });
}

function namespace(r: (n: number) => number, name: string): KubeObject {
  return obj('v1', 'Namespace', undefined, name, { metadata: { name, labels: r(2) === 0 ? { team: 'web' } : {} } });
}

/** One random edit: upserts and deletes on the store. */
function edit(r: (n: number) => number, store: Store, step: number): void {
  const ns = NAMESPACES[r(NAMESPACES.length)] as string;
  switch (r(10)) {
    case 0:
    case 1:
    case 2:
      store.upsert(route(r, `r${r(30)}`));
      return;
    case 3: {
      const routes = store.list('HTTPRoute');
      const victim = routes[r(Math.max(1, routes.length))];
      if (victim) store.delete(`HTTPRoute/${victim.metadata.namespace}/${victim.metadata.name}`);
      return;
    }
    case 4:
      store.upsert(slice(r, ns, `svc${r(3)}`));
      return;
    case 5:
      store.upsert(service(ns, `svc${r(3)}`, r(3) === 0 ? [80] : [80, 81]));
      return;
    case 6:
      if (r(2) === 0) store.upsert(grant(r, ns));
      else store.delete(`ReferenceGrant/${ns}/grant`);
      return;
    case 7:
      store.upsert(namespace(r, ns));
      return;
    case 8:
      store.upsert(gateway(r, r(2) === 0 ? 'gw1' : 'gw2'));
      return;
    default:
      // A burst: several routes at once, as a file with many objects would bring.
      for (let i = 0; i < 1 + r(6); i++) store.upsert(route(r, `burst${step % 7}-${i}`));
  }
}

function seeded(r: (n: number) => number): Store {
  let t = Date.UTC(2026, 0, 1);
  const tick = (): Date => {
    t += 1000;
    return new Date(t);
  };
  const store = new Store({ now: tick });
  store.upsert(obj(GW, 'GatewayClass', undefined, 'archway', { spec: { controllerName: CONTROLLER } }));
  store.upsert(gateway(r, 'gw1'));
  store.upsert(gateway(r, 'gw2'));
  for (const ns of NAMESPACES) {
    store.upsert(namespace(r, ns));
    for (let s = 0; s < 3; s++) {
      store.upsert(service(ns, `svc${s}`, [80, 81]));
      store.upsert(slice(r, ns, `svc${s}`));
    }
  }
  for (let i = 0; i < 20; i++) store.upsert(route(r, `r${i}`));
  return store;
}

function options(step: number): TranslateOptions {
  const addresses = new Map([['a/gw1', '127.0.0.1']]);
  if (step % 40 >= 20) addresses.set('a/gw2', '127.0.0.2');
  return {
    controllerName: CONTROLLER,
    gatewayAddresses: addresses,
    supportedFeatures: ['Gateway', 'HTTPRoute'],
    // What the runtime finds on the host: a static address that is not local, listeners that failed to bind.
    ...(step % 50 >= 25 && { unusableAddresses: new Set(['127.0.0.9']) }),
    ...(step % 3 === 1 && { unboundListeners: new Map([['127.0.0.1:8080', 'listen EADDRINUSE']]) }),
    ...(step % 7 === 2 && { unboundListeners: new Map([['127.0.0.1:80', 'listen EADDRINUSE']]) }),
  };
}

describe('translate with a cache', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`equals translate without one over a random edit sequence (seed ${seed})`, () => {
      const r = random(seed);
      const store = seeded(r);
      const cache: TranslateCache = {};
      let served = 0;
      let updates = 0;
      let previous: StatusMap | undefined;
      for (let step = 0; step < 150; step++) {
        for (let k = 1 + r(2); k > 0; k--) edit(r, store, step);
        const snap = store.snapshot();
        const cached = translate(snap, options(step), cache);
        const fresh = translate(snap, options(step));
        assert.deepStrictEqual(cached.ir, fresh.ir, `IR differs at step ${step}`);
        assert.deepStrictEqual([...cached.statuses], [...fresh.statuses], `statuses differ at step ${step}`);
        assert.ok(cached.statuses instanceof StatusMap);
        const changes = cached.statuses.changes;
        if (changes && previous) {
          assert.equal(changes.since, previous.token, `changes are relative to the previous result (step ${step})`);
          const changed = new Set(changes.keys);
          const before = previous;
          const same = (m: StatusMap, other: StatusMap) =>
            [...m.keys()].filter((k) => !changed.has(k)).every((k) => other.get(k) === m.get(k));
          assert.ok(same(cached.statuses, before) && same(before, cached.statuses), `unlisted change (step ${step})`);
          updates++;
        }
        previous = cached.statuses;
        served += cached.ir.listeners.reduce((n, l) => n + l.virtualHosts.reduce((m, v) => m + v.routes.length, 0), 0);
      }
      assert.ok(served > 0, 'the sequence serves routes');
      assert.ok(updates > 100, `statuses updated from the previous ones: ${updates} times`);
    });
  }

  it('keeps the identity of what did not change, and of the status of unchanged routes', () => {
    const r = random(7);
    const store = seeded(r);
    const opts = options(0);
    const cache: TranslateCache = {};
    const before = translate(store.snapshot(), opts, cache);
    store.upsert(route(random(99), 'fresh'));
    const after = translate(store.snapshot(), opts, cache);
    const irs = (ir: IR) => new Set<HttpRouteIR>(ir.listeners.flatMap((l) => l.virtualHosts.flatMap((v) => v.routes)));
    const old = irs(before.ir);
    const kept = [...irs(after.ir)].filter((x) => old.has(x));
    assert.ok(kept.length > 0 && kept.length >= old.size - 2, `route IR kept: ${kept.length} of ${old.size}`);
    const unchanged = [...before.statuses].filter(
      ([k, v]) => k.startsWith('HTTPRoute/') && after.statuses.get(k) === v,
    );
    assert.ok(unchanged.length >= 19, `route statuses kept: ${unchanged.length}`);
    const again = translate(store.snapshot(), opts, cache);
    assert.equal(again.ir.listeners[0], after.ir.listeners[0]);
    assert.equal(again.ir.clusters[0], after.ir.clusters[0]);
  });

  it('gives the same IR objects whether or not listeners failed to bind; only Gateway statuses change', () => {
    const store = seeded(random(5));
    const snap = store.snapshot();
    const cache: TranslateCache = {};
    const opts = options(0);
    const bound = translate(snap, opts, cache);
    const name = bound.ir.listeners[0]?.name;
    assert.ok(name);
    const unbound = translate(snap, { ...opts, unboundListeners: new Map([[name, 'listen EADDRINUSE']]) }, cache);
    assert.equal(unbound.ir.listeners[0], bound.ir.listeners[0], 'the listener stays in the IR, unchanged');
    const changed = [...unbound.statuses].filter(([k, v]) => bound.statuses.get(k) !== v).map(([k]) => k);
    assert.ok(changed.length > 0 && changed.every((k) => k.startsWith('Gateway/')), changed.join(', '));
    const again = translate(snap, opts, cache);
    assert.deepStrictEqual([...again.statuses], [...bound.statuses]);
  });

  it('rebuilds only the cluster whose EndpointSlice changed', () => {
    const r = random(11);
    const store = seeded(r);
    const opts = options(0);
    const cache: TranslateCache = {};
    const before = translate(store.snapshot(), opts, cache);
    const target = before.ir.clusters[0];
    assert.ok(target);
    const [ns, rest] = target.name.split('/') as [string, string];
    const svc = rest.split(':')[0] as string;
    store.upsert(slice(random(12345), ns, svc));
    const after = translate(store.snapshot(), opts, cache);
    for (const c of after.ir.clusters) {
      if (c.name.startsWith(`${ns}/${svc}:`)) continue;
      assert.equal(
        c,
        before.ir.clusters.find((b) => b.name === c.name),
        `${c.name} kept`,
      );
    }
    assert.equal(after.ir.listeners[0], before.ir.listeners[0], 'no route changed');
  });
});

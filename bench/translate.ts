/**
 * Control-plane micro benchmark, in process: how fast configuration changes reach the data plane at scale.
 *
 *   node bench/translate.ts [--quick] [--json]
 *
 * Figures: RSS with 5,000 routes loaded and served (after a full GC); a single HTTPRoute added with 5,000 loaded,
 * (a) upserted into the store: store -> translate -> data-plane apply -> statuses (the runtime's reconcile) and until
 * the route answers its first 200, and (b) written as a file into the watched config directory until its first 200
 * (file source settle + debounce + reconcile + request); an EndpointSlice change until traffic reaches the new
 * endpoint; then the full (uncached) translate at 10 / 1,000 / 5,000 / 10,000 routes and the cold data-plane
 * apply (compile + bind) of the result. Objects are generated in memory (no YAML decoding, except the one small file
 * per trial in (b)); backends are local node:http servers; p50/p99 are nearest-rank over the trials.
 *
 * Owns: nothing but these figures. It drives the Runtime, Store, translate and Dataplane through their public APIs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KubeObject } from '../src/api/types.ts';
import { Dataplane } from '../src/dataplane/dataplane.ts';
import { exposedGc } from '../src/lib/heap.ts';
import { SUPPORTED_FEATURES } from '../src/runtime/features.ts';
import { Runtime } from '../src/runtime/runtime.ts';
import { Store } from '../src/store/store.ts';
import { translate } from '../src/translate/translate.ts';

const gc = exposedGc();

const CONTROLLER = 'archway.dev/gateway-controller';
const GW = 'gateway.networking.k8s.io/v1';
const NAMESPACES = 10;
const SERVICES_PER_NAMESPACE = 5;

// ------------------------------------------------------------------------------------------------ objects

const obj = (apiVersion: string, kind: string, namespace: string | undefined, name: string, rest: object) =>
  ({ apiVersion, kind, metadata: { name, ...(namespace && { namespace }) }, ...rest }) as KubeObject;

/** The EndpointSlice of `service`: one endpoint, 127.0.0.1:`port`. */
function slice(namespace: string, service: string, port: number): KubeObject {
  return obj('discovery.k8s.io/v1', 'EndpointSlice', namespace, `${service}-1`, {
    metadata: { name: `${service}-1`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['127.0.0.1'] }],
    ports: [{ name: 'http', port }],
  });
}

/** GatewayClass, one Gateway (HTTP on 127.0.0.1:0, routes from all namespaces), Namespaces, Services, slices. */
function baseObjects(backendPort: number): KubeObject[] {
  const out: KubeObject[] = [
    obj(GW, 'GatewayClass', undefined, 'archway', { spec: { controllerName: CONTROLLER } }),
    obj(GW, 'Gateway', 'infra', 'gw', {
      spec: {
        gatewayClassName: 'archway',
        addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
        listeners: [{ name: 'http', protocol: 'HTTP', port: 0, allowedRoutes: { namespaces: { from: 'All' } } }],
      },
    }),
  ];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `team-${n}`;
    out.push(obj('v1', 'Namespace', undefined, ns, {}));
    for (let s = 0; s < SERVICES_PER_NAMESPACE; s++) {
      out.push(obj('v1', 'Service', ns, `svc-${s}`, { spec: { ports: [{ name: 'http', port: 80 }] } }));
      out.push(slice(ns, `svc-${s}`, backendPort));
    }
  }
  return out;
}

/** Route i: one host of n/10, a prefix + header match; every 10th has a second rule with a header filter. */
function routeObject(i: number, n: number, name = `r${i}`): KubeObject {
  const ns = `team-${i % NAMESPACES}`;
  const hosts = Math.max(1, Math.floor(n / 10));
  const rules: object[] = [
    {
      matches: [{ path: { type: 'PathPrefix', value: `/api/v${i}` }, headers: [{ name: 'x-tenant', value: `t${i}` }] }],
      backendRefs: [{ name: `svc-${i % SERVICES_PER_NAMESPACE}`, port: 80 }],
    },
  ];
  if (i % 10 === 0) {
    rules.push({
      matches: [{ path: { type: 'Exact', value: `/login/${i}` }, method: 'POST' }],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: name }] } }],
      backendRefs: [{ name: `svc-${(i + 1) % SERVICES_PER_NAMESPACE}`, port: 80, weight: 3 }],
    });
  }
  return obj(GW, 'HTTPRoute', ns, name, {
    spec: {
      parentRefs: [{ name: 'gw', namespace: 'infra' }],
      hostnames: [`app${i % hosts}.example.com`],
      rules,
    },
  });
}

// ------------------------------------------------------------------------------------------------ helpers

function percentile(xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN;
}
const ms = (x: number): number => Math.round(x * 100) / 100;
const summary = (xs: readonly number[]) => ({ p50: ms(percentile(xs, 50)), p99: ms(percentile(xs, 99)) });

function backend(label: string): Promise<http.Server> {
  const server = http.createServer((_req, res) => res.end(label));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (s: http.Server): number => (s.address() as { port: number }).port;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(port: number, host: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Polls until `ok` holds; the elapsed ms from `t0`. Gives up after 5 s. */
async function until(t0: number, probe: () => Promise<boolean>): Promise<number> {
  for (let i = 0; i < 100_000; i++) {
    if (await probe()) return performance.now() - t0;
    if (performance.now() - t0 > 5000) break;
  }
  throw new Error('timed out waiting for the change to serve');
}

// ------------------------------------------------------------------------------------------------ dynamics

interface Dynamics {
  readonly routes: number;
  readonly rssMb: number;
  readonly loadMs: number;
  readonly addViaStore: { p50: number; p99: number };
  readonly reconcile: { p50: number; p99: number };
  /** CPU time (all threads) from the upsert until settled: less sensitive than wall time to a busy machine. */
  readonly addViaStoreCpu: { p50: number; p99: number };
  readonly addViaStoreFirst200: { p50: number; p99: number };
  readonly addViaFileFirst200: { p50: number; p99: number };
  readonly endpointChange: { p50: number; p99: number };
}

async function dynamics(n: number, trials: number): Promise<Dynamics> {
  const [a, b] = await Promise.all([backend('A'), backend('B')]);
  const dir = mkdtempSync(join(tmpdir(), 'archway-bench-'));
  const dataplane = new Dataplane();
  const runtime = new Runtime({ configDir: dir, controllerName: CONTROLLER, dataplane });
  try {
    await runtime.start();
    const t0 = performance.now();
    for (const o of baseObjects(portOf(a))) runtime.store.upsert(o);
    for (let i = 0; i < n; i++) runtime.store.upsert(routeObject(i, n));
    await runtime.settled();
    const loadMs = performance.now() - t0;
    const port = dataplane.listenerAddress('127.0.0.1:0')?.port;
    if (port === undefined) throw new Error('listener not bound');
    gc();
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const serves = (host: string, path: string, h: Record<string, string>) => async () =>
      (await get(port, host, path, h)).status === 200;

    const viaStore: number[] = [];
    const reconcile: number[] = [];
    const cpu: number[] = [];
    const first200: number[] = [];
    for (let k = 0; k < trials; k++) {
      const i = n + k;
      const route = routeObject(i, n, `added-${k}`);
      const c = process.cpuUsage();
      const t = performance.now();
      runtime.store.upsert(route);
      await runtime.settled();
      viaStore.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      reconcile.push(runtime.stats.lastDurationMs);
      first200.push(await until(t, serves(`app${i % (n / 10)}.example.com`, `/api/v${i}`, { 'x-tenant': `t${i}` })));
    }

    const viaFile: number[] = [];
    for (let k = 0; k < trials; k++) {
      const i = n + trials + k;
      const path = `/file/${k}`;
      const yaml = [
        `apiVersion: ${GW}`,
        'kind: HTTPRoute',
        `metadata: {name: file-${k}, namespace: team-0}`,
        'spec:',
        '  parentRefs: [{name: gw, namespace: infra}]',
        `  hostnames: [file${i}.example.com]`,
        `  rules: [{matches: [{path: {type: PathPrefix, value: ${path}}}], backendRefs: [{name: svc-0, port: 80}]}]`,
        '',
      ].join('\n');
      const t = performance.now();
      writeFileSync(join(dir, `file-${k}.yaml`), yaml);
      viaFile.push(await until(t, serves(`file${i}.example.com`, path, {})));
    }

    const endpoint: number[] = [];
    for (let k = 0; k < trials; k++) {
      const target = k % 2 === 0 ? b : a;
      const label = target === a ? 'A' : 'B';
      const t = performance.now();
      runtime.store.upsert(slice('team-0', 'svc-0', portOf(target)));
      endpoint.push(
        await until(t, async () => {
          const r = await get(port, 'app0.example.com', '/api/v0', { 'x-tenant': 't0' });
          return r.body === label;
        }),
      );
    }
    await runtime.settled();
    return {
      routes: n,
      rssMb: ms(rssMb),
      loadMs: ms(loadMs),
      addViaStore: summary(viaStore),
      reconcile: summary(reconcile),
      addViaStoreCpu: summary(cpu),
      addViaStoreFirst200: summary(first200),
      addViaFileFirst200: summary(viaFile),
      endpointChange: summary(endpoint),
    };
  } finally {
    await runtime.close();
    await dataplane.close();
    agent.destroy();
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ sizes

interface SizeRow {
  readonly routes: number;
  readonly translateMs: number;
  readonly translateMinMs: number;
  /** CPU time (all threads) of one translate, median. */
  readonly translateCpuMs: number;
  readonly coldApplyMs: number;
}

async function size(n: number, runs: number): Promise<SizeRow> {
  const store = new Store();
  for (const o of baseObjects(9)) store.upsert(o);
  for (let i = 0; i < n; i++) store.upsert(routeObject(i, n));
  const snap = store.snapshot();
  const opts = {
    controllerName: CONTROLLER,
    gatewayAddresses: new Map<string, string>(),
    supportedFeatures: SUPPORTED_FEATURES,
  };
  const times: number[] = [];
  const cpu: number[] = [];
  let ir = translate(snap, opts).ir;
  for (let k = 0; k < runs; k++) {
    const c = process.cpuUsage();
    const t = performance.now();
    ir = translate(snap, opts).ir;
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const dataplane = new Dataplane();
  const t = performance.now();
  await dataplane.apply(ir);
  const coldApplyMs = performance.now() - t;
  await dataplane.close();
  return {
    routes: n,
    translateMs: ms(percentile(times, 50)),
    translateMinMs: ms(Math.min(...times)),
    translateCpuMs: ms(percentile(cpu, 50)),
    coldApplyMs: ms(coldApplyMs),
  };
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' } } });
  const quick = values.quick === true;
  const dyn = await dynamics(quick ? 1000 : 5000, quick ? 10 : 100);
  const sizes: SizeRow[] = [];
  for (const n of quick ? [10, 1000] : [10, 1000, 5000, 10_000]) sizes.push(await size(n, quick ? 3 : 8));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ dynamics: dyn, sizes }, null, 2)}\n`);
    return;
  }
  const line = (label: string, s: { p50: number; p99: number }) =>
    `  ${label.padEnd(44)} p50 ${s.p50} ms  p99 ${s.p99} ms`;
  const out = [
    `dynamics with ${dyn.routes} routes (load ${dyn.loadMs} ms, RSS after GC ${dyn.rssMb} MB)`,
    line('add route via store -> applied (settled)', dyn.addViaStore),
    line('  of which reconcile (translate+apply+status)', dyn.reconcile),
    line('  CPU time (all threads) of the same', dyn.addViaStoreCpu),
    line('add route via store -> first 200', dyn.addViaStoreFirst200),
    line('add route as a file -> first 200', dyn.addViaFileFirst200),
    line('EndpointSlice change -> traffic moved', dyn.endpointChange),
    'full translate (no cache), median; cold data-plane apply of its IR',
    ...sizes.map(
      (s) =>
        `  ${String(s.routes).padStart(6)} routes  translate ${s.translateMs} ms (min ${s.translateMinMs}, CPU ${s.translateCpuMs})  apply ${s.coldApplyMs} ms`,
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();

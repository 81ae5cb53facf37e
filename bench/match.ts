/**
 * Route-table micro-benchmark, in process, on Archway's own pipeline: generated HTTPRoutes (bench/config/routes.ts)
 * -> decode (YAML) -> store -> translate -> compileListener, each timed, then the request -> route lookup the data
 * plane runs per request (selectVhost, HostIndex.candidates, matchRoute) timed over requests spread across the table.
 *
 *   node bench/match.ts [--quick] [--json]
 *
 * Owns: the figures "compile time" and "match time per request" at 10, 1,000 and 10,000 routes. Imports the data
 * plane's internals, so it changes when they do.
 */
import { parseArgs } from 'node:util';
import { decodeFile } from '../src/api/decode.ts';
import { compileListener } from '../src/dataplane/http/compile.ts';
import { matchRoute, type RequestView, selectVhost } from '../src/dataplane/http/match.ts';
import type { HttpListenerIR } from '../src/ir/types.ts';
import { Store } from '../src/store/store.ts';
import { translate } from '../src/translate/translate.ts';
import { baseYaml, routeYaml } from './config/archway.ts';
import { generateRoutes, sampleRequests } from './config/routes.ts';
import { median } from './lib/stats.ts';
import { matchTable } from './report/table.ts';
import type { MatchRow } from './report/types.ts';

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

function buildListener(n: number): { listener: HttpListenerIR; decodeMs: number; translateMs: number } {
  const text = [baseYaml({ listenPort: 8080, backendPort: 9000 }), ...generateRoutes(n).map(routeYaml)].join('---\n');
  const [decoded, decodeMs] = timed(() => decodeFile(text, 'bench.yaml'));
  if (decoded.errors.length > 0) throw new Error(`generated config has errors: ${decoded.errors[0]!.message}`);
  const store = new Store();
  for (const d of decoded.objects) store.upsert(d.object);
  const opts = { controllerName: 'archway.dev/gateway-controller', gatewayAddresses: new Map(), supportedFeatures: [] };
  const [result, translateMs] = timed(() => translate(store.snapshot(), opts));
  const listener = result.ir.listeners[0];
  if (!listener) throw new Error('translate produced no listener');
  return { listener, decodeMs, translateMs };
}

function views(n: number): { host: string; view: RequestView }[] {
  return sampleRequests(generateRoutes(n), 64).map((r) => {
    const host = r.headers.Host!;
    const rawHeaders = Object.entries(r.headers).flat();
    return { host, view: { method: 'GET', path: r.path.split('?')[0]!, rawHeaders, queryParam: () => undefined } };
  });
}

export function benchSize(n: number, iterations: number, reps: number): MatchRow {
  const { listener, decodeMs, translateMs } = buildListener(n);
  const [table, compileMs] = timed(() => compileListener(listener, { clusters: new Map(), hostCacheSize: 1024 }));
  const reqs = views(n);
  const lookup = (host: string, view: RequestView) => {
    const vh = selectVhost(table, host);
    return vh === null ? null : matchRoute(vh.routes.candidates(host), view);
  };
  const misses = reqs.filter((r) => lookup(r.host, r.view) === null).length;
  const perReq = Math.max(1, Math.floor(iterations / reqs.length));
  const means: number[] = [];
  const worst: number[] = [];
  let sink = 0;
  for (let rep = 0; rep < reps; rep++) {
    let total = 0;
    let slowest = 0;
    for (const r of reqs) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < perReq; i++) if (lookup(r.host, r.view) !== null) sink++;
      const ns = Number(process.hrtime.bigint() - t0) / perReq;
      total += ns;
      slowest = Math.max(slowest, ns);
    }
    means.push(total / reqs.length);
    worst.push(slowest);
  }
  if (sink < 0) process.stdout.write('');
  return { routes: n, decodeMs, translateMs, compileMs, matchNs: median(means), worstMatchNs: median(worst), misses };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  const sizes = values.quick ? [10, 1000] : [10, 1000, 10_000];
  const rows = sizes.map((n) => benchSize(n, values.quick ? 20_000 : 200_000, values.quick ? 3 : 7));
  process.stdout.write(values.json ? `${JSON.stringify(rows)}\n` : `${matchTable(rows)}\n`);
}

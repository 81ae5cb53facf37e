/**
 * Helpers the scenarios share: starting the three proxies on the proxy core with a tolerant Archway start (a
 * scenario still measures nginx and HAProxy when Archway cannot start), warm-up, and folding repetitions into medians.
 */
import type { BenchRoute, RouteRequest } from '../config/routes.ts';
import { freePorts } from '../lib/net.ts';
import type { Cores } from '../lib/procs.ts';
import { median } from '../lib/stats.ts';
import type { WrkOptions } from '../lib/wrk.ts';
import type { Figures } from '../report/types.ts';
import {
  type ProxyName,
  type ProxyStart,
  type RunningProxy,
  startArchway,
  startHaproxy,
  startNginxProxy,
} from '../servers/proxies.ts';
import type { BenchContext } from './context.ts';
import { type LoadSample, measureLoad } from './measure.ts';

export interface StartSpec {
  readonly label: string;
  readonly routes: readonly BenchRoute[];
  readonly probe: RouteRequest;
  readonly readyTimeoutMs: number;
  /** Certificate for an extra HTTPS listener (its port is picked here). */
  readonly https?: { readonly certPem: string; readonly keyPem: string; readonly dir: string };
  readonly cpuProfDir?: string;
  /** Worker processes (Archway --workers, nginx worker_processes) and the cores they get (default: the proxy core). */
  readonly workers?: number;
  readonly cores?: Cores;
}

/** Starts one proxy; returns an error message instead of throwing. */
export async function startProxy(ctx: BenchContext, name: ProxyName, spec: StartSpec): Promise<RunningProxy | string> {
  const [listenPort, adminPort, tlsPort] = await freePorts(3);
  const base: ProxyStart = {
    ws: ctx.ws,
    label: `${spec.label}-${name}`,
    listenPort: listenPort!,
    backendPort: ctx.backend.port,
    routes: spec.routes,
    probe: spec.probe,
    core: spec.cores ?? ctx.params.proxyCore,
    ...(spec.workers === undefined ? {} : { workers: spec.workers }),
    readyTimeoutMs: spec.readyTimeoutMs,
    ...(spec.https ? { https: { ...spec.https, port: tlsPort! } } : {}),
  };
  try {
    switch (name) {
      case 'nginx':
        return await startNginxProxy(base);
      case 'haproxy':
        return await startHaproxy(base);
      case 'archway':
        return await startArchway({
          ...base,
          adminPort: adminPort!,
          root: ctx.params.archwayRoot,
          ...(spec.cpuProfDir ? { cpuProfDir: spec.cpuProfDir } : {}),
        });
      default: {
        const never: never = name;
        return `unknown proxy ${String(never)}`;
      }
    }
  } catch (err) {
    return `${name} did not start: ${(err as Error).message}`;
  }
}

export async function stopAll(proxies: readonly RunningProxy[]): Promise<void> {
  await Promise.all(proxies.map((p) => p.stop()));
}

/** The base wrk options every load run uses (load core, scratch dir). */
export function wrkBase(
  ctx: BenchContext,
  proxy: RunningProxy,
  path: string,
  connections: number,
  durationS: number,
): WrkOptions {
  return {
    url: `http://127.0.0.1:${proxy.port}${path}`,
    connections,
    durationS,
    scratchDir: ctx.ws.dir('wrk'),
    ...(ctx.params.loadCore === undefined ? {} : { core: ctx.params.loadCore }),
  };
}

export async function warmUp(
  ctx: BenchContext,
  proxy: RunningProxy,
  opts: Partial<WrkOptions> & { path: string },
): Promise<void> {
  const { path, ...rest } = opts;
  await measureLoad(proxy, { ...wrkBase(ctx, proxy, path, 64, ctx.params.warmupS), ...rest });
}

/** Medians of each figure over the repetitions (each figure on its own). */
export function medianFigures(reps: readonly LoadSample[]): Figures {
  const m = (f: (s: LoadSample) => number) => median(reps.map(f));
  return {
    rps: m((s) => s.rps),
    p50Ms: m((s) => s.p50Ms),
    p99Ms: m((s) => s.p99Ms),
    cpuUsPerReq: m((s) => s.cpuUsPerReq),
    sysUsPerReq: m((s) => s.sysUsPerReq),
    rssPeakMiB: Math.max(...reps.map((s) => s.rssPeakMiB)),
    errors: reps.reduce((a, s) => a + s.errors, 0),
  };
}

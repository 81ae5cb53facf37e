/**
 * Scenario 1b — multi-core: the HTTP/1.1 keep-alive load of scenario 1 (2-byte body, 256 connections) against one
 * process on one core and two processes on two cores — Archway `serve --workers 2` (SO_REUSEPORT), nginx
 * `worker_processes 2` — interleaved repetitions, medians. The figure is each proxy's scaling factor: its 2-process
 * req/s over its own 1-process req/s in the same run.
 *
 * It needs three cores: one for the load generator and the backend, two for the proxy. On a smaller machine it is
 * skipped, with that reason: when the load generator shares the proxy's cores, a run measures that sharing, not how
 * the proxy scales.
 */
import { catchAllRoute } from '../config/routes.ts';
import type { Skipped, WorkersRow } from '../report/types.ts';
import type { RunningProxy } from '../servers/proxies.ts';
import { medianFigures, startProxy, stopAll, warmUp, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';
import { HOST } from './http1.ts';
import { type LoadSample, measureLoad, rotate } from './measure.ts';

const CONNECTIONS = 256;

export async function runWorkers(ctx: BenchContext, notes: string[]): Promise<WorkersRow[] | Skipped> {
  const cores = ctx.params.multiCore;
  if (cores === undefined) {
    return { skipped: `needs 3 cores (1 for the load, 2 for the proxy); this machine has ${ctx.params.cpus}` };
  }
  const headers = { Host: HOST };
  const proxies: { proxy: RunningProxy; processes: number }[] = [];
  try {
    for (const name of ['nginx', 'archway'] as const) {
      for (const processes of [1, 2]) {
        const spec = {
          label: `workers${processes}`,
          routes: [catchAllRoute(HOST)],
          probe: { path: '/', headers },
          readyTimeoutMs: 30_000,
          workers: processes,
          ...(processes === 1 ? {} : { cores }),
        };
        const p = await startProxy(ctx, name, spec);
        if (typeof p === 'string') notes.push(`workers: ${p}`);
        else proxies.push({ proxy: p, processes });
      }
    }
    for (const { proxy } of proxies) await warmUp(ctx, proxy, { path: '/', headers });
    const samples = new Map<string, LoadSample[]>();
    for (let rep = 0; rep < ctx.params.reps; rep++) {
      for (const { proxy, processes } of rotate(proxies, rep)) {
        const s = await measureLoad(proxy, { ...wrkBase(ctx, proxy, '/', CONNECTIONS, ctx.params.durationS), headers });
        ctx.log(`workers rep ${rep + 1} ${proxy.name} ×${processes}: ${Math.round(s.rps)} req/s`);
        const key = `${proxy.name}/${processes}`;
        samples.set(key, [...(samples.get(key) ?? []), s]);
      }
    }
    return proxies.map(({ proxy, processes }) => {
      const f = medianFigures(samples.get(`${proxy.name}/${processes}`) ?? []);
      const one = medianFigures(samples.get(`${proxy.name}/1`) ?? []);
      return {
        proxy: proxy.name,
        processes,
        cores: processes === 1 ? String(ctx.params.proxyCore) : String(cores),
        ...f,
        scaling: f.rps / one.rps,
      };
    });
  } finally {
    await stopAll(proxies.map((p) => p.proxy));
  }
}

/**
 * Scenario 2 — route scale: 10, 1,000, 5,000 and 10,000 generated HTTPRoutes (quick: 10 and 1,000). For each size,
 * Archway and nginx are cold started (time to ready), their idle RSS read, then loaded with wrk cycling through 64
 * requests spread over the whole table (first to last route, portal host included), interleaved repetitions, medians.
 */
import { generateRoutes, sampleRequests } from '../config/routes.ts';
import { pssMiB } from '../lib/proc-stats.ts';
import type { ScaleRow } from '../report/types.ts';
import type { RunningProxy } from '../servers/proxies.ts';
import { medianFigures, startProxy, stopAll, warmUp, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';
import { idleRss, type LoadSample, measureLoad, rotate } from './measure.ts';

export async function runScale(ctx: BenchContext, notes: string[]): Promise<ScaleRow[]> {
  const out: ScaleRow[] = [];
  for (const size of ctx.params.scaleSizes) out.push(...(await runSize(ctx, size, notes)));
  return out;
}

async function runSize(ctx: BenchContext, size: number, notes: string[]): Promise<ScaleRow[]> {
  const routes = generateRoutes(size);
  const requests = sampleRequests(routes, 64);
  const spec = { label: `scale-${size}`, routes, probe: requests[requests.length - 1]!, readyTimeoutMs: 120_000 };
  const proxies: RunningProxy[] = [];
  try {
    for (const name of ['nginx', 'archway'] as const) {
      const p = await startProxy(ctx, name, spec);
      if (typeof p === 'string') notes.push(`scale ${size}: ${p}`);
      else proxies.push(p);
      if (typeof p !== 'string') ctx.log(`scale ${size} ${name}: ready in ${p.readyMs.toFixed(0)} ms`);
    }
    const idle = new Map(proxies.map((p) => [p.name, idleRss(p)]));
    const idlePss = new Map(proxies.map((p) => [p.name, pssMiB(p.pids())]));
    for (const p of proxies) await warmUp(ctx, p, { path: '/', requests });
    const samples = new Map<string, LoadSample[]>();
    for (let rep = 0; rep < ctx.params.reps; rep++) {
      for (const p of rotate(proxies, rep)) {
        const s = await measureLoad(p, { ...wrkBase(ctx, p, '/', 64, ctx.params.durationS), requests });
        ctx.log(`scale ${size} rep ${rep + 1} ${p.name}: ${Math.round(s.rps)} req/s, ${s.errors} errors`);
        samples.set(p.name, [...(samples.get(p.name) ?? []), s]);
      }
    }
    const nginx = medianFigures(samples.get('nginx') ?? []);
    return proxies.map((p) => {
      const reps = samples.get(p.name) ?? [];
      const f = medianFigures(reps);
      return {
        routes: size,
        proxy: p.name,
        readyMs: p.readyMs,
        rssIdleMiB: idle.get(p.name) ?? Number.NaN,
        pssIdleMiB: idlePss.get(p.name) ?? Number.NaN,
        ...f,
        rpsRatio: f.rps / nginx.rps,
        cpuRatio: f.cpuUsPerReq / nginx.cpuUsPerReq,
        reps,
      };
    });
  } finally {
    await stopAll(proxies);
  }
}

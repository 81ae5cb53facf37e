/**
 * Scenario 1 — HTTP/1.1 keep-alive proxying: one catch-all route, a 2-byte and a 16 KiB response body, 64 and 256
 * connections, Archway vs nginx vs HAProxy on the same core, interleaved repetitions, medians.
 */
import { catchAllRoute } from '../config/routes.ts';
import type { Http1Row } from '../report/types.ts';
import { BODY_16K_PATH } from '../servers/backend.ts';
import type { ProxyName, RunningProxy } from '../servers/proxies.ts';
import { medianFigures, startProxy, stopAll, warmUp, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';
import { idleRss, type LoadSample, measureLoad, rotate } from './measure.ts';

export const HOST = 'bench.example.com';
const BODIES = { small: '/', '16k': BODY_16K_PATH } as const;
type Body = keyof typeof BODIES;

export async function runHttp1(ctx: BenchContext, notes: string[]): Promise<Http1Row[]> {
  const spec = {
    label: 'http1',
    routes: [catchAllRoute(HOST)],
    probe: { path: '/', headers: { Host: HOST } },
    readyTimeoutMs: 30_000,
  };
  const proxies: RunningProxy[] = [];
  try {
    for (const name of ['nginx', 'haproxy', 'archway'] as const) {
      const p = await startProxy(ctx, name, spec);
      if (typeof p === 'string') notes.push(`http1: ${p}`);
      else proxies.push(p);
    }
    const idle = new Map(proxies.map((p) => [p.name, idleRss(p)]));
    const headers = { Host: HOST };
    for (const p of proxies) for (const path of Object.values(BODIES)) await warmUp(ctx, p, { path, headers });
    const samples = new Map<string, LoadSample[]>();
    for (let rep = 0; rep < ctx.params.reps; rep++) {
      for (const body of Object.keys(BODIES) as Body[]) {
        for (const c of ctx.params.connections) {
          for (const p of rotate(proxies, rep)) {
            const s = await measureLoad(p, { ...wrkBase(ctx, p, BODIES[body], c, ctx.params.durationS), headers });
            ctx.log(
              `http1 rep ${rep + 1} ${body} c${c} ${p.name}: ${Math.round(s.rps)} req/s, p99 ${s.p99Ms.toFixed(2)} ms, ${s.cpuUsPerReq.toFixed(1)} µs/req`,
            );
            const key = `${body}/${c}/${p.name}`;
            samples.set(key, [...(samples.get(key) ?? []), s]);
          }
        }
      }
    }
    return rows(ctx, proxies, samples, idle);
  } finally {
    await stopAll(proxies);
  }
}

function rows(
  ctx: BenchContext,
  proxies: readonly RunningProxy[],
  samples: ReadonlyMap<string, LoadSample[]>,
  idle: ReadonlyMap<ProxyName, number>,
): Http1Row[] {
  const out: Http1Row[] = [];
  for (const body of Object.keys(BODIES) as Body[]) {
    for (const c of ctx.params.connections) {
      const nginx = medianFigures(samples.get(`${body}/${c}/nginx`) ?? []);
      for (const p of proxies) {
        const reps = samples.get(`${body}/${c}/${p.name}`) ?? [];
        const f = medianFigures(reps);
        out.push({
          body,
          connections: c,
          proxy: p.name,
          ...f,
          rssIdleMiB: idle.get(p.name) ?? Number.NaN,
          rpsRatio: f.rps / nginx.rps,
          cpuRatio: f.cpuUsPerReq / nginx.cpuUsPerReq,
          reps,
        });
      }
    }
  }
  return out;
}

/**
 * One measured load run against one proxy: wrk on the load core, plus the proxy's CPU time (from /proc, before and
 * after) and its peak RSS (sampled during the run).
 *
 * Owns: turning a wrk result and /proc deltas into the figures every table shows.
 */
import { cpuSeconds, rssMiB, sampleRss, sysCpuSeconds } from '../lib/proc-stats.ts';
import { runWrk, socketErrors, type WrkOptions } from '../lib/wrk.ts';
import type { RunningProxy } from '../servers/proxies.ts';

export interface LoadSample {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Proxy CPU (user+system, all its processes) per completed request, in µs. */
  readonly cpuUsPerReq: number;
  /** The kernel's share of cpuUsPerReq (stime): socket I/O, scheduling. */
  readonly sysUsPerReq: number;
  readonly rssPeakMiB: number;
  readonly requests: number;
  /** Socket errors plus 4xx/5xx responses. */
  readonly errors: number;
}

/** What a load generator reports (wrk or h2load). */
export type LoadReport = Omit<LoadSample, 'cpuUsPerReq' | 'sysUsPerReq' | 'rssPeakMiB'>;

export async function measureLoad(proxy: RunningProxy, wrk: WrkOptions): Promise<LoadSample> {
  return measureWith(proxy, async () => {
    const r = await runWrk(wrk);
    return { rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, requests: r.requests, errors: socketErrors(r) + r.non2xx3xx };
  });
}

/** Runs any load generator while charging the proxy's CPU and sampling its RSS. */
export async function measureWith(proxy: RunningProxy, load: () => Promise<LoadReport>): Promise<LoadSample> {
  const pids = proxy.pids();
  const rss = sampleRss(pids);
  const cpu0 = cpuSeconds(pids);
  const sys0 = sysCpuSeconds(pids);
  const r = await load();
  const after = proxy.pids();
  const [cpu1, sys1] = [cpuSeconds(after), sysCpuSeconds(after)];
  const rssPeak = rss.stop();
  const perReq = (s: number) => (r.requests > 0 ? (s * 1e6) / r.requests : Number.NaN);
  return { ...r, cpuUsPerReq: perReq(cpu1 - cpu0), sysUsPerReq: perReq(sys1 - sys0), rssPeakMiB: rssPeak };
}

export function idleRss(proxy: RunningProxy): number {
  return rssMiB(proxy.pids());
}

/** Rotates a list by n (interleaving: each repetition starts with a different proxy). */
export function rotate<T>(xs: readonly T[], n: number): T[] {
  if (xs.length === 0) return [];
  const k = n % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
}

/**
 * Archway under `node --cpu-prof` with the HTTP/1.1 keep-alive load (small body, 64 connections): where its CPU
 * goes. The profile is written when Archway exits (SIGINT, its graceful stop) and summarized by profile-summary.ts,
 * over the load window only. Then, the same load under `strace -c` for Archway and nginx: system calls per request.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchAllRoute } from '../config/routes.ts';
import { countSyscalls } from '../lib/strace.ts';
import { runWrk } from '../lib/wrk.ts';
import { type CpuProfile, formatSummary, type ProfileWindow, summarizeProfile } from '../profile-summary.ts';
import type { ProfileResult, SyscallsPerRequest } from '../report/types.ts';
import type { RunningProxy } from '../servers/proxies.ts';
import { type StartSpec, startProxy, warmUp, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';
import { HOST } from './http1.ts';
import { measureLoad } from './measure.ts';

/** The monotonic clock in µs, as V8 stamps profile samples. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function runProfile(
  ctx: BenchContext,
  resultsDir: string,
  stamp: string,
): Promise<ProfileResult | string> {
  const profDir = ctx.ws.dir('cpuprof');
  const spec = {
    label: 'profile',
    routes: [catchAllRoute(HOST)],
    probe: { path: '/', headers: { Host: HOST } },
    readyTimeoutMs: 30_000,
    cpuProfDir: profDir,
  };
  const p = await startProxy(ctx, 'archway', spec);
  if (typeof p === 'string') return p;
  let rps = 0;
  let window: ProfileWindow | undefined;
  const headers = { Host: HOST };
  try {
    await warmUp(ctx, p, { path: '/', headers });
    const startUs = nowUs();
    const s = await measureLoad(p, { ...wrkBase(ctx, p, '/', 64, ctx.params.profileS), headers });
    window = { startUs, endUs: nowUs() };
    rps = s.rps;
  } finally {
    await p.stop();
  }
  const syscalls = await syscallsOfBoth(ctx, spec, headers);
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return `Archway wrote no .cpuprofile on exit (stderr: ${p.child.stderr().slice(-500)})`;
  mkdirSync(resultsDir, { recursive: true });
  const kept = join(resultsDir, `${stamp}.cpuprofile`);
  copyFileSync(join(profDir, file), kept);
  const profile = JSON.parse(readFileSync(kept, 'utf8')) as CpuProfile;
  let summary = summarizeProfile(profile, 25, window);
  let scope = 'the load window only';
  if (summary.totalMs === 0) [summary, scope] = [summarizeProfile(profile, 25), 'the whole process (window empty)'];
  ctx.log(`profile (${Math.round(rps)} req/s under --cpu-prof, ${scope}):\n${formatSummary(summary)}`);
  return { rps, file: kept, scope, busyMs: summary.busyMs, top: summary.top, byCategory: summary.byCategory, syscalls };
}

/** Archway (this time without the profiler, whose SIGPROF ticks are system calls too) and nginx under strace. */
async function syscallsOfBoth(
  ctx: BenchContext,
  spec: StartSpec,
  headers: Record<string, string>,
): Promise<Record<string, SyscallsPerRequest>> {
  const out: Record<string, SyscallsPerRequest> = {};
  const { cpuProfDir: _, ...plain } = spec;
  for (const name of ['archway', 'nginx'] as const) {
    const proxy = await startProxy(ctx, name, { ...plain, label: 'syscalls' });
    if (typeof proxy === 'string') continue;
    try {
      await warmUp(ctx, proxy, { path: '/', headers });
      out[name] = await syscallsPerRequest(ctx, proxy, headers);
    } finally {
      await proxy.stop();
    }
  }
  return out;
}

async function syscallsPerRequest(
  ctx: BenchContext,
  proxy: RunningProxy,
  headers: Record<string, string>,
): Promise<SyscallsPerRequest> {
  const durationS = Math.min(3, ctx.params.profileS);
  const [counts, load] = await countSyscalls(proxy.pids(), () =>
    runWrk({ ...wrkBase(ctx, proxy, '/', 64, durationS), headers }),
  );
  const perRequest: Record<string, number> = {};
  for (const [name, calls] of Object.entries(counts.calls)) {
    if (load.requests > 0 && calls / load.requests >= 0.01) perRequest[name] = calls / load.requests;
  }
  ctx.log(
    `syscalls per request, ${proxy.name} (${load.requests} requests under strace): ${JSON.stringify(perRequest)}`,
  );
  return { requests: load.requests, total: load.requests > 0 ? counts.total / load.requests : Number.NaN, perRequest };
}

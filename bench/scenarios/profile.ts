/**
 * Archway under `node --cpu-prof` with the HTTP/1.1 keep-alive load (small body, 64 connections): where its CPU
 * goes. The profile is written when Archway exits (SIGINT, its graceful stop) and summarized by profile-summary.ts.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catchAllRoute } from '../config/routes.ts';
import { type CpuProfile, formatSummary, type ProfileWindow, summarizeProfile } from '../profile-summary.ts';
import type { ProfileResult } from '../report/types.ts';
import { startProxy, warmUp, wrkBase } from './common.ts';
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
  try {
    const headers = { Host: HOST };
    await warmUp(ctx, p, { path: '/', headers });
    const startUs = nowUs();
    const s = await measureLoad(p, { ...wrkBase(ctx, p, '/', 64, ctx.params.profileS), headers });
    window = { startUs, endUs: nowUs() };
    rps = s.rps;
  } finally {
    await p.stop();
  }
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
  return { rps, file: kept, scope, busyMs: summary.busyMs, top: summary.top, byCategory: summary.byCategory };
}

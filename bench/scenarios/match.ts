/**
 * Route-table micro-benchmark (bench/match.ts) as a scenario: run in its own Node process on the proxy core so its
 * JIT and heap are not this harness's, and its rows folded into the results.
 */

import { spawnChild } from '../lib/procs.ts';
import type { MatchRow } from '../report/types.ts';
import type { BenchContext } from './context.ts';

const MATCH = new URL('../match.ts', import.meta.url).pathname;

export async function runMatch(ctx: BenchContext): Promise<MatchRow[]> {
  const args = [MATCH, '--json', ...(ctx.params.mode === 'quick' ? ['--quick'] : [])];
  const child = spawnChild('match', process.execPath, args, {
    ...(ctx.params.proxyCore === undefined ? {} : { core: ctx.params.proxyCore }),
    timeoutMs: 300_000,
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`bench/match.ts exited with ${code}:\n${child.stderr().slice(-2000)}`);
  const rows = JSON.parse(child.stdout().trim().split('\n').pop() ?? '[]') as MatchRow[];
  for (const r of rows) {
    ctx.log(`match ${r.routes}: compile ${r.compileMs.toFixed(0)} ms, ${r.matchNs.toFixed(0)} ns/lookup`);
  }
  return rows;
}

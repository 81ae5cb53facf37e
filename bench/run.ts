/**
 * Archway's benchmark suite: Archway vs nginx (and HAProxy where it fits), side by side in one run on this machine.
 *
 *   node bench/run.ts [--quick] [--only http1,workers,scale,dynamics,tls,profile] [--tls] [--profile] [--install] [--keep]
 *
 * Owns: the run — preflight (tools), pinning (this process, the backend and wrk on core 0; the proxy under test on
 * core 1), the shared backend, the scenarios in order, then the table (stdout), bench/results/<timestamp>.json and
 * .svg. Every child process is killed at the end, on error and on SIGINT (lib/procs.ts); a watchdog bounds the run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { foreignCpuPercent, markLoad } from './lib/machine-load.ts';
import { freePorts } from './lib/net.ts';
import { HELP, type Params, parseParams } from './lib/params.ts';
import { killAll } from './lib/procs.ts';
import { cpuModel, ensureTools, toolVersions } from './lib/tools.ts';
import { createWorkspace } from './lib/workspace.ts';
import { renderSvg } from './report/svg.ts';
import { renderTables } from './report/table.ts';
import type { Meta, Results } from './report/types.ts';
import type { BenchContext } from './scenarios/context.ts';
import { runDynamics } from './scenarios/dynamics.ts';
import { runHttp1 } from './scenarios/http1.ts';
import { runMatch } from './scenarios/match.ts';
import { runProfile } from './scenarios/profile.ts';
import { runScale } from './scenarios/scale.ts';
import { runTls } from './scenarios/tls.ts';
import { runWorkers } from './scenarios/workers.ts';
import { startBackend } from './servers/backend.ts';

const REPO = new URL('..', import.meta.url).pathname;
const RESULTS_DIR = join(REPO, 'bench', 'results');

function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function pinSelf(core: number | undefined): void {
  if (core === undefined) return;
  spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

function commit(root: string): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src');
    return dirty ? `${sha}+uncommitted src/ changes` : sha;
  } catch {
    return `not a git checkout: ${root}`;
  }
}

const NPROC = availableParallelism(); // read before this process pins itself to one core

function meta(params: Params, stamp: string, wallSeconds: number, loadAvgStart: number): Meta {
  return {
    timestamp: stamp,
    mode: params.mode,
    nproc: NPROC,
    cpuModel: cpuModel(),
    node: process.version,
    tools: toolVersions(),
    archwayCommit: commit(params.archwayRoot),
    pinned: params.proxyCore !== undefined,
    durationS: params.durationS,
    reps: params.reps,
    wallSeconds,
    loadAvgStart,
    loadAvgEnd: loadavg()[0] ?? Number.NaN,
  };
}

/** Runs one scenario; an exception becomes a "skipped" entry and a failure. */
async function scenario<T>(
  name: string,
  failures: string[],
  run: () => Promise<T>,
  foreign: Record<string, number>,
): Promise<T | { skipped: string }> {
  const t0 = performance.now();
  const mark = markLoad();
  log(`${name}: start`);
  try {
    return await run();
  } catch (err) {
    const message = (err as Error).stack ?? String(err);
    failures.push(`${name}: ${message}`);
    log(`${name}: FAILED: ${message}`);
    return { skipped: `failed: ${(err as Error).message}` };
  } finally {
    foreign[name] = Math.round(foreignCpuPercent(mark));
    log(
      `${name}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s (other processes used ${foreign[name]}% of the machine)`,
    );
  }
}

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  if (params === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (params.report) {
    const saved = JSON.parse(readFileSync(params.report, 'utf8')) as Results;
    writeFileSync(params.report.replace(/\.json$/, '.svg'), renderSvg(saved));
    process.stdout.write(`${renderTables(saved)}\n`);
    return 0;
  }
  const missing = ensureTools(params.install);
  if (missing) {
    process.stderr.write(`bench: ${missing}\n`);
    return 1;
  }
  const started = performance.now();
  const loadAvgStart = loadavg()[0] ?? Number.NaN;
  const runMark = markLoad();
  const watchdog = setTimeout(
    () => {
      log(`watchdog: the run exceeded its time bound; stopping`);
      killAll();
      process.exit(1);
    },
    (params.mode === 'quick' ? 5 : 30) * 60_000,
  );
  watchdog.unref();
  pinSelf(params.loadCore);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const ws = createWorkspace(params.keep);
  const [backendPort, altPort] = await freePorts(2);
  const backend = await startBackend(ws, backendPort!, altPort!, params.loadCore);
  const ctx: BenchContext = { params, ws, backend, log };
  const notes: string[] = [];
  const failures: string[] = [];
  const results: Results = { meta: meta(params, stamp, 0, loadAvgStart), notes };
  const want = params.scenarios;
  const foreign: Record<string, number> = {};
  const step = <T>(name: string, f: () => Promise<T>) => scenario(name, failures, f, foreign);
  if (want.has('http1')) results.http1 = await step('http1', () => runHttp1(ctx, notes));
  if (want.has('workers')) results.workers = await step('workers', () => runWorkers(ctx, notes));
  if (want.has('scale')) results.scale = await step('scale', () => runScale(ctx, notes));
  if (want.has('match')) results.match = await step('match', () => runMatch(ctx));
  if (want.has('dynamics')) results.dynamics = await step('dynamics', () => runDynamics(ctx, notes));
  if (want.has('tls')) results.tls = await step('tls', () => runTls(ctx, notes));
  if (want.has('profile')) {
    const p = await step('profile', () => runProfile(ctx, RESULTS_DIR, stamp));
    results.profile = typeof p === 'string' ? { skipped: p } : p;
  }
  results.meta = {
    ...meta(params, stamp, Math.round((performance.now() - started) / 1000), loadAvgStart),
    foreignCpuPercent: { run: Math.round(foreignCpuPercent(runMark)), ...foreign },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonFile = join(RESULTS_DIR, `${stamp}.json`);
  const svgFile = join(RESULTS_DIR, `${stamp}.svg`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(svgFile, renderSvg(results));
  process.stdout.write(
    `\n## Archway benchmarks (${params.mode}, ${results.meta.wallSeconds} s)\n\n${renderTables(results)}\n`,
  );
  process.stdout.write(`results: ${jsonFile}\nplot:    ${svgFile}\n`);
  const archwayDown = notes.filter((n) => n.includes('archway did not start'));
  for (const f of [...failures, ...archwayDown]) process.stderr.write(`bench: FAILED: ${f.split('\n')[0]}\n`);
  return failures.length + archwayDown.length > 0 ? 1 : 0;
}

main()
  .then((code) => {
    killAll();
    process.exit(code);
  })
  .catch((err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    killAll();
    process.exit(1);
  });

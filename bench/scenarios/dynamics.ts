/**
 * Scenario 3 — config dynamics under load, with a large table loaded (5,000 routes full, 1,000 quick).
 *
 * Endpoint change: rewrite the EndpointSlice of a routed Service (nginx: its upstream block, then reload) so it
 * points at the backend's other port, and poll until responses come from that port.
 * Add: write a new route (Archway: a YAML file into the watched directory, renamed in atomically; nginx: an included
 * server block, then a reload signal) and poll back to back until the new host answers 200. Edit: rewrite one route's
 * response header value and poll until responses carry the new value; wrk cycles over table routes and the edited
 * route meanwhile, and every non-2xx or socket error (wrk's or the poller's) counts as a failed request. Both series
 * are bounded in count and time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointSliceYaml, serviceYaml, writeConfigFile, writeRouteFile } from '../config/archway.ts';
import { nginxListen, nginxServers, nginxUpstream } from '../config/nginx.ts';
import { type BenchRoute, generateRoutes, requestFor, sampleRequests } from '../config/routes.ts';
import { type ChangeSummary, fetchChanges, summarizeChanges } from '../lib/change-timings.ts';
import { type ProbeResult, pollUntil, probe, sleep } from '../lib/net.ts';
import { pssMiB, rssMiB } from '../lib/proc-stats.ts';
import { fetchReconcileTotals, type ReconcileTotals, reconcilesBetween } from '../lib/reconcile-metrics.ts';
import { percentile } from '../lib/stats.ts';
import { runWrk, socketErrors, type WrkRequest, type WrkResult } from '../lib/wrk.ts';
import type { DynamicsRow } from '../report/types.ts';
import { BACKEND_PORT_HEADER } from '../servers/backend.ts';
import type { RunningProxy } from '../servers/proxies.ts';
import { startProxy, wrkBase } from './common.ts';
import type { BenchContext } from './context.ts';

const EDIT_HEADER = 'x-bench-rev';
/** A host the add series has installed (its first route) when the probe series runs. */
const MOVING_HOST_READY = 'new-0.dyn.example.com';
const LOAD_CONNECTIONS = 32;
const POLL_TIMEOUT_MS = 10_000;
/** Quiet time after the edit series before the settled memory reading. */
const SETTLE_MS = 5_000;

export async function runDynamics(ctx: BenchContext, notes: string[]): Promise<DynamicsRow[]> {
  const routes = generateRoutes(ctx.params.dynamicsRoutes);
  const requests = sampleRequests(routes, 31);
  const out: DynamicsRow[] = [];
  for (const name of ['archway', 'nginx'] as const) {
    const spec = { label: `dynamics-${name}`, routes, probe: requests[requests.length - 1]!, readyTimeoutMs: 120_000 };
    const p = await startProxy(ctx, name, spec);
    if (typeof p === 'string') {
      notes.push(`dynamics: ${p}`);
      continue;
    }
    try {
      out.push(await runOne(ctx, p, requests));
    } catch (err) {
      notes.push(`dynamics ${name}: ${(err as Error).message}`);
    } finally {
      await p.stop();
    }
  }
  return out;
}

/** Installs (or replaces) a route on the running proxy, the way an operator would. */
function install(ctx: BenchContext, proxy: RunningProxy, file: string, route: BenchRoute): void {
  const dir = proxy.configDir!;
  if (proxy.name === 'archway') {
    writeRouteFile(dir, ctx.ws.dir('scratch'), `${file}.yaml`, [route]);
    return;
  }
  writeFileSync(join(dir, `${file}.conf`), nginxServers([route], nginxListen({ listenPort: proxy.port })));
  proxy.reload!();
}

const MOVING_HOST = 'moving.dyn.example.com';
const MOVING: BenchRoute = {
  name: 'moving',
  hostnames: [MOVING_HOST],
  rules: [{ path: { type: 'PathPrefix', value: '/' } }],
  service: 'moving',
};

/** Points the `moving` Service at 127.0.0.1:port (Archway: rewrite its EndpointSlice; nginx: its upstream + reload). */
function moveEndpoint(ctx: BenchContext, proxy: RunningProxy, port: number): void {
  const dir = proxy.configDir!;
  if (proxy.name === 'archway') {
    writeConfigFile(dir, ctx.ws.dir('scratch'), 'moving-endpoints.yaml', endpointSliceYaml('moving', port));
    return;
  }
  const listen = nginxListen({ listenPort: proxy.port });
  writeFileSync(join(dir, 'moving.conf'), nginxUpstream('moving', port) + nginxServers([MOVING], listen));
  proxy.reload!();
}

/** Times of the trials that saw their change, and how many timed out. */
interface Series {
  readonly times: number[];
  timeouts: number;
  /** The warm-up changes made before the timed ones (not in `times`). */
  readonly cold: number[];
  /** Wall-clock ms when the timed changes began (after setup and warm-up). */
  since: number;
}

const newSeries = (): Series => ({ times: [], timeouts: 0, cold: [], since: 0 });

async function endpointSeries(ctx: BenchContext, proxy: RunningProxy): Promise<Series> {
  const { port, altPort } = ctx.backend;
  const servedBy = (p: number) => (r: ProbeResult) => r.status === 200 && r.headers[BACKEND_PORT_HEADER] === String(p);
  if (proxy.name === 'archway') {
    const scratch = ctx.ws.dir('scratch');
    writeConfigFile(proxy.configDir!, scratch, 'moving-service.yaml', serviceYaml('moving', port).split('---\n')[0]!);
    writeRouteFile(proxy.configDir!, scratch, 'moving-route.yaml', [MOVING]);
  }
  moveEndpoint(ctx, proxy, port);
  const first = await pollUntil(proxy.port, '/', MOVING_HOST, servedBy(port), { timeoutMs: 30_000, intervalMs: 5 });
  if (first.elapsedMs === undefined) throw new Error(`the moving route never served (last ${first.last?.status})`);
  const series = newSeries();
  const warm = ctx.params.warmupChanges;
  const deadline = performance.now() + ctx.params.endpointBudgetS * 1000;
  for (let k = 1; k <= warm + ctx.params.endpointTrials && performance.now() < deadline; k++) {
    if (k === warm + 1) series.since = Date.now();
    const target = k % 2 === 1 ? altPort : port;
    await timedChange(series, proxy, MOVING_HOST, servedBy(target), () => moveEndpoint(ctx, proxy, target), k <= warm);
  }
  return series;
}

/**
 * One trial: makes a change, polls back to back from that moment until `done`, and records the time (or a
 * timeout) in `series`; then leaves 10 ms before the next trial.
 */
async function timedChange(
  series: Series,
  proxy: RunningProxy,
  host: string,
  done: (r: ProbeResult) => boolean,
  change: () => void,
  warmup = false,
): Promise<void> {
  const t0 = performance.now();
  change();
  const r = await pollUntil(proxy.port, '/', host, done, { timeoutMs: POLL_TIMEOUT_MS, intervalMs: 0 }, t0);
  if (r.elapsedMs === undefined) series.timeouts++;
  else (warmup ? series.cold : series.times).push(r.elapsedMs);
  await sleep(10);
}

function editRoute(rev: number): BenchRoute {
  return {
    name: 'edit-target',
    hostnames: ['edit.dyn.example.com'],
    rules: [{ path: { type: 'PathPrefix', value: '/' } }],
    responseHeader: { name: EDIT_HEADER, value: String(rev) },
  };
}

async function runOne(
  ctx: BenchContext,
  proxy: RunningProxy,
  tableRequests: readonly WrkRequest[],
): Promise<DynamicsRow> {
  const host = 'edit.dyn.example.com';
  const hasRev = (rev: number) => (r: ProbeResult) => r.status === 200 && r.headers[EDIT_HEADER] === String(rev);
  install(ctx, proxy, 'edit', editRoute(0));
  const first = await pollUntil(proxy.port, '/', host, hasRev(0), { timeoutMs: 30_000, intervalMs: 5 });
  if (first.elapsedMs === undefined)
    throw new Error(`the edit target never served (last status ${first.last?.status})`);
  const requests = [...tableRequests, requestFor(editRoute(0))];

  const addLoad = startLoad(ctx, proxy, requests);
  const r0 = await reconcileTotals(proxy);
  const adds = await addSeries(ctx, proxy);
  const r1 = await reconcileTotals(proxy);
  const addInside = await changesSince(proxy, adds.since);
  const probes = await probeSeries(proxy);
  const moves = await endpointSeries(ctx, proxy);
  const r2 = await reconcileTotals(proxy);
  const endpointInside = await changesSince(proxy, moves.since);
  const addWrk = await addLoad.stop();
  ctx.log(
    `dynamics ${proxy.name}: add p50 ${percentile(adds.times, 50).toFixed(1)} ms, ${addWrk.requests} load requests`,
  );

  const editLoad = startLoad(ctx, proxy, requests);
  const started = performance.now();
  const edits = await editSeries(ctx, proxy, hasRev);
  const editSeconds = (performance.now() - started) / 1000;
  const editWrk = await editLoad.stop();
  const rssAfterEdits = rssMiB(proxy.pids());
  const pssAfterEdits = pssMiB(proxy.pids());
  await sleep(SETTLE_MS); // no load, no changes: what the process keeps once the churn is over
  const failedLoad = socketErrors(editWrk) + editWrk.non2xx3xx;
  ctx.log(
    `dynamics ${proxy.name}: ${edits.times.length} edits, ${failedLoad} failed load requests, ${edits.failedProbes} failed probes`,
  );
  return {
    proxy: proxy.name,
    routes: ctx.params.dynamicsRoutes,
    addTrials: adds.times.length + adds.timeouts,
    addTimeouts: adds.timeouts,
    addP50Ms: percentile(adds.times, 50),
    addP99Ms: percentile(adds.times, 99),
    addMaxMs: percentile(adds.times, 100),
    warmupChanges: ctx.params.warmupChanges,
    addColdMs: adds.cold,
    probeP50Ms: percentile(probes, 50),
    probeP99Ms: percentile(probes, 99),
    ...(r0 && r1 ? { addReconciles: reconcilesBetween(r0, r1) } : {}),
    ...(addInside && { addInside }),
    endpointTrials: moves.times.length + moves.timeouts,
    endpointTimeouts: moves.timeouts,
    endpointP50Ms: percentile(moves.times, 50),
    endpointP99Ms: percentile(moves.times, 99),
    endpointColdMs: moves.cold,
    ...(r1 && r2 ? { endpointReconciles: reconcilesBetween(r1, r2) } : {}),
    ...(endpointInside && { endpointInside }),
    editsPlanned: ctx.params.edits,
    editsApplied: edits.times.length,
    editP50Ms: percentile(edits.times, 50),
    editP99Ms: percentile(edits.times, 99),
    editSeconds,
    failedRequests: failedLoad + edits.failedProbes,
    failedLoad,
    failedProbes: edits.failedProbes,
    failedLoadSocket: socketErrors(editWrk),
    loadErrors: { ...editWrk.errors, status: editWrk.non2xx3xx },
    loadRequests: editWrk.requests,
    rssMiB: rssAfterEdits,
    pssMiB: pssAfterEdits,
    rssSettledMiB: rssMiB(proxy.pids()),
  };
}

/** Archway's timing of the file changes made since `sinceMs` (undefined for nginx). */
async function changesSince(proxy: RunningProxy, sinceMs: number): Promise<ChangeSummary | undefined> {
  return proxy.adminPort === undefined ? undefined : summarizeChanges(await fetchChanges(proxy.adminPort), sinceMs);
}

/** Archway's reconcile totals from its /metrics (undefined for nginx). */
async function reconcileTotals(proxy: RunningProxy): Promise<ReconcileTotals | undefined> {
  return proxy.adminPort === undefined ? undefined : fetchReconcileTotals(proxy.adminPort);
}

function startLoad(
  ctx: BenchContext,
  proxy: RunningProxy,
  requests: readonly WrkRequest[],
): { stop(): Promise<WrkResult> } {
  const ac = new AbortController();
  const maxS = ctx.params.addBudgetS + ctx.params.endpointBudgetS + ctx.params.editBudgetS + 60;
  const run = runWrk({ ...wrkBase(ctx, proxy, '/', LOAD_CONNECTIONS, maxS), requests, signal: ac.signal });
  return {
    async stop() {
      await sleep(200); // let the last requests of the series land inside the load window
      ac.abort();
      return run;
    },
  };
}

async function addSeries(ctx: BenchContext, proxy: RunningProxy): Promise<Series> {
  const series = newSeries();
  const warm = ctx.params.warmupChanges;
  const deadline = performance.now() + ctx.params.addBudgetS * 1000;
  for (let k = 0; k < warm + ctx.params.addTrials && performance.now() < deadline; k++) {
    if (k === warm) series.since = Date.now();
    const host = `new-${k}.dyn.example.com`;
    const route: BenchRoute = {
      name: `new-${k}`,
      hostnames: [host],
      rules: [{ path: { type: 'PathPrefix', value: '/' } }],
    };
    await timedChange(
      series,
      proxy,
      host,
      (p) => p.status === 200,
      () => install(ctx, proxy, `new-${k}`, route),
      k < warm,
    );
  }
  return series;
}

/**
 * One request to a route that already serves, timed, 100 times under the same load: the floor under "change -> 200"
 * (the poller's own round trip, queued with the load on the proxy's core and with wrk on the harness's).
 */
async function probeSeries(proxy: RunningProxy): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < 100; k++) {
    const t0 = performance.now();
    const r = await probe(proxy.port, '/', MOVING_HOST_READY);
    if (r.status === 200) times.push(performance.now() - t0);
    await sleep(10);
  }
  return times;
}

async function editSeries(
  ctx: BenchContext,
  proxy: RunningProxy,
  hasRev: (rev: number) => (r: ProbeResult) => boolean,
): Promise<{ times: number[]; failedProbes: number }> {
  const times: number[] = [];
  let failedProbes = 0;
  const deadline = performance.now() + ctx.params.editBudgetS * 1000;
  for (let rev = 1; rev <= ctx.params.edits && performance.now() < deadline; rev++) {
    const t0 = performance.now();
    install(ctx, proxy, 'edit', editRoute(rev));
    const done = hasRev(rev);
    const r = await pollUntil(
      proxy.port,
      '/',
      'edit.dyn.example.com',
      (p) => {
        if (p.status !== 200) failedProbes++;
        return done(p);
      },
      { timeoutMs: POLL_TIMEOUT_MS, intervalMs: 0 },
      t0,
    );
    if (r.elapsedMs !== undefined) times.push(r.elapsedMs);
  }
  return { times, failedProbes };
}

/**
 * The result shapes: what each scenario returns, what the JSON file holds, and what the table and plot read.
 *
 * Owns: the machine-readable format (bench/results/<timestamp>.json). Times are ms unless named otherwise,
 * memory MiB, CPU µs per request. Ratios are Archway (or HAProxy) divided by nginx from the same run.
 */
import type { ChangeSummary } from '../lib/change-timings.ts';
import type { ReconcileSeries } from '../lib/reconcile-metrics.ts';
import type { LoadSample } from '../scenarios/measure.ts';
import type { ProxyName } from '../servers/proxies.ts';

export interface Figures {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuUsPerReq: number;
  /** Kernel part of cpuUsPerReq. */
  readonly sysUsPerReq: number;
  readonly rssPeakMiB: number;
  readonly errors: number;
}

export interface Http1Row extends Figures {
  readonly body: 'small' | '16k';
  readonly connections: number;
  readonly proxy: ProxyName;
  readonly rssIdleMiB: number;
  /** req/s relative to nginx in the same configuration. */
  readonly rpsRatio: number;
  readonly cpuRatio: number;
  readonly reps: readonly LoadSample[];
}

/** Scenario 1b: one proxy with 1 or 2 processes; `scaling` is its req/s over its own 1-process req/s. */
export interface WorkersRow extends Figures {
  readonly proxy: ProxyName;
  readonly processes: number;
  /** The cores it ran on (a taskset list). */
  readonly cores: string;
  readonly scaling: number;
}

export interface ScaleRow extends Figures {
  readonly routes: number;
  readonly proxy: ProxyName;
  /** Cold start: spawn -> ready (Archway: /readyz 200; nginx: first routed 200). */
  readonly readyMs: number;
  readonly rssIdleMiB: number;
  /** Idle PSS: shared pages split between processes (nginx master + worker). */
  readonly pssIdleMiB: number;
  readonly rpsRatio: number;
  readonly cpuRatio: number;
  readonly reps: readonly LoadSample[];
}

export interface DynamicsRow {
  readonly proxy: ProxyName;
  readonly routes: number;
  readonly addTrials: number;
  readonly addTimeouts: number;
  /** Time from writing a new route (nginx: writing it and signalling a reload) to its first 200. */
  readonly addP50Ms: number;
  readonly addP99Ms: number;
  readonly addMaxMs: number;
  /** Changes made before each timed series, apart from it (the JIT has not optimized their code paths yet). */
  readonly warmupChanges?: number;
  /** Their times, in order: new route -> 200 for the adds, endpoint change -> traffic for the moves. */
  readonly addColdMs?: readonly number[];
  /** One request to an already-served route under the same load, p50 / p99: the floor under the figures above. */
  readonly probeP50Ms?: number;
  readonly probeP99Ms?: number;
  /** Archway: reconciles run during the add series and their mean duration (its /metrics), the rest is around them. */
  readonly addReconciles?: ReconcileSeries;
  /** Archway: its own timing of the add series' changes (/debug/changes): first file event -> serving, by stage. */
  readonly addInside?: ChangeSummary;
  /** Time from rewriting an EndpointSlice (nginx: the upstream, then reload) until responses come from the new port. */
  readonly endpointTrials: number;
  readonly endpointTimeouts: number;
  readonly endpointP50Ms: number;
  readonly endpointP99Ms: number;
  readonly endpointColdMs?: readonly number[];
  readonly endpointReconciles?: ReconcileSeries;
  readonly endpointInside?: ChangeSummary;
  readonly editsPlanned: number;
  readonly editsApplied: number;
  /** Time from rewriting a route to the first response that shows the edit. */
  readonly editP50Ms: number;
  readonly editP99Ms: number;
  readonly editSeconds: number;
  /** Non-2xx responses and socket errors seen by the load and the pollers during the edit series. */
  readonly failedRequests: number;
  /** The same, split: wrk's load, and the harness's own polling requests. */
  readonly failedLoad: number;
  readonly failedProbes: number;
  /** Of failedLoad: socket errors (connect/read/write/timeout) as opposed to 4xx/5xx responses. */
  readonly failedLoadSocket: number;
  /** wrk's error counts by kind during the edits (timeout: no response within 2 s). */
  readonly loadErrors: Readonly<Record<string, number>>;
  readonly loadRequests: number;
  /** After the edits (nginx: including workers of older generations still draining). */
  readonly rssMiB: number;
  readonly pssMiB: number;
  /** 5 s after the edits and their load ended (nothing running): what the process keeps once churn is over. */
  readonly rssSettledMiB?: number;
}

export interface MatchRow {
  readonly routes: number;
  readonly decodeMs: number;
  readonly translateMs: number;
  readonly compileMs: number;
  /** Median over repetitions of the mean lookup time over the sample requests. */
  readonly matchNs: number;
  /** The slowest single sample request (mean over its iterations). */
  readonly worstMatchNs: number;
  /** Sample requests that found no route (should be 0). */
  readonly misses: number;
}

export interface TlsRow {
  readonly kind: 'https-keepalive' | 'https-new-conn' | 'h2';
  readonly proxy: ProxyName;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuUsPerReq: number;
  readonly errors: number;
  readonly rpsRatio: number;
}

export interface ProfileEntry {
  readonly functionName: string;
  readonly url: string;
  readonly selfPercent: number;
  readonly selfMs: number;
  /**
   * Who it was working for: the nearest caller in Archway's sources or a dependency ("function file:line"), with
   * the share of this entry's self time, largest first (at most 3).
   */
  readonly via: readonly { readonly frame: string; readonly percent: number }[];
}

export interface ProfileResult {
  readonly rps: number;
  readonly file: string;
  /** Which samples were summarized (the load window, or the whole process). */
  readonly scope: string;
  readonly busyMs: number;
  readonly top: readonly ProfileEntry[];
  /** Self time grouped by where the code lives (Archway src, node: internals, GC, native/idle...). */
  readonly byCategory: Readonly<Record<string, number>>;
  /** By proxy: system calls per request under strace (counts only; ptrace distorts times). */
  readonly syscalls: Readonly<Record<string, SyscallsPerRequest>>;
}

export interface SyscallsPerRequest {
  readonly requests: number;
  readonly total: number;
  /** Calls per request, for syscalls made at least once per 100 requests. */
  readonly perRequest: Readonly<Record<string, number>>;
}

export interface Skipped {
  readonly skipped: string;
}

export interface Meta {
  readonly timestamp: string;
  readonly mode: 'full' | 'quick';
  readonly nproc: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly tools: Readonly<Record<string, string>>;
  readonly archwayCommit: string;
  readonly pinned: boolean;
  readonly durationS: number;
  readonly reps: number;
  readonly wallSeconds: number;
  /** 1-minute load average at start and end: the machine is shared, so this says how busy it was. */
  readonly loadAvgStart: number;
  readonly loadAvgEnd: number;
  /** CPU used by other processes on the machine, % of all cores, over the run and per scenario. */
  readonly foreignCpuPercent?: Readonly<Record<string, number>>;
}

export interface Results {
  meta: Meta;
  http1?: readonly Http1Row[] | Skipped;
  workers?: readonly WorkersRow[] | Skipped;
  scale?: readonly ScaleRow[] | Skipped;
  match?: readonly MatchRow[] | Skipped;
  dynamics?: readonly DynamicsRow[] | Skipped;
  tls?: readonly TlsRow[] | Skipped;
  profile?: ProfileResult | Skipped;
  notes: string[];
}

export function isSkipped(x: unknown): x is Skipped {
  return typeof x === 'object' && x !== null && 'skipped' in x;
}

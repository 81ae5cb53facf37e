/**
 * The human-readable result: Markdown tables (printed to the terminal and pasted into docs/benchmarks.md).
 *
 * Owns: formatting only; it computes nothing but display rounding.
 */
import type { DynamicsRow, Http1Row, MatchRow, ProfileResult, Results, ScaleRow, TlsRow, WorkersRow } from './types.ts';
import { isSkipped } from './types.ts';

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const fix = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = head.map((_, i) => (i < 2 ? '---' : '---:'));
  return [head, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function http1Table(rows: readonly Http1Row[]): string {
  return table(
    [
      'body',
      'conns',
      'proxy',
      'req/s',
      'vs nginx',
      'p50 ms',
      'p99 ms',
      'CPU µs/req (kernel)',
      'CPU vs nginx',
      'RSS idle / load MiB',
      'errors',
    ],
    rows.map((r) => [
      r.body === 'small' ? '2 B' : '16 KiB',
      String(r.connections),
      r.proxy,
      int(r.rps),
      ratio(r.rpsRatio),
      fix(r.p50Ms, 2),
      fix(r.p99Ms, 2),
      `${fix(r.cpuUsPerReq)} (${fix(r.sysUsPerReq)})`,
      ratio(r.cpuRatio),
      `${fix(r.rssIdleMiB, 0)} / ${fix(r.rssPeakMiB, 0)}`,
      String(r.errors),
    ]),
  );
}

export function workersTable(rows: readonly WorkersRow[]): string {
  return table(
    ['proxy', 'processes', 'cores', 'req/s', 'scaling', 'p50 ms', 'p99 ms', 'CPU µs/req (kernel)', 'errors'],
    rows.map((r) => [
      r.proxy,
      String(r.processes),
      r.cores,
      int(r.rps),
      ratio(r.scaling),
      fix(r.p50Ms, 2),
      fix(r.p99Ms, 2),
      `${fix(r.cpuUsPerReq)} (${fix(r.sysUsPerReq)})`,
      String(r.errors),
    ]),
  );
}

export function scaleTable(rows: readonly ScaleRow[]): string {
  return table(
    [
      'routes',
      'proxy',
      'ready ms',
      'RSS idle / load MiB',
      'PSS idle MiB',
      'req/s',
      'vs nginx',
      'p50 ms',
      'p99 ms',
      'CPU µs/req (kernel)',
      'CPU vs nginx',
      'errors',
    ],
    rows.map((r) => [
      int(r.routes),
      r.proxy,
      int(r.readyMs),
      `${fix(r.rssIdleMiB, 0)} / ${fix(r.rssPeakMiB, 0)}`,
      fix(r.pssIdleMiB, 0),
      int(r.rps),
      ratio(r.rpsRatio),
      fix(r.p50Ms, 2),
      fix(r.p99Ms, 2),
      `${fix(r.cpuUsPerReq)} (${fix(r.sysUsPerReq)})`,
      ratio(r.cpuRatio),
      String(r.errors),
    ]),
  );
}

/** The warm-up changes made before the timed series, their times in order (apart from the p50/p99). */
function coldCell(r: DynamicsRow): string {
  if (!r.warmupChanges || !r.addColdMs || !r.endpointColdMs) return '–';
  const list = (xs: readonly number[]) => xs.map((x) => fix(x, 0)).join(', ');
  return `${r.warmupChanges}: ${list(r.addColdMs)}; ${list(r.endpointColdMs)}`;
}

/** Archway's own timing of a series' changes: event -> served p50 / p99, and the p99 of each stage. */
function insideCell(c: DynamicsRow['addInside']): string {
  if (!c) return '–';
  const stages = `settle ${fix(c.settleP99Ms)}, queue ${fix(c.queueP99Ms)}, read+store ${fix(c.waitP99Ms)}, reconcile ${fix(c.reconcileP99Ms)}`;
  return `${fix(c.servedP50Ms)} / ${fix(c.servedP99Ms)} / ${fix(c.servedMaxMs)} (n=${c.n}; p99s: ${stages})`;
}

/** Mean reconcile time during the add series / the endpoint series, with their counts. */
function reconcileCell(add: DynamicsRow['addReconciles'], endpoint: DynamicsRow['endpointReconciles']): string {
  if (!add || !endpoint) return '–';
  const gcs = `>10 ms: ${add.over10ms}, >25 ms: ${add.over25ms}; ${add.majorGcs} major GCs, ${fix(add.majorGcMs, 0)} ms`;
  return `add ${fix(add.meanMs)} (${add.count}; ${gcs}), endpoint ${fix(endpoint.meanMs)} (${endpoint.count})`;
}

export function dynamicsTable(rows: readonly DynamicsRow[]): string {
  return table(
    [
      'proxy',
      'routes',
      'new route → 200 p50 / p99 / max ms',
      'of which reconcile (mean ms, n; GC during the adds)',
      'inside Archway: event → served p50 / p99 / max ms',
      'one request under the load p50 / p99 ms',
      'timeouts',
      'warm-up changes before each series (add ms; endpoint ms)',
      'endpoint change → traffic p50 / p99 ms',
      'inside Archway (endpoint)',
      'edits',
      'edit → live p50 / p99 ms',
      'failed: load (socket) + probes',
      'load requests',
      'RSS / PSS MiB after edits, RSS 5 s later',
    ],
    rows.map((r) => [
      r.proxy,
      int(r.routes),
      `${fix(r.addP50Ms)} / ${fix(r.addP99Ms)} / ${fix(r.addMaxMs)} (n=${r.addTrials})`,
      reconcileCell(r.addReconciles, r.endpointReconciles),
      insideCell(r.addInside),
      `${fix(r.probeP50Ms ?? Number.NaN)} / ${fix(r.probeP99Ms ?? Number.NaN)}`,
      String(r.addTimeouts),
      coldCell(r),
      `${fix(r.endpointP50Ms)} / ${fix(r.endpointP99Ms)} (n=${r.endpointTrials}${r.endpointTimeouts ? `, ${r.endpointTimeouts} timeouts` : ''})`,
      insideCell(r.endpointInside),
      `${r.editsApplied} of ${r.editsPlanned} in ${fix(r.editSeconds, 0)} s`,
      `${fix(r.editP50Ms)} / ${fix(r.editP99Ms)}`,
      `${r.failedRequests}: ${r.failedLoad} (${r.failedLoadSocket}) + ${r.failedProbes}`,
      int(r.loadRequests),
      `${fix(r.rssMiB, 0)} / ${fix(r.pssMiB, 0)}, ${fix(r.rssSettledMiB ?? Number.NaN, 0)}`,
    ]),
  );
}

export function matchTable(rows: readonly MatchRow[]): string {
  const base = rows[0]?.matchNs ?? Number.NaN;
  const lines = [
    '| routes | decode ms | translate ms | compile ms | match ns/req | vs smallest | slowest sample ns | misses |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const cells = [
      r.routes.toLocaleString('en-US'),
      r.decodeMs.toFixed(0),
      r.translateMs.toFixed(0),
      r.compileMs.toFixed(0),
    ];
    cells.push(r.matchNs.toFixed(0), `${(r.matchNs / base).toFixed(2)}×`, r.worstMatchNs.toFixed(0), String(r.misses));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function tlsTable(rows: readonly TlsRow[]): string {
  return table(
    ['kind', 'proxy', 'req/s', 'vs nginx', 'p50 ms (h2: mean)', 'p99 ms', 'CPU µs/req', 'errors'],
    rows.map((r) => [
      r.kind,
      r.proxy,
      int(r.rps),
      ratio(r.rpsRatio),
      fix(r.p50Ms, 2),
      fix(r.p99Ms, 2),
      fix(r.cpuUsPerReq),
      String(r.errors),
    ]),
  );
}

export function profileTable(p: ProfileResult, n = 15): string {
  return table(
    ['self %', 'function', 'where', 'on behalf of (nearest Archway or dependency caller)'],
    p.top
      .slice(0, n)
      .map((e) => [
        fix(e.selfPercent),
        `\`${e.functionName}\``,
        e.url ? `\`${e.url}\`` : '(native)',
        e.via.map((v) => `${v.percent.toFixed(0)}% \`${v.frame}\``).join(', '),
      ]),
  );
}

export function machineLine(r: Results): string {
  const m = r.meta;
  const foreign = Object.entries(m.foreignCpuPercent ?? {})
    .map(([k, v]) => `${k} ${v}%`)
    .join(', ');
  return [
    `${m.nproc} cores (${m.cpuModel}), Node ${m.node}, ${m.tools.nginx}, ${m.tools.haproxy?.split(' - ')[0]}, ${m.tools.wrk?.split(' Copyright')[0]}`,
    `${m.mode} run, ${m.durationS} s × ${m.reps} interleaved reps, pinned: ${m.pinned}, Archway ${m.archwayCommit}, load avg ${fix(m.loadAvgStart, 2)} → ${fix(m.loadAvgEnd, 2)}`,
    `CPU used by other processes during the run (% of the machine): ${foreign || 'n/a'}`,
  ].join('  \n');
}

export function syscallTable(p: ProfileResult): string {
  const proxies = Object.keys(p.syscalls);
  const names = [...new Set(proxies.flatMap((x) => Object.keys(p.syscalls[x]!.perRequest)))].sort();
  const rows = names.map((n) => [n, ...proxies.map((x) => fix(p.syscalls[x]!.perRequest[n] ?? 0, 2))]);
  rows.push(['**all**', ...proxies.map((x) => fix(p.syscalls[x]!.total, 2))]);
  return table(
    ['syscall', '(per request)', ...proxies].filter((_, i) => i !== 1),
    rows,
  );
}

export function renderTables(r: Results): string {
  const out: string[] = [machineLine(r), ''];
  const section = (title: string, value: unknown, render: () => string) => {
    if (value === undefined) return;
    out.push(`### ${title}\n`, isSkipped(value) ? `skipped: ${value.skipped}` : render(), '');
  };
  section('HTTP/1.1 keep-alive', r.http1, () => http1Table(r.http1 as Http1Row[]));
  section('Multi-core: 1 vs 2 processes (2 B, 256 connections)', r.workers, () =>
    workersTable(r.workers as WorkersRow[]),
  );
  section('Route scale', r.scale, () => scaleTable(r.scale as ScaleRow[]));
  section('Route lookup and compile (in process, bench/match.ts)', r.match, () => matchTable(r.match as MatchRow[]));
  section('Config dynamics under load', r.dynamics, () => dynamicsTable(r.dynamics as DynamicsRow[]));
  section('HTTPS and HTTP/2', r.tls, () => tlsTable(r.tls as TlsRow[]));
  section('Archway CPU profile (self time)', r.profile, () => profileTable(r.profile as ProfileResult));
  if (r.profile && !isSkipped(r.profile) && Object.keys(r.profile.syscalls).length > 0) {
    out.push('### System calls per request (strace -c, same load)\n', syscallTable(r.profile), '');
  }
  if (r.notes.length > 0) out.push('### Notes\n', ...r.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

/**
 * The process metrics prom-client's collectDefaultMetrics registered, under the same names (after `prefix`), help,
 * types, labels and buckets, in the same order: CPU time, start time, memory (/proc/self/status on Linux), file
 * descriptors, event loop delay, active resources, handles and requests, V8 heap and heap spaces, Node.js version,
 * and GC durations by kind. Values are read when the registry is scraped; only the event loop delay monitor and the
 * GC observer run in between.
 *
 * Owns: sampling the process for /metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, constants as perf } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { Counter, Gauge, Histogram } from './instruments.ts';
import type { Registry } from './registry.ts';

const START_SECONDS = Math.round(Date.now() / 1000 - process.uptime());
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const NO_LABELS = {};

/** The libuv handles and requests by C++ class: Node's internal accessors, absent from its typings. */
interface ProcessInternals {
  _getActiveHandles?: () => object[];
  _getActiveRequests?: () => object[];
}

function countBy(names: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

function constructorNames(list: readonly object[]): string[] {
  const out: string[] = [];
  for (const o of list) if (o?.constructor !== undefined) out.push(o.constructor.name);
  return out;
}

function setCounts(gauge: Gauge, counts: Map<string, number>): void {
  gauge.reset();
  for (const [type, n] of counts) gauge.set({ type }, n);
}

function cpu(r: Registry, p: string): void {
  const start = process.cpuUsage();
  const opts = (name: string, help: string) => ({ name: p + name, help, registers: [r] });
  const user = new Counter({
    ...opts('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.'),
    collect: () => {
      const now = process.cpuUsage();
      user.bind().value = (now.user - start.user) / 1e6;
      system.bind().value = (now.system - start.system) / 1e6;
      total.bind().value = (now.user - start.user + now.system - start.system) / 1e6;
    },
  });
  const system = new Counter(opts('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.'));
  const total = new Counter(opts('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.'));
}

/** VmRSS, VmSize and VmData of /proc/self/status, in bytes. */
function procStatus(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
    const m = /^(VmRSS|VmSize|VmData):\s*(\d+) kB/.exec(line);
    if (m !== null) out.set(m[1]!, Number(m[2]) * 1024);
  }
  return out;
}

function memory(r: Registry, p: string): void {
  const linux = process.platform === 'linux';
  const rss = new Gauge({
    name: `${p}process_resident_memory_bytes`,
    help: 'Resident memory size in bytes.',
    registers: [r],
    collect: () => {
      if (!linux) {
        rss.set(NO_LABELS, process.memoryUsage.rss());
        return;
      }
      try {
        const s = procStatus();
        rss.set(NO_LABELS, s.get('VmRSS') ?? Number.NaN);
        virtual.set(NO_LABELS, s.get('VmSize') ?? Number.NaN);
        data.set(NO_LABELS, s.get('VmData') ?? Number.NaN);
      } catch {
        // /proc unreadable: keep the last values
      }
    },
  });
  if (!linux) return;
  const virtual = new Gauge({
    name: `${p}process_virtual_memory_bytes`,
    help: 'Virtual memory size in bytes.',
    registers: [r],
  });
  const data = new Gauge({ name: `${p}process_heap_bytes`, help: 'Process heap size in bytes.', registers: [r] });
}

function maxFds(): number | undefined {
  try {
    for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n'))
      if (line.startsWith('Max open files')) return Number(line.split(/ {2,}/)[1]);
  } catch {
    // not Linux
  }
  return undefined;
}

function descriptors(r: Registry, p: string): void {
  if (process.platform === 'linux') {
    const open: Gauge = new Gauge({
      name: `${p}process_open_fds`,
      help: 'Number of open file descriptors.',
      registers: [r],
      collect: () => {
        try {
          open.set(NO_LABELS, readdirSync('/proc/self/fd').length - 1); // minus the one readdir opened
        } catch {
          // keep the last value
        }
      },
    });
  }
  const max = maxFds();
  if (max === undefined) return;
  const g: Gauge = new Gauge({
    name: `${p}process_max_fds`,
    help: 'Maximum number of open file descriptors.',
    registers: [r],
    collect: () => g.set(NO_LABELS, max),
  });
}

function eventLoop(r: Registry, p: string): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const g = (name: string, help: string, aggregator: string) =>
    new Gauge({ name: `${p}nodejs_eventloop_lag${name}_seconds`, help, registers: [r], aggregator });
  // The lag is measured by a setImmediate started at each scrape and shows at the next one.
  const lag = new Gauge({
    name: `${p}nodejs_eventloop_lag_seconds`,
    help: 'Lag of event loop in seconds.',
    registers: [r],
    aggregator: 'average',
    collect: () => {
      const start = process.hrtime.bigint();
      setImmediate(() => lag.set(NO_LABELS, Number(process.hrtime.bigint() - start) / 1e9));
      stats[0]!.set(NO_LABELS, delay.min / 1e9);
      stats[1]!.set(NO_LABELS, delay.max / 1e9);
      stats[2]!.set(NO_LABELS, delay.mean / 1e9);
      stats[3]!.set(NO_LABELS, delay.stddev / 1e9);
      stats[4]!.set(NO_LABELS, delay.percentile(50) / 1e9);
      stats[5]!.set(NO_LABELS, delay.percentile(90) / 1e9);
      stats[6]!.set(NO_LABELS, delay.percentile(99) / 1e9);
      delay.reset();
    },
  });
  const stats = [
    g('_min', 'The minimum recorded event loop delay.', 'min'),
    g('_max', 'The maximum recorded event loop delay.', 'max'),
    g('_mean', 'The mean of the recorded event loop delays.', 'average'),
    g('_stddev', 'The standard deviation of the recorded event loop delays.', 'average'),
    g('_p50', 'The 50th percentile of the recorded event loop delays.', 'average'),
    g('_p90', 'The 90th percentile of the recorded event loop delays.', 'average'),
    g('_p99', 'The 99th percentile of the recorded event loop delays.', 'average'),
  ];
}

/** A gauge by type and its total, read from `list` at each scrape. */
function active(r: Registry, name: string, help: string, totalHelp: string, list: () => string[]): void {
  const byType: Gauge = new Gauge({
    name,
    help,
    labelNames: ['type'],
    registers: [r],
    collect: () => setCounts(byType, countBy(list())),
  });
  const total: Gauge = new Gauge({
    name: `${name}_total`,
    help: totalHelp,
    registers: [r],
    collect: () => total.set(NO_LABELS, list().length),
  });
}

function resources(r: Registry, p: string): void {
  const internals = process as unknown as ProcessInternals;
  active(
    r,
    `${p}nodejs_active_resources`,
    'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    'Total number of active resources.',
    () => process.getActiveResourcesInfo(),
  );
  const handles = internals._getActiveHandles;
  if (handles !== undefined)
    active(
      r,
      `${p}nodejs_active_handles`,
      'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
      'Total number of active handles.',
      () => constructorNames(handles.call(process)),
    );
  const requests = internals._getActiveRequests;
  if (requests !== undefined)
    active(
      r,
      `${p}nodejs_active_requests`,
      'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      'Total number of active requests.',
      () => constructorNames(requests.call(process)),
    );
}

function heap(r: Registry, p: string): void {
  const total: Gauge = new Gauge({
    name: `${p}nodejs_heap_size_total_bytes`,
    help: 'Process heap size from Node.js in bytes.',
    registers: [r],
    collect: () => {
      const m = process.memoryUsage();
      total.set(NO_LABELS, m.heapTotal);
      used.set(NO_LABELS, m.heapUsed);
      external.set(NO_LABELS, m.external);
    },
  });
  const used = new Gauge({
    name: `${p}nodejs_heap_size_used_bytes`,
    help: 'Process heap size used from Node.js in bytes.',
    registers: [r],
  });
  const external = new Gauge({
    name: `${p}nodejs_external_memory_bytes`,
    help: 'Node.js external memory size in bytes.',
    registers: [r],
  });
  const kinds = ['total', 'used', 'available'] as const;
  const spaces = kinds.map(
    (k) =>
      new Gauge({
        name: `${p}nodejs_heap_space_size_${k}_bytes`,
        help: `Process heap space size ${k} from Node.js in bytes.`,
        labelNames: ['space'],
        registers: [r],
      }),
  );
  spaces[0]!.collect = () => {
    for (const s of getHeapSpaceStatistics()) {
      const labels = { space: s.space_name.slice(0, Math.max(0, s.space_name.indexOf('_space'))) };
      spaces[0]!.set(labels, s.space_size);
      spaces[1]!.set(labels, s.space_used_size);
      spaces[2]!.set(labels, s.space_available_size);
    }
  };
}

function version(r: Registry, p: string): void {
  const [major, minor, patch] = process.version.slice(1).split('.').map(Number);
  const g: Gauge = new Gauge({
    name: `${p}nodejs_version_info`,
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers: [r],
    aggregator: 'first',
    collect: () => g.set({ version: process.version, major: major!, minor: minor!, patch: patch! }, 1),
  });
}

function gc(r: Registry, p: string): void {
  const kinds: string[] = [];
  kinds[perf.NODE_PERFORMANCE_GC_MAJOR] = 'major';
  kinds[perf.NODE_PERFORMANCE_GC_MINOR] = 'minor';
  kinds[perf.NODE_PERFORMANCE_GC_INCREMENTAL] = 'incremental';
  kinds[perf.NODE_PERFORMANCE_GC_WEAKCB] = 'weakcb';
  const h = new Histogram({
    name: `${p}nodejs_gc_duration_seconds`,
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: GC_BUCKETS,
    registers: [r],
  });
  const series = new Map<number, ReturnType<Histogram['bind']>>();
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { readonly detail?: { readonly kind?: number } }).detail?.kind ?? -1;
      let s = series.get(kind);
      if (s === undefined) {
        s = h.bind(kinds[kind] === undefined ? {} : { kind: kinds[kind] });
        series.set(kind, s);
      }
      s.observe(e.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

/** Registers the process metrics in `r`, each name prefixed with `prefix`. */
export function collectProcessMetrics(r: Registry, prefix: string): void {
  cpu(r, prefix);
  new Gauge({
    name: `${prefix}process_start_time_seconds`,
    help: 'Start time of the process since unix epoch in seconds.',
    registers: [r],
    aggregator: 'omit',
  }).set(NO_LABELS, START_SECONDS);
  memory(r, prefix);
  descriptors(r, prefix);
  eventLoop(r, prefix);
  resources(r, prefix);
  heap(r, prefix);
  version(r, prefix);
  gc(r, prefix);
}

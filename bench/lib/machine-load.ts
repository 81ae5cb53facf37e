/**
 * How busy the machine was with work that is not this run's (the machine is shared): CPU time the whole machine
 * spent busy (/proc/stat) minus the CPU time of this process and its children, live (their process trees) and
 * reaped (cutime/cstime). Reported as a percentage of all cores over the interval.
 *
 * Owns: that accounting. It is approximate (a grandchild whose parent died unreaped is counted as foreign).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { cpuSeconds, processTree } from './proc-stats.ts';
import { liveChildren } from './procs.ts';

const USER_HZ = 100;

function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
  return busy / USER_HZ;
}

function ourSeconds(): number {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // utime(14) stime(15) cutime(16) cstime(17), numbered from 1 in proc(5); rest[0] is field 3.
  const self = (Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14])) / USER_HZ;
  let children = 0;
  for (const c of liveChildren()) children += cpuSeconds(processTree(c.pid));
  return self + children;
}

export interface LoadMark {
  readonly at: number;
  readonly busy: number;
  readonly ours: number;
}

export function markLoad(): LoadMark {
  return { at: performance.now(), busy: machineBusySeconds(), ours: ourSeconds() };
}

/** Percentage of the machine's total CPU capacity used by other processes since `from`. */
export function foreignCpuPercent(from: LoadMark, to: LoadMark = markLoad()): number {
  const seconds = (to.at - from.at) / 1000;
  if (seconds <= 0) return 0;
  const foreign = Math.max(0, to.busy - from.busy - (to.ours - from.ours));
  return (100 * foreign) / (seconds * cpus().length);
}

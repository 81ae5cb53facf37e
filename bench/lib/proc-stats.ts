/**
 * Resource use of a process tree, read from /proc: resident memory and CPU time.
 *
 * Owns: the /proc parsing. A "tree" is the process and all its descendants (nginx's master and worker), so a proxy
 * that forks is charged for all of its processes. CPU time is utime+stime in clock ticks (USER_HZ = 100 on Linux).
 */
import { readdirSync, readFileSync } from 'node:fs';

const USER_HZ = 100;

interface StatLine {
  readonly ppid: number;
  readonly ticks: number;
  readonly sysTicks: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // Fields after the name: state(3) ppid(4) ... utime(14) stime(15), numbered from 1 in proc(5).
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), sysTicks: Number(rest[12]) };
  } catch {
    return undefined;
  }
}

/** The pid and every descendant currently alive. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length > 0 && out.length < 1000) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** CPU seconds (user+system) used so far by the tree. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.ticks ?? 0;
  return ticks / USER_HZ;
}

/** System (kernel) CPU seconds used so far by the tree: the stime part of cpuSeconds. */
export function sysCpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) ticks += readStat(pid)?.sysTicks ?? 0;
  return ticks / USER_HZ;
}

/** Resident set size of the tree in MiB (sum of VmRSS). */
export function rssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += m ? Number(m[1]) : 0;
    } catch {
      // exited
    }
  }
  return kib / 1024;
}

/**
 * Proportional set size of the tree in MiB (sum of Pss from smaps_rollup): pages shared between the processes
 * (nginx's master and workers share their configuration copy-on-write) are counted once, split between them.
 * Falls back to RSS where smaps_rollup is missing.
 */
export function pssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kib += m ? Number(m[1]) : rssMiB([pid]) * 1024;
    } catch {
      // exited
    }
  }
  return kib / 1024;
}

/** Samples the tree's RSS every intervalMs until stopped; returns the peak. */
export function sampleRss(pids: readonly number[], intervalMs = 250): { stop(): number } {
  let peak = rssMiB(pids);
  const t = setInterval(() => {
    peak = Math.max(peak, rssMiB(pids));
  }, intervalMs);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, rssMiB(pids));
    },
  };
}

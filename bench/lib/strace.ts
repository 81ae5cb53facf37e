/**
 * System calls per request: `strace -c -f -p PID` attached to a proxy for the length of one load run. ptrace slows
 * the traced process down a lot, so only the counts mean anything (how many reads, writes and epoll waits a request
 * costs), never the times.
 *
 * Owns: running strace and parsing its -c summary table.
 */

import { sleep } from './net.ts';
import { spawnChild, stopChild } from './procs.ts';

export interface SyscallCounts {
  readonly calls: Readonly<Record<string, number>>;
  readonly total: number;
}

/** Attaches to every process in pids (and their threads) until `during` settles. */
export async function countSyscalls<T>(pids: readonly number[], during: () => Promise<T>): Promise<[SyscallCounts, T]> {
  const args = ['-c', '-f', '-q', ...pids.flatMap((p) => ['-p', String(p)])];
  const child = spawnChild('strace', 'strace', args, { timeoutMs: 120_000 });
  await sleep(300); // let it attach
  const result = await during();
  await stopChild(child, 'SIGINT', 5000);
  return [parseStraceSummary(child.stderr()), result];
}

/** Parses the table `strace -c` prints: "% time seconds usecs/call calls [errors] syscall". */
export function parseStraceSummary(text: string): SyscallCounts {
  const calls: Record<string, number> = {};
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (!m) continue;
    if (m[2] === 'total') total = Number(m[1]);
    else calls[m[2]!] = Number(m[1]);
  }
  return { calls, total };
}

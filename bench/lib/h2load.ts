/**
 * Running h2load (nghttp2-client) for HTTP/2 over TLS and reading its summary. h2load reports mean request time,
 * not percentiles, so p50/p99 are left NaN and the mean is reported instead.
 */
import { spawnChild } from './procs.ts';

export interface H2loadOptions {
  readonly url: string;
  readonly clients: number;
  readonly streams: number;
  readonly durationS: number;
  readonly authority?: string;
  readonly core?: number;
}

export interface H2loadResult {
  readonly requests: number;
  readonly rps: number;
  readonly meanMs: number;
  readonly errors: number;
}

export async function runH2load(opts: H2loadOptions): Promise<H2loadResult> {
  const args = ['-t', '1', '-c', String(opts.clients), '-m', String(opts.streams), '-D', String(opts.durationS)];
  if (opts.authority) args.push('-H', `:authority: ${opts.authority}`);
  args.push(opts.url);
  const child = spawnChild('h2load', 'h2load', args, {
    ...(opts.core === undefined ? {} : { core: opts.core }),
    timeoutMs: (opts.durationS + 20) * 1000,
  });
  await child.exited;
  return parseH2load(child.stdout());
}

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000 };

export function parseH2load(out: string): H2loadResult {
  const rps = /finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out);
  // "failed" includes "errored", "timeout" and non-2xx/3xx statuses (h2load's documentation).
  const reqs = /requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, (\d+) failed/.exec(out);
  const time = /time for request:\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+)(us|ms|s)\s/.exec(out);
  if (!rps || !reqs) throw new Error(`h2load produced no result:\n${out.slice(-2000)}`);
  const n = (m: RegExpExecArray | null, i: number) => Number(m?.[i] ?? 0);
  return {
    requests: n(reqs, 1),
    rps: Number(rps[1]),
    meanMs: time ? Number(time[1]) * (UNIT_MS[time[2]!] ?? 1) : Number.NaN,
    errors: n(reqs, 2),
  };
}

/**
 * Running wrk and reading its result.
 *
 * Owns: the wrk command line and a small Lua script whose done() prints the summary as one JSON line (latency
 * percentiles in µs, error counts by kind), so nothing depends on wrk's human-readable output. A run can cycle
 * through a list of requests (different Host/path/headers) — that costs wrk a little CPU, so single-request runs
 * leave the Lua request() hook undefined. A run can be stopped early with an AbortSignal (wrk then still reports).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnChild, stopChild } from './procs.ts';

export interface WrkRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface WrkOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly core?: number;
  readonly threads?: number;
  /** Extra headers for the single-request mode (e.g. Host). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Cycle through these requests instead (each connection walks the list). */
  readonly requests?: readonly WrkRequest[];
  /** Where to write the Lua script. */
  readonly scratchDir: string;
  readonly signal?: AbortSignal;
}

export interface WrkResult {
  readonly requests: number;
  readonly durationS: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: {
    readonly connect: number;
    readonly read: number;
    readonly write: number;
    readonly timeout: number;
  };
  /** Responses that were not 2xx or 3xx. */
  readonly non2xx3xx: number;
}

let scriptSeq = 0;

const DONE_LUA = `
done = function(s, latency, requests)
  io.write(string.format('BENCH_JSON {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50":%d,"p99":%d}\\n', s.requests, s.duration, s.errors.connect, s.errors.read,
    s.errors.write, s.errors.status, s.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
`;

function luaString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

function requestsLua(requests: readonly WrkRequest[]): string {
  const rows = requests.map((r) => {
    const headers = Object.entries(r.headers)
      .map(([k, v]) => `[${luaString(k)}] = ${luaString(v)}`)
      .join(', ');
    return `  reqs[#reqs + 1] = wrk.format(${luaString(r.method ?? 'GET')}, ${luaString(r.path)}, { ${headers} })`;
  });
  return `local reqs = {}
local n = 0
init = function(args)
${rows.join('\n')}
  n = math.random(#reqs)
end
request = function()
  n = n + 1
  if n > #reqs then n = 1 end
  return reqs[n]
end
`;
}

export async function runWrk(opts: WrkOptions): Promise<WrkResult> {
  const script = join(opts.scratchDir, `wrk-${process.pid}-${scriptSeq++}.lua`);
  writeFileSync(script, (opts.requests?.length ? requestsLua(opts.requests) : '') + DONE_LUA);
  const args = ['-t', String(opts.threads ?? 1), '-c', String(opts.connections), '-d', `${opts.durationS}s`];
  args.push('--timeout', '2s', '-s', script);
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(opts.url);
  const child = spawnChild('wrk', 'wrk', args, {
    ...(opts.core === undefined ? {} : { core: opts.core }),
    timeoutMs: (opts.durationS + 15) * 1000,
  });
  const onAbort = () => void stopChild(child, 'SIGINT', 5000);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  await child.exited;
  opts.signal?.removeEventListener('abort', onAbort);
  return parseWrk(child.stdout(), child.stderr());
}

export function parseWrk(stdout: string, stderr = ''): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk produced no result:\n${stdout}\n${stderr}`.trim());
  const j = JSON.parse(line.slice('BENCH_JSON '.length)) as Record<string, number>;
  const n = (k: string) => j[k] ?? 0;
  const durationS = n('durationUs') / 1e6;
  return {
    requests: n('requests'),
    durationS,
    rps: durationS > 0 ? n('requests') / durationS : 0,
    p50Ms: n('p50') / 1000,
    p99Ms: n('p99') / 1000,
    errors: { connect: n('connect'), read: n('read'), write: n('write'), timeout: n('timeout') },
    non2xx3xx: n('status'),
  };
}

export function socketErrors(r: WrkResult): number {
  return r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout;
}

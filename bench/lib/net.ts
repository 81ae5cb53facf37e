/**
 * Loopback networking helpers for the harness: free ports, one-shot HTTP probes, and waiting for readiness.
 *
 * Owns: every HTTP request the harness itself sends (wrk and h2load send the load). All of them go to 127.0.0.1,
 * with a keep-alive agent so tight polling loops measure the proxy, not connection setup. Every wait is bounded.
 */
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A port that is free on 127.0.0.1 right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, LOOPBACK, () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  for (let i = 0; i < n * 10 && out.size < n; i++) out.add(await freePort());
  return [...out];
}

export interface ProbeResult {
  /** HTTP status, or 0 for a socket error or timeout. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** One GET to 127.0.0.1:port with the given Host; never throws. */
export function probe(port: number, path: string, host?: string, timeoutMs = 2000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(
      { host: LOOPBACK, port, path, agent, headers: host ? { host } : {}, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        res.once('error', () => resolve({ status: 0, headers: {} }));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve({ status: 0, headers: {} }));
    req.end();
  });
}

/** The body of GET `path` on 127.0.0.1:`port` (an admin endpoint), as text; rejects on error or timeout. */
export function getText(port: number, path: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: LOOPBACK, port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

export interface PollOptions {
  readonly timeoutMs: number;
  /** Pause between attempts (0: back to back, a tight loop). */
  readonly intervalMs: number;
  /** Give up early when this turns false (e.g. the process being polled has exited). */
  readonly alive?: () => boolean;
}

/**
 * Polls until `done(result)` holds. Returns the elapsed milliseconds from `start` (performance.now()) to the end of
 * the first successful probe, or undefined on timeout. Also counts probes that answered neither "done" nor an
 * expected "not yet" status.
 */
export async function pollUntil(
  port: number,
  path: string,
  host: string | undefined,
  done: (r: ProbeResult) => boolean,
  opts: PollOptions,
  start = performance.now(),
): Promise<{ elapsedMs: number | undefined; probes: number; last: ProbeResult | undefined }> {
  const deadline = start + opts.timeoutMs;
  let probes = 0;
  let last: ProbeResult | undefined;
  while (performance.now() < deadline && probes < 1_000_000 && (opts.alive?.() ?? true)) {
    last = await probe(port, path, host, Math.max(1, Math.min(2000, deadline - performance.now())));
    probes++;
    if (done(last)) return { elapsedMs: performance.now() - start, probes, last };
    if (opts.intervalMs > 0) await sleep(opts.intervalMs);
  }
  return { elapsedMs: undefined, probes, last };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

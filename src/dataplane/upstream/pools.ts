/**
 * Upstream connection pools: one undici Pool (HTTP/1.1 keep-alive, no pipelining) per endpoint address:port, shared by
 * every cluster that lists the endpoint and kept across applies. Pools no endpoint needs any more are closed
 * gracefully (queued and running requests finish first).
 */

import { Pool } from 'undici';
import type { HttpLimits } from '../http/limits.ts';

/** "address:port", with IPv6 addresses in brackets. */
export function endpointKey(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export class EndpointPools {
  readonly #limits: HttpLimits;
  readonly #pools = new Map<string, Pool>();

  constructor(limits: HttpLimits) {
    this.#limits = limits;
  }

  /** The pool for an endpoint, created on first use. */
  get(address: string, port: number): Pool {
    const key = endpointKey(address, port);
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = this.#create(key);
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /** Closes, without waiting, every pool whose key is not in `keep`; in-flight requests on them still finish. */
  prune(keep: ReadonlySet<string>): void {
    for (const [key, pool] of this.#pools) {
      if (keep.has(key)) continue;
      this.#pools.delete(key);
      pool.close().catch(() => undefined);
    }
  }

  /** Number of open pools (for tests and the admin API). */
  get size(): number {
    return this.#pools.size;
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => undefined)));
  }

  #create(key: string): Pool {
    const l = this.#limits;
    return new Pool(`http://${key}`, {
      connections: l.upstreamConnections,
      pipelining: 1,
      keepAliveTimeout: l.upstreamKeepAliveTimeoutMs,
      keepAliveMaxTimeout: l.upstreamKeepAliveTimeoutMs * 4,
      headersTimeout: l.upstreamHeadersTimeoutMs,
      bodyTimeout: l.upstreamBodyTimeoutMs,
      connect: { timeout: l.upstreamConnectTimeoutMs, noDelay: true },
    });
  }
}

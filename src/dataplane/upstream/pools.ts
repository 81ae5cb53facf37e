/**
 * Upstream endpoints: one Endpoint per address:port, shared by every cluster that lists it and kept across applies.
 * An endpoint holds the connection pool of the engine that uses it, created on first use: an undici Pool (node
 * engine and its request mirrors; undici is loaded only for that engine, see undici.ts) and/or an H1Pool (raw engine
 * and its mirrors); both are HTTP/1.1 keep-alive without pipelining.
 * Endpoints no cluster needs any more are closed gracefully (running requests finish first).
 */

import type { Pool } from 'undici';
import { H1Pool } from '../h1/pool.ts';
import { Sweeper, sweepInterval } from '../h1/sweeper.ts';
import type { HttpLimits } from '../http/limits.ts';
import { createUndiciPool } from './undici.ts';

/** "address:port", with IPv6 addresses in brackets. */
export function endpointKey(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export class Endpoint {
  readonly address: string;
  readonly port: number;
  readonly key: string;
  readonly #limits: HttpLimits;
  readonly #sweeper: Sweeper;
  #undici: Pool | null = null;
  #h1: H1Pool | null = null;

  constructor(address: string, port: number, limits: HttpLimits, sweeper: Sweeper) {
    this.address = address;
    this.port = port;
    this.key = endpointKey(address, port);
    this.#limits = limits;
    this.#sweeper = sweeper;
  }

  /** The undici pool (node engine and its mirrors). */
  undici(): Pool {
    this.#undici ??= createUndiciPool(this.key, this.#limits);
    return this.#undici;
  }

  /** The raw engine's pool. */
  h1(): H1Pool {
    // hot path
    this.#h1 ??= new H1Pool(this.address, this.port, this.#limits, this.#sweeper);
    return this.#h1;
  }

  /** Graceful: resolves when running requests have finished. */
  async close(): Promise<void> {
    await Promise.all([this.#undici?.close().catch(() => undefined), this.#h1?.close()]);
  }
}

export class EndpointPools {
  readonly #limits: HttpLimits;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #sweeper: Sweeper;

  constructor(limits: HttpLimits) {
    this.#limits = limits;
    this.#sweeper = new Sweeper(
      sweepInterval(
        limits.upstreamKeepAliveTimeoutMs,
        limits.upstreamConnectTimeoutMs,
        limits.upstreamHeadersTimeoutMs,
        limits.upstreamBodyTimeoutMs,
      ),
    );
  }

  /** The endpoint for address:port, created on first use. */
  get(address: string, port: number): Endpoint {
    const key = endpointKey(address, port);
    let endpoint = this.#endpoints.get(key);
    if (endpoint === undefined) {
      endpoint = new Endpoint(address, port, this.#limits, this.#sweeper);
      this.#endpoints.set(key, endpoint);
    }
    return endpoint;
  }

  /** Closes, without waiting, every endpoint whose key is not in `keep`; in-flight requests on them still finish. */
  prune(keep: ReadonlySet<string>): void {
    for (const [key, endpoint] of this.#endpoints) {
      if (keep.has(key)) continue;
      this.#endpoints.delete(key);
      endpoint.close().catch(() => undefined);
    }
  }

  /** Number of endpoints (for tests and the admin API). */
  get size(): number {
    return this.#endpoints.size;
  }

  async close(): Promise<void> {
    const endpoints = [...this.#endpoints.values()];
    this.#endpoints.clear();
    await Promise.all(endpoints.map((e) => e.close()));
  }
}

/**
 * undici, loaded only for the engine that needs it: the 'node' engine (node:http server + undici pools). The default
 * raw engine has its own upstream client (h1/), so a process serving with it never loads undici (its llhttp WASM
 * alone costs megabytes of memory and tens of milliseconds at start). The Dataplane calls loadUndici() when it
 * selects the node engine, before any listener opens; pools are then created synchronously.
 */

import type { Pool } from 'undici';
import type { HttpLimits } from '../http/limits.ts';

let PoolClass: typeof Pool | null = null;

/** Loads undici once; later calls resolve at once. */
export async function loadUndici(): Promise<void> {
  PoolClass ??= (await import('undici')).Pool;
}

/** An undici keep-alive pool (no pipelining) to `key` ("address:port"); loadUndici() must have resolved. */
export function createUndiciPool(key: string, l: HttpLimits): Pool {
  if (PoolClass === null) throw new Error('undici is not loaded: the node engine was not selected');
  return new PoolClass(`http://${key}`, {
    connections: l.upstreamConnections,
    pipelining: 1,
    keepAliveTimeout: l.upstreamKeepAliveTimeoutMs,
    keepAliveMaxTimeout: l.upstreamKeepAliveTimeoutMs * 4,
    headersTimeout: l.upstreamHeadersTimeoutMs,
    bodyTimeout: l.upstreamBodyTimeoutMs,
    connect: { timeout: l.upstreamConnectTimeoutMs, noDelay: true },
  });
}

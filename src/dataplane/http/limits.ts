/**
 * Safe defaults for every HTTP listener and upstream pool, in one place. Each limit exists so that a slow or hostile
 * client (or a stuck upstream) cannot hold resources forever:
 *
 * - Parsing is strict HTTP/1.1 (the raw engine's h1/parser.ts, at least as strict as llhttp; node:http with
 *   insecureHTTPParser false on the node engine); malformed requests get 400.
 * - maxHeaderBytes (16 KiB) bounds the request line + headers; beyond it the client gets 431.
 * - maxHeaderCount (100) bounds the number of header fields; beyond it the client gets 431.
 * - headersTimeoutMs bounds how long a client may take to send its headers (slowloris); 408 then close.
 * - requestTimeoutMs bounds how long a client may take to send its whole request (headers + body); 408 then close.
 * - keepAliveTimeoutMs closes idle client keep-alive connections.
 * - sendTimeoutMs: a client that takes nothing of a response for this long (its connection's write buffer stays
 *   full, no write completes) is cut, which frees the upstream connection paused behind it (raw engine, HTTP/1.1).
 * - connectionsCheckingIntervalMs is how often the two request timeouts above (and keep-alive idleness) are checked.
 * - drainTimeoutMs: a removed listener lets in-flight requests finish for at most this long, then closes everything.
 * - upstream*: per-endpoint keep-alive pool size and timeouts (connect, response headers, idle body).
 * - hostCacheSize bounds the per-virtual-host cache of route candidate lists for Host values seen at run time.
 * - mirrorBodyBytes: a mirrored request body that buffers more than this is dropped (mirrors never slow the client).
 * - reusePort (not a limit; off by default): bind listeners with SO_REUSEPORT, so that several data-plane processes
 *   (archway serve --workers N) share each port and the kernel spreads connections among them.
 */

export interface HttpLimits {
  readonly maxHeaderBytes: number;
  readonly maxHeaderCount: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly sendTimeoutMs: number;
  readonly connectionsCheckingIntervalMs: number;
  readonly drainTimeoutMs: number;
  readonly upstreamConnections: number;
  readonly upstreamKeepAliveTimeoutMs: number;
  readonly upstreamConnectTimeoutMs: number;
  readonly upstreamHeadersTimeoutMs: number;
  readonly upstreamBodyTimeoutMs: number;
  readonly hostCacheSize: number;
  readonly mirrorBodyBytes: number;
  readonly reusePort: boolean;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  sendTimeoutMs: 60_000,
  connectionsCheckingIntervalMs: 1_000,
  drainTimeoutMs: 30_000,
  upstreamConnections: 1024,
  upstreamKeepAliveTimeoutMs: 4_000,
  upstreamConnectTimeoutMs: 5_000,
  upstreamHeadersTimeoutMs: 300_000,
  upstreamBodyTimeoutMs: 300_000,
  hostCacheSize: 1024,
  mirrorBodyBytes: 1024 * 1024,
  reusePort: false,
};

export function resolveLimits(partial: Partial<HttpLimits> | undefined): HttpLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
